import { and, eq, inArray } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { agencies, areas, digests, outbox } from "#db/schema";
import { queueDigestsForAreas } from "~/models/digests.server";
import { queueEmail, startOutboxWorker, type RunningWorker } from "~/models/outbox.server";
import { buildWorld, type World } from "../support/world";

let world: World;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  world = await buildWorld();
  const db = getDb();
  for (const panel of [world.home, world.other]) {
    await db.update(areas).set({ secureDomains: ["police.example", "health.example"] }).where(eq(areas.id, panel.area.id));
    await db.update(agencies).set({ secureEmail: `marac.${panel.area.code.toLowerCase()}@health.example` }).where(eq(agencies.id, panel.agencies.health.id));
  }
});

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

const areaIds = () => [world.home.area.id, world.other.area.id];
const digestRows = () => getDb().select().from(outbox).where(and(eq(outbox.kind, "digest"), inArray(outbox.areaId, areaIds())));

describe("a digest day across several areas", () => {
  it("queues every agency's digest in every area, each area on its own, and only once", async () => {
    const queued = await queueDigestsForAreas({ areaIds: areaIds(), today: "2026-11-23", concurrency: 2 });
    // Police and health have addresses in both panels; the IDVA services have none.
    expect(queued).toBe(4);
    const rows = await getDb().select().from(digests).where(inArray(digests.areaId, areaIds()));
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => r.areaId))).toEqual(new Set(areaIds()));
    expect(await queueDigestsForAreas({ areaIds: areaIds(), today: "2026-11-23" })).toBe(0);
    expect(await digestRows()).toHaveLength(4);
  });

  it("wakes the worker when an area's digests are committed, without waiting for its next poll", async () => {
    // A poll a minute away: only the wake-up can send these in time.
    worker = startOutboxWorker({ pollMs: 60_000 });
    // Listening: from here on, only a lost wake-up could leave an email waiting for the poll.
    await worker.ready;
    const queued = await queueDigestsForAreas({ areaIds: areaIds(), today: "2026-12-07" });
    expect(queued).toBe(4);
    await expect
      .poll(async () => (await digestRows()).filter((r) => r.status === "sent").length, { timeout: 10_000, interval: 100 })
      .toBe(8);
  });

  it("is woken when the transaction that queued an email commits, however long it ran, and not by one rolled back", async () => {
    worker = startOutboxWorker({ pollMs: 60_000 });
    // Listening: from here on, only a lost wake-up could leave an email waiting for the poll.
    await worker.ready;
    const email = (key: string) => ({ kind: "digest" as const, to: "marac@health.example", subject: "Panel: wake test", html: "<p>wake</p>", text: "wake", idempotencyKey: key, areaId: world.home.area.id });
    const rollback = new Error("rollback");
    await expect(
      getDb().transaction(async (tx) => {
        await queueEmail(tx as never, email("wake:rolled-back"));
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    // The queueing transaction goes on well after the email is written (other work, a slow statement).
    // On PostgreSQL a worker woken before the commit would find nothing and sleep for its minute;
    // PGlite's one connection would make it wait for the commit anyway.
    await getDb().transaction(async (tx) => {
      await queueEmail(tx as never, email("wake:long"));
      await new Promise((r) => setTimeout(r, 600));
    });
    await expect.poll(async () => (await getDb().select().from(outbox).where(eq(outbox.idempotencyKey, "wake:long")))[0]?.status, { timeout: 10_000, interval: 100 }).toBe("sent");
    expect(await getDb().select().from(outbox).where(eq(outbox.idempotencyKey, "wake:rolled-back"))).toEqual([]);
  });
});
