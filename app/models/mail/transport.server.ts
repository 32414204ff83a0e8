import { connect, isIP, type Socket } from "node:net";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { DEFAULT_SMTP_MAX_MESSAGES, getEnv, type Env } from "~/env.server";
import { quotedPrintablePart } from "./quoted-printable.server";

/** One message as the outbox holds it. */
export interface MailMessage {
  /** The outbox row's id: the Message-ID is derived from it, so a resend is recognisable. */
  id: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

export interface Delivery {
  messageId: string;
  /** "smtp", or the .eml file written by the offline transport. */
  delivered: string;
}

export interface SmtpSecurity {
  /** Extra trusted CA certificates (PEM) for a private relay; the system store is used as well. */
  ca?: string | Buffer;
  dkim?: { domainName: string; keySelector: string; privateKey: string };
  /** Keep connections open between messages (the worker sends in batches). */
  pool?: boolean;
  /**
   * Messages over one pooled connection before it is replaced; 500 by default, as Exim's SMTP client.
   * nodemailer's own default is 100, and its pool waits 100 ms after a connection closes before it
   * opens the next: with four connections used in turn, all four close together (finding 48).
   */
  maxMessages?: number;
}

/**
 * SMTP with STARTTLS required, a verified certificate and TLS 1.2 or newer
 * (DESIGN.md section 7). Nothing in SMTP_URL can weaken these: only host, port
 * and credentials are read from it.
 */
export function createSmtpTransport(smtpUrl: string, security: SmtpSecurity = {}): Transporter<SMTPTransport.SentMessageInfo> {
  const url = new URL(smtpUrl);
  const implicitTls = url.protocol === "smtps:";
  const options: SMTPTransport.Options & { pool?: boolean; maxConnections?: number } = {
    host: url.hostname,
    port: Number(url.port || (implicitTls ? 465 : 587)),
    secure: implicitTls,
    requireTLS: true,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // SNI takes a host name only; an IP address is still checked against the certificate.
    tls: { rejectUnauthorized: true, minVersion: "TLSv1.2", ca: security.ca, servername: isIP(url.hostname) ? undefined : url.hostname },
    dkim: security.dkim,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
  if (security.pool) Object.assign(options, { pool: true, maxConnections: 4, maxMessages: security.maxMessages ?? DEFAULT_SMTP_MAX_MESSAGES });
  return nodemailer.createTransport({ ...options, getSocket: (_options: unknown, done: SocketCallback) => openSocket(options.host!, options.port!, done) });
}

type SocketCallback = (error: Error | null, socketOptions?: { connection: Socket }) => void;

/**
 * The TCP connection for one SMTP session, opened here rather than by nodemailer so that
 * Nagle's algorithm is off: nodemailer ends each message with a short "." line, which the
 * kernel would otherwise hold back until the server acknowledged the body, and servers delay
 * that acknowledgement (about 40 ms on Linux), so every message waited for it. The socket is
 * handed over while it connects: nodemailer's own handlers then see a refused or failed
 * connection as they would their own (its pool forgets a connection only through them), its
 * greeting timeout covers a connection that never completes, and it does the TLS (implicit
 * or STARTTLS, verified as configured above) on this socket.
 */
function openSocket(host: string, port: number, done: SocketCallback) {
  done(null, { connection: connect({ host, port, noDelay: true }) });
}

/** The transport security the environment asks for: a private CA and DKIM signing. */
export function smtpSecurityFromEnv(env: Env = getEnv()): SmtpSecurity {
  return {
    ca: env.SMTP_CA_FILE ? readFileSync(env.SMTP_CA_FILE) : undefined,
    dkim:
      env.DKIM_DOMAIN && env.DKIM_SELECTOR && env.DKIM_PRIVATE_KEY_FILE
        ? { domainName: env.DKIM_DOMAIN, keySelector: env.DKIM_SELECTOR, privateKey: readFileSync(env.DKIM_PRIVATE_KEY_FILE, "utf8") }
        : undefined,
    pool: true,
    maxMessages: env.SMTP_MAX_MESSAGES_PER_CONNECTION,
  };
}

export function messageIdFor(id: string, env: Pick<Env, "APP_URL"> = getEnv()): string {
  return `<${id}@${new URL(env.APP_URL).hostname}>`;
}

let shared: { url: string; transport: Transporter } | undefined;

/** Close the pooled SMTP connections (worker shutdown, tests). */
export function closeMailTransport() {
  shared?.transport.close();
  shared = undefined;
}

/**
 * Hand one message to the mail system. With SMTP_URL, over SMTP; without it
 * (the embedded default), as an .eml file in MAIL_DIR for the demo mailbox.
 */
export async function deliverMessage(message: MailMessage, env: Env = getEnv()): Promise<Delivery> {
  const mail = mailOptions(message, env);
  if (env.SMTP_URL) {
    // Keyed by everything the transport is built from, so a changed CA, DKIM key or connection limit takes effect.
    const key = [env.SMTP_URL, env.SMTP_CA_FILE, env.DKIM_DOMAIN, env.DKIM_SELECTOR, env.DKIM_PRIVATE_KEY_FILE, env.SMTP_MAX_MESSAGES_PER_CONNECTION].join("\n");
    if (!shared || shared.url !== key) {
      shared?.transport.close();
      shared = { url: key, transport: createSmtpTransport(env.SMTP_URL, smtpSecurityFromEnv(env)) };
    }
    const info = await shared.transport.sendMail(mail);
    return { messageId: info.messageId, delivered: "smtp" };
  }
  const offline = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const info = await offline.sendMail(mail);
  mkdirSync(env.MAIL_DIR, { recursive: true });
  const file = path.join(env.MAIL_DIR, mailboxFileName(message.id));
  // Written whole, then renamed: the mailbox never sees half a message.
  writeFileSync(`${file}.part`, info.message as Buffer, { mode: 0o600 });
  renameSync(`${file}.part`, file);
  return { messageId: info.messageId, delivered: file };
}

/** What nodemailer is given for one outbox message, over SMTP or to the demo mailbox alike. */
export function mailOptions(message: MailMessage, env: Pick<Env, "MAIL_FROM" | "APP_URL"> = getEnv()): Mail.Options {
  return {
    from: env.MAIL_FROM,
    to: message.to,
    subject: message.subject,
    // Both parts quoted-printable, encoded here in one pass each; nodemailer writes the headers and
    // the multipart/alternative around them (finding 30 of docs/performance.md).
    text: rawPart(quotedPrintablePart("text/plain", message.text)),
    html: rawPart(quotedPrintablePart("text/html", message.html)),
    messageId: messageIdFor(message.id, env),
    headers: { "Auto-Submitted": "auto-generated" },
  };
}

/** A body part given whole, MIME headers included: nodemailer documents `raw` for text and html, its types do not. */
function rawPart(raw: Buffer): Mail.AttachmentLike {
  return { raw } as Mail.AttachmentLike;
}

/** Time first so a sorted listing is oldest first; the outbox id last so a row finds its file. */
export function mailboxFileName(id: string, at = new Date()): string {
  return `${at.toISOString().replace(/[:.]/g, "-")}-${id}.eml`;
}
