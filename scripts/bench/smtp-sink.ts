import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { SMTPServer } from "smtp-server";

/** A self-signed certificate for 127.0.0.1 (also its own CA), made with openssl for this run. */
export function makeCertificate(dir: string) {
  const key = path.join(dir, "smtp-key.pem");
  const cert = path.join(dir, "smtp-cert.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:TRUE"], { stdio: "ignore" });
  return { key, cert };
}

/** An SMTP server on 127.0.0.1 that offers STARTTLS, accepts anything and counts what it receives. */
export async function startSmtpSink(certificate: { key: string; cert: string }) {
  let messages = 0;
  let bytes = 0;
  const server = new SMTPServer({
    secure: false,
    key: readFileSync(certificate.key),
    cert: readFileSync(certificate.cert),
    authOptional: true,
    disabledCommands: ["AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      stream.on("data", (chunk: Buffer) => (bytes += chunk.length));
      stream.on("end", () => {
        messages++;
        callback();
      });
    },
  });
  const port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.server.address() as { port: number }).port)));
  return {
    port,
    counts: () => ({ messages, bytes }),
    reset: () => {
      messages = 0;
      bytes = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
