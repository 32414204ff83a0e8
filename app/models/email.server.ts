import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { getEnv } from "~/env.server";

export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
}

export interface SentEmail {
  messageId: string;
  /** Where the message went: "smtp", or the .eml file written offline. */
  delivered: string;
}

let transport: Transporter | undefined;
let transportUrl: string | undefined;

/**
 * SMTP with STARTTLS required, a verified certificate and TLS 1.2 or newer
 * (DESIGN.md section 7). Options in SMTP_URL's query may not weaken this.
 */
export function createSmtpTransport(smtpUrl: string, extra: { ca?: string | Buffer } = {}): Transporter {
  const url = new URL(smtpUrl);
  const implicitTls = url.protocol === "smtps:";
  return nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (implicitTls ? 465 : 587)),
    secure: implicitTls,
    requireTLS: true,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    tls: { rejectUnauthorized: true, minVersion: "TLSv1.2", ca: extra.ca, servername: url.hostname },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}

/**
 * The one way the app sends email. Without SMTP_URL (the embedded default),
 * messages are written as .eml files to MAIL_DIR for the demo mailbox.
 */
export async function sendEmail(email: OutgoingEmail): Promise<SentEmail> {
  const env = getEnv();
  const message = { from: env.MAIL_FROM, to: email.to, subject: email.subject, html: email.html, text: email.text };
  if (env.SMTP_URL) {
    if (!transport || transportUrl !== env.SMTP_URL) {
      transport = createSmtpTransport(env.SMTP_URL);
      transportUrl = env.SMTP_URL;
    }
    const info = await transport.sendMail(message);
    return { messageId: info.messageId, delivered: "smtp" };
  }
  const offline = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const info = await offline.sendMail(message);
  mkdirSync(env.MAIL_DIR, { recursive: true });
  const file = path.join(env.MAIL_DIR, `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID().slice(0, 8)}.eml`);
  writeFileSync(file, info.message as Buffer, { mode: 0o600 });
  return { messageId: info.messageId, delivered: file };
}
