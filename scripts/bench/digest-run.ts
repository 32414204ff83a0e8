// Run by scripts/bench.ts in the source being benchmarked (its own process): queue the
// digest of every agency in every area and send them all through the outbox to the
// SMTP sink named by SMTP_URL, then print the timings as JSON on the last line.
// DIGEST_WORKER=inline (the default, as `npm start` runs): this process sends while it composes
// (on PostgreSQL it composes on the main thread and sends from its mail thread, decision 020).
// DIGEST_WORKER=process: `npm run worker` sends from a process of its own, woken by NOTIFY.
import { spawn } from "node:child_process";
import { and, count, eq, inArray, sql as dsql } from "drizzle-orm";
import { getDb, getSharedDbHandle } from "../../db/client";
import { areas, outbox } from "../../db/schema";
import { queueDigestsForAreas } from "../../app/models/digests.server";
import { startMailWorker } from "../../server/mail-worker";
import { closeMailTransport } from "../../app/models/mail/transport.server";
import { todayInLondon } from "../../app/lib/london-time";
import { perRequest, startCpuAccount } from "./cpu";

async function startWorker(mode: string) {
  if (mode === "process") {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], { env: { ...process.env, MAIL_SCHEDULER: "off", OUTBOX_POLL_SECONDS: "60" }, stdio: ["ignore", "pipe", "inherit"] });
    // Listening once it has printed its start line.
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once("data", () => resolve());
      child.once("exit", (code) => reject(new Error(`npm run worker exited with ${code}`)));
    });
    return {
      pid: child.pid,
      stop: async () => {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      },
    };
  }
  const worker = startMailWorker({ handle: getSharedDbHandle(), pollMs: 50 });
  await worker.ready;
  return worker;
}

async function main() {
  const db = getDb();
  const mode = process.env.DIGEST_WORKER ?? "inline";
  // Digests are idempotent per agency and period: forget the previous bench run's so this one sends again.
  await db.execute(dsql`delete from digests`);
  await db.execute(dsql`delete from outbox where kind = 'digest'`);
  const list = await db.select({ id: areas.id }).from(areas).orderBy(areas.code);
  const today = todayInLondon();
  const worker = await startWorker(mode);
  // As the app runs a digest day: the worker sends while the scheduler is still composing
  // later areas (a few areas at a time, each in its own transaction).
  const started = performance.now();
  // Every process's CPU over the run (finding 37): this one composes (and, inline, sends); a separate worker; the sink.
  const named: Record<string, number> = {};
  if ("pid" in worker && worker.pid) named.worker = worker.pid;
  if (process.env.SINK_PID) named.sink = Number(process.env.SINK_PID);
  const account = startCpuAccount(null, named);
  const queued = await queueDigestsForAreas({ areaIds: list.map((a) => a.id), today, db });
  const queuedAt = performance.now();
  for (;;) {
    const [left] = await db.select({ n: count() }).from(outbox).where(and(eq(outbox.kind, "digest"), inArray(outbox.status, ["queued", "sending"])));
    if (Number(left.n) === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const finished = performance.now();
  const spent = account.stop();
  await worker.stop();
  const outcomes = await db.select({ status: outbox.status, n: count() }).from(outbox).where(eq(outbox.kind, "digest")).groupBy(outbox.status);
  const of = (status: string) => Number(outcomes.find((o) => o.status === status)?.n ?? 0);
  const messages = await db.select({ html: outbox.html, text: outbox.text, subject: outbox.subject, to: outbox.to }).from(outbox).where(eq(outbox.kind, "digest"));
  closeMailTransport();
  await getSharedDbHandle().close();
  const sent = of("sent");
  console.log(JSON.stringify({ mode, areas: list.length, queued, sent, failed: of("failed"), cpuMs: spent.benchMs, cpuPerEmail: perRequest(spent, sent), queueMs: queuedAt - started, sendMs: finished - queuedAt, totalMs: finished - started, messages }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
