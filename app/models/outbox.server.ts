import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { and, count, desc, eq, getTableColumns, inArray, lte, or, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { getDb, getSharedDbHandle } from "#db/client";
import { type Placeholders, statement, statementForRows } from "#db/statements";
import { outbox, type OutboxKind, type OutboxRow, type OutboxStatus } from "#db/schema";
import { getEnv } from "~/env.server";
import { wakeableSleep } from "~/lib/wakeable-sleep";
import { inTransaction, writeAudit, type Actor } from "./audit.server";
import { AppError } from "./errors.server";
import { deliverMessage, type Delivery, type MailMessage } from "./mail/transport.server";
import { isUuid } from "./preparation/shared.server";

export interface QueuedEmail {
  kind: OutboxKind;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Same key, same email: queueing it again does nothing (e.g. digest:LLF:<agency>:2026-11-24). */
  idempotencyKey: string;
  areaId?: string | null;
  refId?: string | null;
  accredited?: boolean;
}

/**
 * Write an email to the outbox. Call it with the transaction of the event that
 * causes the email, so both land or neither does. Returns the row, or null when
 * an email with this idempotency key was queued before.
 */
export async function queueEmail(tx: Db, email: QueuedEmail): Promise<QueuedRow | null> {
  return (await queueEmails(tx, [email])).get(email.idempotencyKey) ?? null;
}

/** An outbox row as queueing returns it: everything but the bodies, which the caller has and need not travel back. */
export type QueuedRow = Omit<OutboxRow, "html" | "text">;
const { html: _html, text: _text, ...queuedColumns } = getTableColumns(outbox);

/** An email as the outbox's insert takes it: every column it writes given (null where there is none). */
type OutboxInsert = Required<Omit<QueuedEmail, "areaId" | "refId" | "accredited">> & { areaId: string | null; refId: string | null; accredited: boolean };

const insertEmails = statementForRows((db, rows: Placeholders<OutboxInsert>[]) =>
  db
    .insert(outbox)
    .values(rows.map((p) => ({ kind: p.kind, to: p.to, subject: p.subject, html: p.html, text: p.text, idempotencyKey: p.idempotencyKey, areaId: p.areaId, refId: p.refId, accredited: p.accredited })))
    .onConflictDoNothing({ target: outbox.idempotencyKey })
    .returning(queuedColumns),
);

/** Write several emails to the outbox in one statement; the rows written, by idempotency key (those queued before are absent). */
export async function queueEmails(tx: Db, emails: QueuedEmail[]): Promise<Map<string, QueuedRow>> {
  if (emails.length === 0) return new Map();
  const rows = await insertEmails(
    tx,
    emails.map((email) => ({
      kind: email.kind,
      to: email.to,
      subject: email.subject,
      html: email.html,
      text: email.text,
      idempotencyKey: email.idempotencyKey,
      areaId: email.areaId ?? null,
      refId: email.refId ?? null,
      accredited: email.accredited ?? false,
    })),
  );
  if (rows.length) await notifyOutbox(tx);
  return new Map(rows.map((row) => [row.idempotencyKey, row]));
}

/** The channel on which the outbox's workers hear that there is something to send. */
export const OUTBOX_CHANNEL = "panel_outbox";

/**
 * Tell every outbox worker (in this process or another) to look now rather than at its next
 * poll. Sent in the caller's transaction: PostgreSQL delivers it only when that commits, so
 * a worker never looks before the rows are there, and hears nothing of a rollback.
 */
async function notifyOutbox(tx: Db) {
  await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
}

export interface OutboxWorkerOptions {
  db?: Db;
  /** Names this worker's claims; a fresh random one by default. */
  workerId?: string;
  /** Rows claimed at once. */
  batchSize?: number;
  /** Messages in flight at once (SEND_LANES by default). */
  concurrency?: number;
  /** A row claimed longer ago than this is taken to belong to a worker that died. */
  leaseMs?: number;
  maxAttempts?: number;
  retryBaseMs?: number;
  deliver?: (message: MailMessage) => Promise<Delivery>;
}

const DEFAULT_LEASE_MS = 5 * 60_000;
/**
 * Emails in flight at once: twice the transport's four pooled connections, so that while a lane
 * records the email it has just sent, its connection already has the next one (finding 48).
 */
const SEND_LANES = 8;
const MAX_RETRY_MS = 60 * 60_000;

/** Delay before the next attempt: base, 2×base, 4×base… up to an hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(MAX_RETRY_MS, baseMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * Claim due rows for one worker. `FOR UPDATE SKIP LOCKED` lets several workers
 * (several app instances) claim at once without ever taking the same row; a row
 * left in "sending" past its lease (its worker died between claim and send) is
 * claimed again.
 */
export async function claimDueEmails(options: { db?: Db; workerId: string; limit: number; leaseMs?: number; holding?: ReadonlySet<string> }): Promise<OutboxRow[]> {
  const db = options.db ?? getDb();
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const holding = options.holding?.size ? [...options.holding] : [];
  return db.transaction(async (tx) => {
    const due = tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          or(
            and(eq(outbox.status, "queued"), lte(outbox.nextAttemptAt, sql`now()`)),
            and(eq(outbox.status, "sending"), lte(outbox.claimedAt, sql`now() - make_interval(secs => ${leaseMs / 1000})`)),
          ),
          // A lease shorter than a send must not hand a run the rows it is still sending. One array
          // value, so the statement's text is the same however many rows are held.
          holding.length > 0 ? sql`${outbox.id} <> all(${sql.param(holding)}::uuid[])` : undefined,
        ),
      )
      .orderBy(outbox.nextAttemptAt)
      .limit(options.limit)
      .for("update", { skipLocked: true });
    return tx
      .update(outbox)
      .set({ status: "sending", claimedBy: options.workerId, claimedAt: sql`now()`, attempts: sql`${outbox.attempts} + 1` })
      .where(inArray(outbox.id, due))
      .returning();
  });
}

/** A sent row, recorded by the worker holding its claim: once an email, so built once (decision 015). */
const markSent = statement((db, p: Placeholders<{ id: string; workerId: string; messageId: string }>) =>
  db
    .update(outbox)
    .set({ status: "sent", messageId: sql`${p.messageId}`, sentAt: sql`now()`, lastError: null, claimedBy: null })
    .where(and(eq(outbox.id, p.id), eq(outbox.claimedBy, p.workerId), eq(outbox.status, "sending"))),
);

/** Send one claimed row and record the outcome; only the worker holding the claim may record it. */
async function sendClaimed(db: Db, row: OutboxRow, options: Required<Pick<OutboxWorkerOptions, "maxAttempts" | "retryBaseMs" | "deliver">> & { workerId: string }) {
  const mine = and(eq(outbox.id, row.id), eq(outbox.claimedBy, options.workerId), eq(outbox.status, "sending"));
  let delivery: Delivery;
  try {
    delivery = await options.deliver({ id: row.id, to: row.to, subject: row.subject, html: row.html, text: row.text });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const failed = row.attempts >= options.maxAttempts;
    await db
      .update(outbox)
      .set({
        status: failed ? "failed" : "queued",
        lastError: message.slice(0, 500),
        claimedBy: null,
        nextAttemptAt: sql`now() + make_interval(secs => ${retryDelayMs(row.attempts, options.retryBaseMs) / 1000})`,
      })
      .where(mine);
    return failed ? ("failed" as const) : ("retry" as const);
  }
  // Delivered. If recording it fails, the error propagates and the row stays "sending" until its
  // lease ends; it is not re-queued as if the delivery had failed.
  await markSent(db, { id: row.id, workerId: options.workerId, messageId: delivery.messageId });
  return "sent" as const;
}

export interface OutboxRunResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
}

/** Claim and send due emails until none are left. */
export async function runOutboxOnce(options: OutboxWorkerOptions = {}): Promise<OutboxRunResult> {
  const env = getEnv();
  const db = options.db ?? getDb();
  const workerId = options.workerId ?? `worker-${randomUUID()}`;
  const settings = {
    workerId,
    maxAttempts: options.maxAttempts ?? env.OUTBOX_MAX_ATTEMPTS,
    retryBaseMs: options.retryBaseMs ?? env.OUTBOX_RETRY_SECONDS * 1000,
    deliver: options.deliver ?? ((m: MailMessage) => deliverMessage(m)),
  };
  const result: OutboxRunResult = { claimed: 0, sent: 0, retried: 0, failed: 0 };
  // The rows this run has claimed and not yet finished with: a claim made while they are in flight passes them over.
  const holding = new Set<string>();
  const claim = () => {
    const pending = claimDueEmails({ db, workerId, limit: options.batchSize ?? 50, leaseMs: options.leaseMs, holding });
    // Awaited by the first lane that needs it; marked handled now so a failure while nobody waits yet is not unhandled.
    pending.catch(() => undefined);
    return pending;
  };
  // Claimed rows wait here for a lane. The next batch is claimed once half of this one has been taken,
  // while the lanes still send the rest, so no lane waits for a claim (finding 48). The run
  // ends when a claim finds nothing; rows that failed go back with a later next_attempt_at.
  const waiting: OutboxRow[] = [];
  const claimAheadAt = Math.floor((options.batchSize ?? 50) / 2);
  let claiming: Promise<OutboxRow[]> | null = claim();
  let exhausted = false;
  // After an error no lane takes another row (the error ends the run, as it always has); rows left
  // claimed are claimed again once their lease runs out.
  let stopped = false;
  const nextRow = async (): Promise<OutboxRow | undefined> => {
    for (;;) {
      if (stopped) return undefined;
      const row = waiting.shift();
      if (row) {
        if (waiting.length <= claimAheadAt && !claiming && !exhausted) claiming = claim();
        return row;
      }
      if (exhausted) return undefined;
      const current = (claiming ??= claim());
      const rows = await current;
      // The first lane back from a claim takes its rows in; the others find them waiting.
      if (claiming !== current) continue;
      claiming = null;
      if (rows.length === 0) exhausted = true;
      result.claimed += rows.length;
      for (const claimed of rows) holding.add(claimed.id);
      waiting.push(...rows);
    }
  };
  await Promise.all(
    Array.from({ length: options.concurrency ?? SEND_LANES }, async () => {
      try {
        for (let row = await nextRow(); row; row = await nextRow()) {
          const outcome = await sendClaimed(db, row, settings);
          holding.delete(row.id);
          if (outcome === "sent") result.sent += 1;
          else if (outcome === "retry") result.retried += 1;
          else result.failed += 1;
        }
      } catch (error) {
        stopped = true;
        throw error;
      }
    }),
  );
  return result;
}

export interface RunningWorker {
  /** Settles once the worker listens for new email (or has given up listening and only polls). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The worker loop: send due emails, then sleep until the next poll or a wake-up;
 * `tick` (the mail scheduler) runs every `tickMs` once the worker listens. Errors are logged, never fatal.
 */
export function startOutboxWorker(options: OutboxWorkerOptions & { pollMs?: number; tick?: () => Promise<unknown>; tickMs?: number; log?: (message: string) => void } = {}): RunningWorker {
  const env = getEnv();
  const pollMs = options.pollMs ?? env.OUTBOX_POLL_SECONDS * 1000;
  const log = options.log ?? ((m: string) => console.error(m));
  let stopped = false;
  const workerId = options.workerId ?? `worker-${randomUUID()}`;
  // A wake-up that arrives while a run is under way is remembered, so the loop runs again at once.
  const sleeper = wakeableSleep();
  // Woken by NOTIFY when a transaction that queued email commits (see notifyOutbox); the poll
  // remains for retries coming due. Without a database handle of its own (a caller's db),
  // the worker polls only.
  const listening = options.db ? Promise.resolve(undefined) : getSharedDbHandle().listen(OUTBOX_CHANNEL, sleeper.wake).catch((error: unknown) => {
    log(`Outbox worker: cannot listen for new email, polling only: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  });

  // Sending and scheduling are separate loops, so emails queued by a long scheduler run
  // (a digest day across many areas) are sent while later ones are still being composed.
  const sending = (async () => {
    while (!stopped) {
      try {
        await runOutboxOnce({ ...options, workerId });
      } catch (error) {
        log(`Outbox worker: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (stopped) break;
      await sleeper.sleep(pollMs);
    }
  })();
  // The scheduler starts once the worker listens, so the wake-up for what its first run queues is heard.
  const scheduling = options.tick ? startScheduler({ tick: options.tick, tickMs: options.tickMs, log, startAfter: listening }) : undefined;

  return {
    ready: listening.then(() => undefined),
    async stop() {
      stopped = true;
      sleeper.cancel();
      await Promise.all([sending, scheduling?.stop()]);
      // Stopping must not fail on a connection already gone (the database shutting down too).
      await (await listening)?.().catch(() => undefined);
    },
  };
}

/**
 * The mail scheduler's loop: `tick` (digests, reminders, research notices) once `startAfter` has
 * settled (at once without it), then every `tickMs` (SCHEDULER_SECONDS by default) after the
 * previous run ends. Errors are logged, never fatal. `stop` waits for a run under way to finish;
 * stopped before it has started, it never runs.
 */
export function startScheduler(options: { tick: () => Promise<unknown>; tickMs?: number; log?: (message: string) => void; startAfter?: Promise<unknown> }): { stop(): Promise<void> } {
  const tickMs = options.tickMs ?? getEnv().SCHEDULER_SECONDS * 1000;
  const log = options.log ?? ((m: string) => console.error(m));
  let stopping = false;
  let cancelStart = () => {};
  const cancelled = new Promise<void>((resolve) => (cancelStart = resolve));
  const sleeper = wakeableSleep();
  const stopped = (async () => {
    if (options.startAfter) await Promise.race([options.startAfter, cancelled]);
    while (!stopping) {
      try {
        await options.tick();
      } catch (error) {
        log(`Mail scheduler: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (stopping) break;
      await sleeper.sleep(tickMs);
    }
  })();
  return {
    async stop() {
      stopping = true;
      cancelStart();
      sleeper.cancel();
      await stopped;
    },
  };
}

// ---------------------------------------------------------------------------
// Admin: the outbox page and the demo mailbox.

export const OUTBOX_PAGE_SIZE = 50;

/** An area's emails, newest first: delivery facts only, never the body (the admin sees no case content). */
export async function listOutboxEmails(options: { actor: Actor; areaId: string; status?: OutboxStatus; db?: Db }) {
  const db = options.db ?? getDb();
  const where = and(eq(outbox.areaId, options.areaId), options.status ? eq(outbox.status, options.status) : undefined);
  const rows = await db
    .select({
      id: outbox.id,
      kind: outbox.kind,
      to: outbox.to,
      subject: outbox.subject,
      status: outbox.status,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      nextAttemptAt: outbox.nextAttemptAt,
      sentAt: outbox.sentAt,
      createdAt: outbox.createdAt,
    })
    .from(outbox)
    .where(where)
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(OUTBOX_PAGE_SIZE);
  const totals = await db.select({ status: outbox.status, n: count() }).from(outbox).where(eq(outbox.areaId, options.areaId)).groupBy(outbox.status);
  const counts = Object.fromEntries(totals.map((t) => [t.status, Number(t.n)])) as Partial<Record<OutboxStatus, number>>;
  return { rows, counts };
}

/** Put a failed email back in the queue with its attempts reset. */
export async function retryOutboxEmail(options: { actor: Actor; areaId: string; emailId: string; db?: Db }) {
  if (!isUuid(options.emailId)) throw new AppError("NOT_FOUND", "errors.notFound");
  const row = await inTransaction(options.db, async (tx) => {
    const [updated] = await tx
      .update(outbox)
      .set({ status: "queued", attempts: 0, nextAttemptAt: sql`now()`, lastError: null })
      .where(and(eq(outbox.id, options.emailId), eq(outbox.areaId, options.areaId), eq(outbox.status, "failed")))
      .returning({ id: outbox.id, kind: outbox.kind });
    if (!updated) {
      const [exists] = await tx.select({ id: outbox.id }).from(outbox).where(and(eq(outbox.id, options.emailId), eq(outbox.areaId, options.areaId)));
      throw exists ? new AppError("CONFLICT", "mail:outbox.errors.notFailed") : new AppError("NOT_FOUND", "errors.notFound");
    }
    await writeAudit(tx, options.actor, { areaId: options.areaId, action: "outbox.retried", entity: "outbox", entityId: updated.id, detail: { kind: updated.kind } });
    await notifyOutbox(tx);
    return updated;
  });
  return row;
}

export interface MailboxMessage {
  id: string;
  kind: OutboxKind;
  to: string;
  subject: string;
  sentAt: Date | null;
}

export interface MailboxMessageDetail extends MailboxMessage {
  from: string;
  messageId: string;
  text: string;
  attachments: number;
}

/** The demo mailbox's files by outbox id (the offline transport names each `<time>-<outbox id>.eml`). */
function mailboxFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const file of readdirSync(dir)) {
    const id = /-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.eml$/.exec(file)?.[1];
    if (id) files.set(id, file);
  }
  return files;
}

/**
 * The demo mailbox: emails of this area that the offline transport wrote as
 * .eml files (no SMTP_URL). Listed from the outbox so an area sees only its own.
 */
export async function listMailbox(options: { actor: Actor; areaId: string; db?: Db }): Promise<{ offline: boolean; messages: MailboxMessage[] }> {
  const env = getEnv();
  if (env.SMTP_URL) return { offline: false, messages: [] };
  const db = options.db ?? getDb();
  const rows = await db
    .select({ id: outbox.id, kind: outbox.kind, to: outbox.to, subject: outbox.subject, sentAt: outbox.sentAt })
    .from(outbox)
    .where(and(eq(outbox.areaId, options.areaId), eq(outbox.status, "sent")))
    .orderBy(desc(outbox.sentAt), desc(outbox.id))
    .limit(OUTBOX_PAGE_SIZE);
  const files = mailboxFiles(env.MAIL_DIR);
  return { offline: true, messages: rows.filter((r) => files.has(r.id)) };
}

/**
 * One message of the demo mailbox, as the offline transport wrote it. Audited:
 * an agency's digest carries case references, initials and action text.
 */
export async function readMailboxMessage(options: { actor: Actor; areaId: string; emailId: string; db?: Db }): Promise<MailboxMessageDetail> {
  const env = getEnv();
  if (env.SMTP_URL || !isUuid(options.emailId)) throw new AppError("NOT_FOUND", "errors.notFound");
  return inTransaction(options.db, async (db) => {
    const [row] = await db
      .select({ id: outbox.id, kind: outbox.kind, to: outbox.to, subject: outbox.subject, sentAt: outbox.sentAt })
      .from(outbox)
      .where(and(eq(outbox.id, options.emailId), eq(outbox.areaId, options.areaId), eq(outbox.status, "sent")));
    const file = row ? mailboxFiles(env.MAIL_DIR).get(row.id) : undefined;
    if (!row || !file) throw new AppError("NOT_FOUND", "errors.notFound");
    // Parsed from the file itself, so the page shows what was actually written, not what the outbox meant to send.
    const parsed = await simpleParser(readFileSync(path.join(env.MAIL_DIR, file)));
    await writeAudit(db, options.actor, { areaId: options.areaId, action: "mailbox.read", entity: "outbox", entityId: row.id, detail: { kind: row.kind } });
    return {
      ...row,
      to: Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(", ") : (parsed.to?.text ?? row.to),
      subject: parsed.subject ?? row.subject,
      from: parsed.from?.text ?? "",
      messageId: parsed.messageId ?? "",
      text: parsed.text ?? "",
      attachments: parsed.attachments.length,
    };
  });
}
