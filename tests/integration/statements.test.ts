import * as drizzle from "drizzle-orm";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb, getDb, type Db } from "#db/client";
import { agencies, areas, auditEvents, sessions } from "#db/schema";
import { plannedRowMapper, statement, statementForRows, type Placeholders, type SelectedField } from "#db/statements";
import { createSession } from "~/models/auth/sessions.server";
import { buildWorld, type World } from "../support/world";

let world: World;
beforeAll(async () => {
  world = await buildWorld();
});

const activeAgenciesOf = (db: Db, p: Placeholders<{ areaId: string }> | { areaId: string }) =>
  db
    .select({ agency: { id: agencies.id, name: agencies.name }, area: areas.code })
    .from(agencies)
    .innerJoin(areas, eq(areas.id, agencies.areaId))
    .where(and(eq(agencies.areaId, p.areaId), eq(agencies.active, true)))
    .orderBy(asc(agencies.name));
const activeAgencies = statement((db, p: Placeholders<{ areaId: string }>) => activeAgenciesOf(db, p));

describe("statement(): built once, run with each call's values", () => {
  it("returns what the same query built afresh returns, in the same shape, for each panel it is asked about", async () => {
    for (const panel of [world.home, world.other, world.home]) {
      const reused = await activeAgencies(getDb(), { areaId: panel.area.id });
      expect(reused).toEqual(await activeAgenciesOf(getDb(), { areaId: panel.area.id }));
      expect(reused.map((r) => r.agency.name)).toEqual(["Health Board", "IDVA Service", "Police"]);
      expect(new Set(reused.map((r) => r.area))).toEqual(new Set([panel.area.code]));
    }
  });

  it("runs inside the transaction it is given: it sees that transaction's rows, and nothing is left when it rolls back", async () => {
    const rolledBack = new Error("roll back");
    await expect(
      getDb().transaction(async (tx) => {
        await tx.insert(agencies).values({ areaId: world.home.area.id, name: "Adult Services", kind: "adult_services" });
        const inside = await activeAgencies(tx as unknown as Db, { areaId: world.home.area.id });
        expect(inside.map((r) => r.agency.name)).toEqual(["Adult Services", "Health Board", "IDVA Service", "Police"]);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    const after = await activeAgencies(getDb(), { areaId: world.home.area.id });
    expect(after.map((r) => r.agency.name)).toEqual(["Health Board", "IDVA Service", "Police"]);
  });

  it("passes dates through to the driver and encodes insert values by their column (json, timestamps)", async () => {
    const { session } = await createSession({ userId: world.home.users.chair.id, twoFactorVerified: true });
    const liveSessions = statement((db, p: Placeholders<{ userId: string; now: Date }>) =>
      db.select({ id: sessions.id }).from(sessions).where(and(eq(sessions.userId, p.userId), gt(sessions.expiresAt, p.now))),
    );
    expect((await liveSessions(getDb(), { userId: world.home.users.chair.id, now: new Date() })).map((r) => r.id)).toContain(session.id);
    expect(await liveSessions(getDb(), { userId: world.home.users.chair.id, now: new Date(session.expiresAt.getTime() + 1000) })).toEqual([]);

    const rename = statement((db, p: Placeholders<{ id: string; name: string }>) =>
      db.update(agencies).set({ name: sql`${p.name}`, version: sql`${agencies.version} + 1` }).where(eq(agencies.id, p.id)).returning({ name: agencies.name, version: agencies.version }),
    );
    const [renamed] = await rename(getDb(), { id: world.other.agencies.police.id, name: "Police Service" });
    expect(renamed).toEqual({ name: "Police Service", version: world.other.agencies.police.version + 1 });
    const [stored] = await getDb().select({ name: agencies.name }).from(agencies).where(eq(agencies.id, world.other.agencies.police.id));
    expect(stored.name).toBe("Police Service");

    const note = statement((db, p: Placeholders<{ chain: string; detail: Record<string, unknown>; at: Date }>) =>
      db
        .insert(auditEvents)
        .values({ chain: p.chain, seq: 1, at: p.at, action: "statement.test", entity: "test", detail: p.detail, prevHash: "0", hash: "1" })
        .returning({ detail: auditEvents.detail, at: auditEvents.at }),
    );
    // Written and read back inside a transaction that is then rolled back, so no stray audit chain is left.
    const at = new Date("2026-11-24T10:00:00Z");
    const done = new Error("roll back");
    await expect(
      getDb().transaction(async (tx) => {
        const [row] = await note(tx as unknown as Db, { chain: `statement-test-${Date.now()}`, detail: { cases: 3, name: 'a "quoted" name' }, at });
        expect(row).toEqual({ detail: { cases: 3, name: 'a "quoted" name' }, at });
        throw done;
      }),
    ).rejects.toBe(done);
  });

  it("runs on a second database of another kind in the same process (an embedded one beside the test database)", async () => {
    const embedded = createDb({ dataDir: "memory://" });
    try {
      await embedded.migrate();
      const [area] = await embedded.db.insert(areas).values({ name: "Embedded MARAC", code: "EMB" }).returning();
      await embedded.db.insert(agencies).values([
        { areaId: area.id, name: "Probation", kind: "probation" },
        { areaId: area.id, name: "Housing", kind: "housing" },
      ]);
      expect((await activeAgencies(embedded.db, { areaId: area.id })).map((r) => r.agency.name)).toEqual(["Housing", "Probation"]);
      // And the test database's answers are unchanged after it.
      expect((await activeAgencies(getDb(), { areaId: world.home.area.id })).map((r) => r.agency.name)).toEqual(["Health Board", "IDVA Service", "Police"]);
    } finally {
      await embedded.close();
    }
  });

  it("refuses a call that leaves a placeholder without a value, naming it", async () => {
    await expect(activeAgencies(getDb(), {} as { areaId: string })).rejects.toThrow('No value for placeholder "areaId" was provided');
  });
});

describe("statementForRows(): a multi-row insert built once per number of rows", () => {
  type Note = { chain: string; seq: number; at: Date; entityId: string | null; detail: Record<string, unknown> };
  let builds = 0;
  const noteRows = (db: Db, rows: (Placeholders<Note> | Note)[]) =>
    db
      .insert(auditEvents)
      .values(rows.map((p) => ({ chain: p.chain, seq: p.seq, at: p.at, action: "statement.test", entity: "test", entityId: p.entityId, detail: p.detail, prevHash: "0", hash: "1" })))
      .returning({ chain: auditEvents.chain, seq: auditEvents.seq, at: auditEvents.at, entityId: auditEvents.entityId, detail: auditEvents.detail });
  const insertNotes = statementForRows((db, rows: Placeholders<Note>[]) => {
    builds += 1;
    return noteRows(db, rows);
  });
  const notes = (chain: string, n: number): Note[] =>
    Array.from({ length: n }, (_, i) => ({ chain, seq: i + 1, at: new Date(Date.UTC(2026, 10, 24, 10, i)), entityId: i % 2 ? null : `entity ${i}`, detail: { row: i, name: i === 1 ? 'a "quoted" name' : "Llŷr" } }));
  // Written and read back inside a transaction that is then rolled back, so no stray audit chain is left.
  const rolledBack = async (fn: (tx: Db) => Promise<void>) => {
    const done = new Error("roll back");
    await expect(
      getDb().transaction(async (tx) => {
        await fn(tx as unknown as Db);
        throw done;
      }),
    ).rejects.toBe(done);
  };

  it("writes each row's own values, encoded by their columns (json, timestamps, nulls), as drizzle's own insert does", async () => {
    await rolledBack(async (tx) => {
      for (const n of [1, 3, 5]) {
        const rows = notes(`rows-test-${n}`, n);
        const written = await insertNotes(tx, rows);
        expect(written).toEqual(rows.map(({ chain, seq, at, entityId, detail }) => ({ chain, seq, at, entityId, detail })));
        const afresh = await noteRows(tx, notes(`rows-test-afresh-${n}`, n));
        expect(written.map(({ chain: _chain, ...rest }) => rest)).toEqual(afresh.map(({ chain: _chain, ...rest }) => rest));
      }
    });
  });

  it("is built once for each number of rows, and then only filled in", async () => {
    builds = 0;
    await rolledBack(async (tx) => {
      await insertNotes(tx, notes("rows-count-a", 2));
      await insertNotes(tx, notes("rows-count-b", 2));
      expect(builds).toBe(1);
      const four = await insertNotes(tx, notes("rows-count-c", 4));
      expect(builds).toBe(2);
      expect(four.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
      await insertNotes(tx, notes("rows-count-d", 2));
      expect(builds).toBe(2);
    });
  });

  it("refuses rows that leave a value out, naming the row and the value", async () => {
    const [first, second] = notes("rows-missing", 2);
    const { entityId: _left, ...without } = second;
    await expect(getDb().transaction((tx) => insertNotes(tx as unknown as Db, [first, without as Note]))).rejects.toThrow('No value for placeholder "1.entityId" was provided');
  });
});

describe("statement()'s rows, mapped once per statement (plannedRowMapper)", () => {
  const withAgencyNamed = (db: Db, p: Placeholders<{ areaId: string; name: string }> | { areaId: string; name: string }) =>
    db
      .select({
        area: { code: areas.code, created: areas.createdAt, name: areas.name },
        agency: { id: agencies.id, name: agencies.name },
        agencies: sql<number>`(select count(*) from ${agencies} a where a.area_id = ${areas.id})`.mapWith(Number),
      })
      .from(areas)
      .leftJoin(agencies, and(eq(agencies.areaId, areas.id), eq(agencies.name, p.name)))
      .where(eq(areas.id, p.areaId));
  const wholeTables = (db: Db, p: Placeholders<{ areaId: string; name: string }> | { areaId: string; name: string }) =>
    db.select().from(areas).leftJoin(agencies, and(eq(agencies.areaId, areas.id), eq(agencies.name, p.name))).where(eq(areas.id, p.areaId));
  const prepared = {
    withAgencyNamed: statement((db, p: Placeholders<{ areaId: string; name: string }>) => withAgencyNamed(db, p)),
    wholeTables: statement((db, p: Placeholders<{ areaId: string; name: string }>) => wholeTables(db, p)),
  };
  // drizzle's own row mapping: exported at run time, not in its types.
  const { mapResultRow } = drizzle as unknown as { mapResultRow: (fields: SelectedField[], row: unknown[], joins?: Record<string, boolean>) => Record<string, unknown> };

  it("gives what drizzle gives for nested objects, outer joins with and without a match, timestamps and mapped SQL", async () => {
    for (const name of ["Police", "Nobody"]) {
      const values = { areaId: world.home.area.id, name };
      const mine = await prepared.withAgencyNamed(getDb(), values);
      expect(mine).toEqual(await withAgencyNamed(getDb(), values));
      expect(mine[0].area.created).toBeInstanceOf(Date);
      expect(mine[0].area.name).toBe(world.home.area.name);
      expect(typeof mine[0].agencies).toBe("number");
      expect(mine[0].agency === null).toBe(name === "Nobody");
      const tables = await prepared.wholeTables(getDb(), values);
      expect(tables).toEqual(await wholeTables(getDb(), values));
      expect(tables[0].agencies === null).toBe(name === "Nobody");
    }
  });

  it("maps any row exactly as drizzle's mapResultRow does, nulls anywhere included", () => {
    const query = getDb()
      .select({ area: areas, agency: { id: agencies.id, name: agencies.name }, n: sql<number>`1`.mapWith(Number), at: areas.createdAt })
      .from(areas)
      .leftJoin(agencies, eq(agencies.areaId, areas.id))
      .prepare("statement-mapping-test") as unknown as { fields: SelectedField[]; joinsNotNullableMap: Record<string, boolean> };
    const width = query.fields.length;
    const sample = (i: number) =>
      query.fields.map(({ field }, c) => {
        if ((i + c) % 5 === 0) return null;
        const type = (field as { columnType?: string }).columnType;
        if (type === "PgTimestamp") return "2026-12-06 10:00:00+00";
        if (type === "PgInteger") return i;
        if (type === "PgBoolean") return i % 2 === 0;
        return type ? `value ${i}.${c}` : String(i);
      });
    const rows = [...Array.from({ length: 12 }, (_, i) => sample(i)), Array.from({ length: width }, () => null)];
    const mine = plannedRowMapper(query.fields, query.joinsNotNullableMap)(rows);
    expect(mine).toEqual(rows.map((row) => mapResultRow(query.fields, row, query.joinsNotNullableMap)));
    expect(mine.at(-1)).toEqual({ area: expect.anything(), agency: null, n: null, at: null });
  });
});
