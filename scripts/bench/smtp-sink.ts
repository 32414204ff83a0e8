import { execFileSync, fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SMTPServer } from "smtp-server";

/** A self-signed certificate for 127.0.0.1 (also its own CA), made with openssl for this run. */
export function makeCertificate(dir: string) {
  const key = path.join(dir, "smtp-key.pem");
  const cert = path.join(dir, "smtp-cert.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:TRUE"], { stdio: "ignore" });
  return { key, cert };
}

type SinkMessage = { port: number } | { counts: { messages: number; bytes: number } };

/**
 * An SMTP server on 127.0.0.1 that offers STARTTLS, accepts anything and counts what it
 * receives, in a process of its own (as a mail relay would be), so its work is not
 * charged to the sender being measured, whether that is the app's outbox or raw nodemailer.
 */
export async function startSmtpSink(certificate: { key: string; cert: string }) {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ["--serve", certificate.key, certificate.cert], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = () =>
    new Promise<SinkMessage>((resolve, reject) => {
      child.once("message", (m) => resolve(m as SinkMessage));
      child.once("exit", (code) => reject(new Error(`the SMTP sink exited with ${code}`)));
    });
  const { port } = (await next()) as { port: number };
  return {
    port,
    pid: child.pid!,
    counts: async () => {
      const reply = next();
      child.send("counts");
      return ((await reply) as { counts: { messages: number; bytes: number } }).counts;
    },
    reset: () => child.send("reset"),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function serve(keyFile: string, certFile: string) {
  let messages = 0;
  let bytes = 0;
  const server = new SMTPServer({
    secure: false,
    key: readFileSync(keyFile),
    cert: readFileSync(certFile),
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
  process.on("message", (m) => {
    if (m === "counts") process.send!({ counts: { messages, bytes } } satisfies SinkMessage);
    if (m === "reset") messages = bytes = 0;
  });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
  server.listen(0, "127.0.0.1", () => process.send!({ port: (server.server.address() as { port: number }).port } satisfies SinkMessage));
}

if (process.argv[2] === "--serve") serve(process.argv[3], process.argv[4]);
