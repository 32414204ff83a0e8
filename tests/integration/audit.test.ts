import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { makeArea } from "#db/factories";
import { auditEvents } from "#db/schema";
import { inAuditedReads, inTransaction, verifyAuditChains, writeAudit, writeAuditRows } from "~/models/audit.server";

describe("audit log", () => {
  it("chains rows per area and verifies them", async () => {
    const area = await makeArea(getDb(), { name: "Audit MARAC", code: "AUD" });
    for (let i = 0; i < 5; i++) {
      await inTransaction(undefined, (tx) => writeAudit(tx, { userId: null, ip: "127.0.0.1" }, { areaId: area.id, action: "test.event", entity: "things", detail: { i } }));
    }
    await inTransaction(undefined, (tx) => writeAudit(tx, { userId: null }, { action: "test.global", entity: "things" }));
    const result = await verifyAuditChains();
    expect(result.problems).toEqual([]);
    expect(result.checked).toBeGreaterThanOrEqual(6);
    const rows = await getDb().select().from(auditEvents).where(sql`${auditEvents.chain} = ${area.id}`).orderBy(auditEvents.seq);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < rows.length; i++) expect(rows[i].prevHash).toBe(rows[i - 1].hash);
  });

  it("keeps concurrent appends to one chain in an unbroken sequence", async () => {
    const area = await makeArea(getDb(), { name: "Busy MARAC", code: "BSY" });
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        inTransaction(undefined, (tx) => writeAudit(tx, { userId: null }, { areaId: area.id, action: "test.parallel", entity: "things", detail: { i } })),
      ),
    );
    expect((await verifyAuditChains()).problems).toEqual([]);
  });

  it("appends several rows at once in order, each chain continuing from its head, interleaved with single appends", async () => {
    const area = await makeArea(getDb(), { name: "Batch MARAC", code: "BAT" });
    const other = await makeArea(getDb(), { name: "Second batch MARAC", code: "BA2" });
    await inTransaction(undefined, (tx) => writeAudit(tx, { userId: null }, { areaId: area.id, action: "test.single", entity: "things" }));
    await inTransaction(undefined, (tx) =>
      writeAuditRows(tx, { userId: null, ip: "192.0.2.9" }, [
        { areaId: area.id, action: "test.batch", entity: "things", detail: { i: 0 } },
        { areaId: other.id, action: "test.batch", entity: "things", detail: { i: 1 } },
        { areaId: area.id, action: "test.batch", entity: "things", detail: { i: 2 } },
        { areaId: area.id, action: "test.batch", entity: "things", detail: { i: 3 } },
      ]),
    );
    await inTransaction(undefined, (tx) => writeAudit(tx, { userId: null }, { areaId: area.id, action: "test.single", entity: "things" }));
    const rows = await getDb().select().from(auditEvents).where(sql`${auditEvents.chain} = ${area.id}`).orderBy(auditEvents.seq);
    expect(rows.map((r) => [r.seq, r.action, (r.detail as { i?: number }).i ?? null])).toEqual([
      [1, "test.single", null],
      [2, "test.batch", 0],
      [3, "test.batch", 2],
      [4, "test.batch", 3],
      [5, "test.single", null],
    ]);
    for (let i = 1; i < rows.length; i++) expect(rows[i].prevHash).toBe(rows[i - 1].hash);
    const second = await getDb().select().from(auditEvents).where(sql`${auditEvents.chain} = ${other.id}`);
    expect(second.map((r) => [r.seq, r.ip])).toEqual([[1, "192.0.2.9"]]);
    expect((await verifyAuditChains()).problems).toEqual([]);
  });

  it("appends a long batch with one lock of the head and a short one row by row, both continuing the chain", async () => {
    const area = await makeArea(getDb(), { name: "Long batch MARAC", code: "LBT" });
    const fresh = await makeArea(getDb(), { name: "Fresh chain MARAC", code: "FRC" });
    await inTransaction(undefined, (tx) => writeAudit(tx, { userId: null }, { areaId: area.id, action: "test.single", entity: "things" }));
    await inTransaction(undefined, (tx) =>
      writeAuditRows(
        tx,
        { userId: null },
        [
          ...Array.from({ length: 6 }, (_, i) => ({ areaId: area.id, action: "test.long", entity: "things", detail: { i } })),
          // A chain with no head yet, three rows sent together: the first creates the head.
          ...Array.from({ length: 3 }, (_, i) => ({ areaId: fresh.id, action: "test.short", entity: "things", detail: { i, text: 'quotes " and ünïcode' } })),
        ],
      ),
    );
    await inTransaction(undefined, (tx) => writeAudit(tx, { userId: null }, { areaId: area.id, action: "test.single", entity: "things" }));
    const rows = await getDb().select().from(auditEvents).where(sql`${auditEvents.chain} = ${area.id}`).orderBy(auditEvents.seq);
    expect(rows.map((r) => [r.seq, r.action, (r.detail as { i?: number }).i ?? null])).toEqual([
      [1, "test.single", null],
      ...Array.from({ length: 6 }, (_, i) => [i + 2, "test.long", i]),
      [8, "test.single", null],
    ]);
    const second = await getDb().select().from(auditEvents).where(sql`${auditEvents.chain} = ${fresh.id}`).orderBy(auditEvents.seq);
    expect(second.map((r) => [r.seq, (r.detail as { i: number }).i])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
    ]);
    expect((await verifyAuditChains()).problems).toEqual([]);
  });

  it("keeps a page's audited reads until they are done, then appends them in order before the commit", async () => {
    const area = await makeArea(getDb(), { name: "Page reads MARAC", code: "PGR" });
    const inChain = (db = getDb()) => db.select().from(auditEvents).where(sql`${auditEvents.chain} = ${area.id}`).orderBy(auditEvents.seq);
    let seenInside = -1;
    const answer = await inAuditedReads(async (tx) => {
      await writeAudit(tx, { userId: null, ip: "192.0.2.1" }, { areaId: area.id, action: "test.read_one", entity: "things" });
      await Promise.all([
        writeAudit(tx, { userId: null, ip: "192.0.2.1" }, { areaId: area.id, action: "test.read_two", entity: "things", detail: { n: 2 } }),
        writeAudit(tx, { userId: null, ip: "192.0.2.1" }, { areaId: area.id, action: "test.read_three", entity: "things" }),
      ]);
      seenInside = (await inChain(tx)).length;
      return "read";
    });
    expect(answer).toBe("read");
    expect(seenInside).toBe(0);
    const rows = await inChain();
    expect(rows.map((r) => [r.seq, r.action, r.ip])).toEqual([
      [1, "test.read_one", "192.0.2.1"],
      [2, "test.read_two", "192.0.2.1"],
      [3, "test.read_three", "192.0.2.1"],
    ]);
    // A read that fails leaves no audit row, and a later transaction on the same handle audits at once again.
    await expect(
      inAuditedReads(async (tx) => {
        await writeAudit(tx, { userId: null }, { areaId: area.id, action: "test.read_failed", entity: "things" });
        throw new Error("read failed");
      }),
    ).rejects.toThrow("read failed");
    await inTransaction(undefined, async (tx) => {
      await writeAudit(tx, { userId: null }, { areaId: area.id, action: "test.write", entity: "things" });
      expect((await inChain(tx)).map((r) => r.action)).toContain("test.write");
    });
    expect((await inChain()).map((r) => r.action)).toEqual(["test.read_one", "test.read_two", "test.read_three", "test.write"]);
    expect((await verifyAuditChains()).problems).toEqual([]);
  });

  it("refuses to update or delete an audit row", async () => {
    await expect(getDb().execute(sql`update audit_events set action = 'tampered'`)).rejects.toThrow();
    await expect(getDb().execute(sql`delete from audit_events`)).rejects.toThrow();
  });

  it("rolls the audit row back with the change it records", async () => {
    const before = (await getDb().select().from(auditEvents)).length;
    await expect(
      inTransaction(undefined, async (tx) => {
        await writeAudit(tx, { userId: null }, { action: "test.rolled_back", entity: "things" });
        throw new Error("change failed");
      }),
    ).rejects.toThrow("change failed");
    expect((await getDb().select().from(auditEvents)).length).toBe(before);
    expect((await verifyAuditChains()).problems).toEqual([]);
  });

  it("detects a row whose stored content no longer matches its hash", async () => {
    // Simulate tampering below the trigger (e.g. by a superuser with triggers disabled).
    await getDb().execute(sql`alter table audit_events disable trigger audit_events_append_only`);
    await getDb().execute(sql`update audit_events set detail = '{"i": 99}' where action = 'test.event' and seq = 3`);
    await getDb().execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    const { problems } = await verifyAuditChains();
    expect(problems).toContainEqual(expect.objectContaining({ seq: 3, problem: "hash_mismatch" }));
  });
});
