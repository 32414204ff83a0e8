// Run by scripts/bench.ts in the source being benchmarked (its own process): queue the
// digest of every agency in every area and send them all through the outbox to the
// SMTP sink named by SMTP_URL, then print the timings as JSON on the last line.
import { and, count, eq, inArray, sql as dsql } from "drizzle-orm";
import { getDb, getSharedDbHandle } from "../../db/client";
import { areas, outbox } from "../../db/schema";
import { queueDigestsForAreas } from "../../app/models/digests.server";
import { startOutboxWorker } from "../../app/models/outbox.server";
import { closeMailTransport, deliverMessage } from "../../app/models/mail/transport.server";
import { todayInLondon } from "../../app/lib/london-time";

async function main() {
  const db = getDb();
  // Digests are idempotent per agency and period: forget the previous bench run's so this one sends again.
  await db.execute(dsql`delete from digests`);
  await db.execute(dsql`delete from outbox where kind = 'digest'`);
  const list = await db.select({ id: areas.id }).from(areas).orderBy(areas.code);
  const today = todayInLondon();
  // As the app runs a digest day: the worker sends while the scheduler is still composing
  // later areas (a few areas at a time, each in its own transaction).
  const started = performance.now();
  let sent = 0;
  let failed = 0;
  const worker = startOutboxWorker({
    pollMs: 50,
    deliver: async (message) => {
      try {
        const delivery = await deliverMessage(message);
        sent += 1;
        return delivery;
      } catch (error) {
        failed += 1;
        throw error;
      }
    },
  });
  const queued = await queueDigestsForAreas({ areaIds: list.map((a) => a.id), today, db });
  const queuedAt = performance.now();
  for (;;) {
    const [left] = await db.select({ n: count() }).from(outbox).where(and(eq(outbox.kind, "digest"), inArray(outbox.status, ["queued", "sending"])));
    if (Number(left.n) === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const finished = performance.now();
  await worker.stop();
  const sizes = (await db.select({ html: outbox.html, text: outbox.text, subject: outbox.subject, to: outbox.to }).from(outbox).where(dsql`${outbox.kind} = 'digest'`)).map((r) => r);
  closeMailTransport();
  await getSharedDbHandle().close();
  console.log(JSON.stringify({ areas: list.length, queued, sent, failed, queueMs: queuedAt - started, sendMs: finished - queuedAt, totalMs: finished - started, messages: sizes }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
