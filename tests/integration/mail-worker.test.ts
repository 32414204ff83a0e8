import { isMainThread } from "node:worker_threads";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb, getSharedDbHandle, type DbHandle } from "#db/client";
import { makeArea } from "#db/factories";
import { outbox, type Area } from "#db/schema";
import { queueEmail, startScheduler } from "~/models/outbox.server";
import { startMailWorker, type MailWorker } from "../../server/mail-worker";
import { getTestDatabaseUrl } from "../support/database";
import { startSmtpSink, useSmtpSink, type SmtpSink } from "../support/smtp";

// The app process's outbox worker (MAIL_WORKER=inline, decision 020): a thread of its own on
// PostgreSQL, the main thread on the embedded database.
const onPostgres = () => getSharedDbHandle().driver === "postgres";

let area: Area;
let sink: SmtpSink;
let restore: () => void;
let worker: MailWorker | undefined;

beforeAll(async () => {
  area = await makeArea(getDb(), { name: "Mail Worker MARAC", code: "MWK" });
  sink = await startSmtpSink();
  // Set before each worker starts: a thread takes a copy of the environment when it starts.
  restore = useSmtpSink(sink);
});

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

afterAll(async () => {
  restore();
  await sink.stop();
});

let counter = 0;
async function queue(subject: string) {
  const key = `mail-worker:${++counter}:${Date.now()}`;
  const row = await getDb().transaction((tx) => queueEmail(tx as never, { kind: "action_reminder", to: "marac@police.example", subject, html: `<p>${subject}</p>`, text: subject, idempotencyKey: key, areaId: area.id }));
  return row!.id;
}
const statusOf = async (id: string) => (await getDb().select({ status: outbox.status, messageId: outbox.messageId }).from(outbox).where(eq(outbox.id, id)))[0];

describe("the app's mail worker", () => {
  it("runs in a thread of its own on PostgreSQL and on the main thread on the embedded database, and sends what is queued", async () => {
    // A poll an hour away: only the wake-up on commit, heard by the thread's own connection, can send this in time.
    worker = startMailWorker({ handle: getSharedDbHandle(), databaseUrl: getTestDatabaseUrl(), pollMs: 3_600_000 });
    expect(worker.where).toBe(onPostgres() ? "thread" : "main");
    await worker.ready;
    const id = await queue("Sent by the mail worker");
    const [message] = await sink.waitForMessages(1);
    expect(message.parsed.subject).toBe("Sent by the mail worker");
    expect(message.parsed.text?.trim()).toBe("Sent by the mail worker");
    await expect.poll(async () => (await statusOf(id))?.status, { timeout: 10_000, interval: 50 }).toBe("sent");
    expect((await statusOf(id))?.messageId).toBe(`<${id}@127.0.0.1>`);
  });

  it("sends nothing once stopped", async () => {
    worker = startMailWorker({ handle: getSharedDbHandle(), databaseUrl: getTestDatabaseUrl(), pollMs: 50 });
    await worker.ready;
    await worker.stop();
    worker = undefined;
    const before = sink.messages.length;
    const id = await queue("Queued after the worker stopped");
    await new Promise((r) => setTimeout(r, 500));
    expect((await statusOf(id))?.status).toBe("queued");
    expect(sink.messages.length).toBe(before);
    // The next worker sends it.
    worker = startMailWorker({ handle: getSharedDbHandle(), databaseUrl: getTestDatabaseUrl(), pollMs: 50 });
    await expect.poll(async () => (await statusOf(id))?.status, { timeout: 10_000, interval: 50 }).toBe("sent");
  });

  it("runs the scheduler on the main thread, beside the sending, and sends what it queues", async () => {
    const runs: { mainThread: boolean }[] = [];
    let scheduled: string | undefined;
    worker = startMailWorker({
      handle: getSharedDbHandle(),
      databaseUrl: getTestDatabaseUrl(),
      pollMs: 3_600_000,
      schedule: async () => {
        runs.push({ mainThread: isMainThread });
        scheduled ??= await queue("Queued by the scheduler");
      },
    });
    await worker.ready;
    await expect.poll(() => scheduled, { timeout: 10_000, interval: 20 }).toBeDefined();
    await expect.poll(async () => (await statusOf(scheduled!))?.status, { timeout: 10_000, interval: 50 }).toBe("sent");
    expect(runs[0]).toEqual({ mainThread: true });
    expect(sink.messages.some((m) => m.parsed.subject === "Queued by the scheduler")).toBe(true);
  });

  it("starts the thread again when it stops unasked, and says so", async () => {
    const logged: string[] = [];
    // A thread that fails at once and never opens its database: any PostgreSQL handle will do.
    worker = startMailWorker({
      handle: { driver: "postgres" } as DbHandle,
      databaseUrl: "postgres://unused.invalid/none",
      entry: new URL("../fixtures/mail-thread/crashing.ts", import.meta.url),
      log: (m) => logged.push(m),
    });
    await worker.ready;
    await expect.poll(() => logged.filter((m) => m.includes("stopped (exit code 3)")).length, { timeout: 10_000, interval: 50 }).toBeGreaterThanOrEqual(2);
    expect(logged[0]).toBe("Mail worker thread stopped (exit code 3); starting another in 1 s.");
    await worker.stop();
    worker = undefined;
    const seen = logged.length;
    await new Promise((r) => setTimeout(r, 1_500));
    // Stopped for good: no more restarts.
    expect(logged.length).toBe(seen);
  });
});

describe("the mail scheduler's loop", () => {
  it("runs at once and then every interval, logs a failed run and goes on, and on stopping waits for the run under way", async () => {
    const logged: string[] = [];
    let runs = 0;
    let finished = 0;
    const scheduler = startScheduler({
      tickMs: 30,
      log: (m) => logged.push(m),
      tick: async () => {
        runs += 1;
        if (runs === 2) throw new Error("the database went away");
        await new Promise((r) => setTimeout(r, 40));
        finished += 1;
      },
    });
    expect(runs).toBe(1);
    await expect.poll(() => runs, { timeout: 5_000, interval: 10 }).toBeGreaterThanOrEqual(3);
    expect(logged).toEqual(["Mail scheduler: the database went away"]);
    await scheduler.stop();
    // Every run that started and did not fail has finished; none starts after stopping.
    expect(finished).toBe(runs - 1);
    const after = runs;
    await new Promise((r) => setTimeout(r, 100));
    expect(runs).toBe(after);
  });

  it("waits for what it is told to start after, and never runs if stopped before that", async () => {
    let runs = 0;
    let listen = () => {};
    const listening = new Promise<void>((resolve) => (listen = resolve));
    const scheduler = startScheduler({ tick: async () => void (runs += 1), tickMs: 60_000, startAfter: listening });
    await new Promise((r) => setTimeout(r, 50));
    expect(runs).toBe(0);
    listen();
    await expect.poll(() => runs, { timeout: 5_000, interval: 10 }).toBe(1);
    await scheduler.stop();

    // Stopped while still waiting: stopping does not wait for the start, and no run follows it.
    const never = startScheduler({ tick: async () => void (runs += 1), tickMs: 60_000, startAfter: new Promise(() => {}) });
    await never.stop();
    await new Promise((r) => setTimeout(r, 50));
    expect(runs).toBe(1);
  });
});
