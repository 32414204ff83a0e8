import { Worker } from "node:worker_threads";
import type { DbHandle } from "../db/client";
import { startOutboxWorker, startScheduler, type RunningWorker } from "../app/models/outbox.server";
import { closeMailTransport } from "../app/models/mail/transport.server";
import type { MailThreadData, MailThreadMessage } from "./mail-thread";

export interface MailWorker extends RunningWorker {
  /** Where the outbox is sent from. "thread": a thread of its own, with its own database pool (PostgreSQL). "main": the process's main thread (PGlite). */
  where: "thread" | "main";
}

export interface MailWorkerOptions {
  /** The process's database: its driver decides where the worker runs. */
  handle: DbHandle;
  /** The database URL for the thread's own pool (PostgreSQL only); DATABASE_URL by default. */
  databaseUrl?: string;
  /** The mail scheduler's run (digests, reminders, research notices), repeated every SCHEDULER_SECONDS on the main thread; none when absent. */
  schedule?: () => Promise<unknown>;
  /** How often the outbox is polled for retries coming due; OUTBOX_POLL_SECONDS by default. */
  pollMs?: number;
  log?: (message: string) => void;
  /** The thread's module; server/mail-thread.ts unless a test gives another. */
  entry?: URL;
}

/** A thread that stops, or fails to start, is started again after this long. */
const RESTART_MS = 1_000;
/** A thread still busy this long after being asked to stop is ended outright; its claims are taken again once their lease runs out. */
const STOP_GRACE_MS = 15_000;

/**
 * The outbox worker and mail scheduler of the app process (`MAIL_WORKER=inline`), decision 020.
 * On PostgreSQL the outbox is sent from a worker thread with a pool of its own, so encoding and
 * sending (a steady stream of CPU work on a digest day) use the second core and never hold up page
 * views, while the scheduler composes on the main thread, between requests, and the two overlap.
 * PGlite is a database inside this process that one thread opens, so there both stay on the main thread.
 */
export function startMailWorker(options: MailWorkerOptions): MailWorker {
  const log = options.log ?? ((m: string) => console.error(m));
  if (options.handle.driver === "pglite") {
    const worker = startOutboxWorker({ pollMs: options.pollMs, log, tick: options.schedule });
    return {
      where: "main",
      ready: worker.ready,
      async stop() {
        await worker.stop();
        closeMailTransport();
      },
    };
  }
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("startMailWorker: a PostgreSQL handle needs its database URL");
  const data: MailThreadData = { entry: (options.entry ?? new URL("./mail-thread.ts", import.meta.url)).href, databaseUrl, pollMs: options.pollMs };

  let stopping = false;
  let current: Worker | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));

  const start = () => {
    const thread = new Worker(new URL("./mail-thread.mjs", import.meta.url), { workerData: data, name: "panel-mail" });
    current = thread;
    thread.on("message", (message: MailThreadMessage) => {
      if (message.type === "ready") resolveReady();
    });
    thread.on("error", (error) => log(`Mail worker thread: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
    thread.on("exit", (code) => {
      if (current === thread) current = undefined;
      if (stopping) return;
      log(`Mail worker thread stopped (exit code ${code}); starting another in ${RESTART_MS / 1000} s.`);
      restartTimer = setTimeout(start, RESTART_MS);
    });
  };
  start();
  // The scheduler starts once the thread listens, so the wake-up for what its first run queues is heard.
  const scheduler = options.schedule ? startScheduler({ tick: options.schedule, log, startAfter: ready }) : undefined;

  return {
    where: "thread",
    ready,
    async stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      // A scheduler run under way finishes first, so the thread can still send what it queued.
      await scheduler?.stop();
      const thread = current;
      if (!thread) return;
      const exited = new Promise<void>((resolve) => thread.once("exit", () => resolve()));
      const grace = setTimeout(() => void thread.terminate(), STOP_GRACE_MS);
      thread.postMessage({ type: "stop" } satisfies MailThreadMessage);
      await exited;
      clearTimeout(grace);
    },
  };
}
