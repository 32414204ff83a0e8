import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { TLSSocket } from "node:tls";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from "smtp-server";
import { resetEnvCache } from "~/env.server";
import { closeMailTransport } from "~/models/mail/transport.server";

/** The test-only certificate for 127.0.0.1 (and its key); the certificate is its own CA. */
export const SMTP_CERT_FILE = path.resolve(process.cwd(), "tests/fixtures/smtp/cert.pem");
export const SMTP_KEY_FILE = path.resolve(process.cwd(), "tests/fixtures/smtp/key.pem");

export interface SmtpSessionRecord {
  id: string;
  /** Upgraded to TLS (STARTTLS) at some point of the session. */
  secure: boolean;
  /** The negotiated protocol, e.g. "TLSv1.3", from the TLS socket. */
  tlsProtocol: string | null;
  cipher: string | null;
}

export interface ReceivedMessage {
  sessionId: string;
  /** The session was under TLS when the message was sent. */
  secure: boolean;
  tlsProtocol: string | null;
  envelope: { from: string | null; to: string[] };
  raw: string;
  parsed: ParsedMail;
}

/**
 * How the server misbehaves: "connect" answers every connection with 421 (the
 * service is unavailable); "data" accepts the envelope and refuses the message
 * with a temporary 451.
 */
export type RejectMode = "none" | "connect" | "data";

export interface SmtpSinkOptions {
  /** Offer STARTTLS (the default). False: a server that never does, to prove requireTLS refuses it. */
  starttls?: boolean;
  reject?: RejectMode;
  /** Listen on this port (0, the default, for a free one). */
  port?: number;
  /** Listen on this address (127.0.0.1 by default; the certificate names only 127.0.0.1 and localhost). */
  host?: string;
}

export interface SmtpSink {
  readonly port: number;
  /** smtp://<host>:<port> */
  readonly url: string;
  readonly messages: ReceivedMessage[];
  readonly sessions: SmtpSessionRecord[];
  /** Change how the server answers from now on. */
  reject(mode: RejectMode): void;
  /** Stop listening (connections are then refused) and drop open connections. */
  stop(): Promise<void>;
  /** Listen again on the same port, keeping what was received. */
  restart(): Promise<void>;
  readonly listening: boolean;
  /** Resolves when `count` messages have been received in all. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
}

function refusal(message: string, code: number) {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * A local SMTP server that records what it receives (raw and parsed) and over
 * what (STARTTLS or not, the TLS protocol). It can refuse on purpose, be
 * stopped and started again on the same port.
 */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const starttls = options.starttls ?? true;
  let mode: RejectMode = options.reject ?? "none";
  const messages: ReceivedMessage[] = [];
  const sessions: SmtpSessionRecord[] = [];
  const byId = new Map<string, SmtpSessionRecord>();
  const waiters: { count: number; resolve: () => void }[] = [];
  const key = readFileSync(SMTP_KEY_FILE);
  const cert = readFileSync(SMTP_CERT_FILE);

  const record = (session: SMTPServerSession) => {
    let entry = byId.get(session.id);
    if (!entry) {
      entry = { id: session.id, secure: false, tlsProtocol: null, cipher: null };
      byId.set(session.id, entry);
      sessions.push(entry);
    }
    return entry;
  };

  const serverOptions: SMTPServerOptions = {
    logger: false,
    key,
    cert,
    secure: false,
    hideSTARTTLS: !starttls,
    disabledCommands: starttls ? ["AUTH"] : ["AUTH", "STARTTLS"],
    allowInsecureAuth: false,
    authOptional: true,
    // Connections still open when the server stops are dropped at once.
    closeTimeout: 50,
    onConnect(session, callback) {
      record(session);
      if (mode === "connect") return callback(refusal("Service not available, try later", 421));
      callback();
    },
    onSecure(socket, session, callback) {
      const entry = record(session);
      entry.secure = true;
      const tls = socket as TLSSocket;
      entry.tlsProtocol = typeof tls.getProtocol === "function" ? tls.getProtocol() : null;
      entry.cipher = typeof tls.getCipher === "function" ? tls.getCipher()?.name ?? null : null;
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", callback);
      stream.on("end", () => {
        if (mode === "data") return callback(refusal("Requested action aborted: local error in processing", 451));
        const raw = Buffer.concat(chunks).toString("utf8");
        const entry = record(session);
        simpleParser(raw).then(
          (parsed) => {
            messages.push({
              sessionId: session.id,
              secure: Boolean(session.secure) && entry.secure,
              tlsProtocol: entry.tlsProtocol,
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              raw,
              parsed,
            });
            for (const w of [...waiters]) {
              if (messages.length >= w.count) {
                waiters.splice(waiters.indexOf(w), 1);
                w.resolve();
              }
            }
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  };

  let server: SMTPServer | undefined;
  let port = options.port ?? 0;
  const host = options.host ?? "127.0.0.1";

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = new SMTPServer(serverOptions);
      // Clients that give up mid-handshake (an untrusted certificate) are not the server's failure.
      s.on("error", () => {});
      s.server.once("error", reject);
      s.listen(port, host, () => {
        s.server.off("error", reject);
        port = (s.server.address() as AddressInfo).port;
        server = s;
        resolve();
      });
    });

  await listen();

  return {
    get port() {
      return port;
    },
    get url() {
      return `smtp://${host}:${port}`;
    },
    messages,
    sessions,
    get listening() {
      return server !== undefined;
    },
    reject(next) {
      mode = next;
    },
    async stop() {
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async restart() {
      if (server) return;
      await listen();
    },
    waitForMessages(count, timeoutMs = 20_000) {
      if (messages.length >= count) return Promise.resolve(messages);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${messages.length} of ${count} messages received`)), timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(messages);
          },
        });
      });
    },
  };
}

/**
 * Point the app's mail transport at a sink: sets SMTP_URL (and SMTP_CA_FILE to
 * the test certificate unless `trustCertificate` is false), drops the pooled
 * transport and the cached environment. Returns a function that restores both.
 */
export function useSmtpSink(sink: Pick<SmtpSink, "url">, options: { trustCertificate?: boolean } = {}): () => void {
  const before = { SMTP_URL: process.env.SMTP_URL, SMTP_CA_FILE: process.env.SMTP_CA_FILE };
  closeMailTransport();
  process.env.SMTP_URL = sink.url;
  if (options.trustCertificate ?? true) process.env.SMTP_CA_FILE = SMTP_CERT_FILE;
  else delete process.env.SMTP_CA_FILE;
  resetEnvCache();
  return () => {
    closeMailTransport();
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetEnvCache();
  };
}
