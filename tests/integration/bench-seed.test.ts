import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { executeRows, getDb } from "#db/client";
import { AREAS_AT_SCALE_1, BIG_MEETING_CASES, generateArea, TABLE_ORDER, type AreaRows, type BenchPlan } from "#db/bench/generate";
import { seedBench, type BenchSeedResult } from "#db/bench/seed";
import { actions, agencies, areas, casePeople, cases, meetingCases, meetings } from "#db/schema";
import { verifyAuditChains } from "~/models/audit.server";

// Tiny: one area (scale 1/290) with three months of meetings, so PGlite loads it in seconds.
const plan: BenchPlan = { scale: 1 / AREAS_AT_SCALE_1, seed: 7, today: "2026-11-24", years: 0.25, passwordHash: "not-a-real-hash" };

function counts(rows: AreaRows) {
  return Object.fromEntries(TABLE_ORDER.map((t) => [t, rows[t].length])) as Record<keyof AreaRows, number>;
}

describe("the scale seed (npm run bench:seed)", () => {
  let loaded: BenchSeedResult;

  beforeAll(async () => {
    loaded = await seedBench({ db: getDb(), plan });
  });

  it("loads one area with its 15 agencies and every generated row", async () => {
    const db = getDb();
    expect(loaded.areas).toBe(1);
    expect(loaded.rows).toEqual(counts(generateArea(plan, 0)));
    const [{ n: areaCount }] = await db.select({ n: sql<number>`count(*)::int` }).from(areas);
    const [{ n: agencyCount }] = await db.select({ n: sql<number>`count(*)::int` }).from(agencies);
    const [{ n: caseCount }] = await db.select({ n: sql<number>`count(*)::int` }).from(cases);
    const [{ n: actionCount }] = await db.select({ n: sql<number>`count(*)::int` }).from(actions);
    expect({ areaCount, agencyCount, caseCount, actionCount }).toEqual({ areaCount: 1, agencyCount: 15, caseCount: loaded.rows.cases, actionCount: loaded.rows.actions });
  });

  it("leaves the actions' totals by agency equal to the actions counted", async () => {
    const byKey = (rows: { area_id: string; owner_agency_id: string; status: string; total: number }[]) => rows.map((r) => `${r.area_id} ${r.owner_agency_id} ${r.status} ${r.total}`).sort();
    const kept = await executeRows<{ area_id: string; owner_agency_id: string; status: string; total: number }>(getDb(), sql`select area_id, owner_agency_id, status::text as status, total from action_totals where total <> 0`);
    const counted = await executeRows<{ area_id: string; owner_agency_id: string; status: string; total: number }>(getDb(), sql`select area_id, owner_agency_id, status::text as status, count(*)::int as total from actions group by 1, 2, 3`);
    expect(kept.length).toBeGreaterThan(15);
    expect(byKey(kept)).toEqual(byKey(counted));
  });

  it("writes an audit chain that verifies", async () => {
    const result = await verifyAuditChains({ db: getDb() });
    expect(result.problems).toEqual([]);
    expect(result.checked).toBe(loaded.rows.auditEvents);
    expect(result.checked).toBeGreaterThan(loaded.rows.cases);
  });

  it("builds held meetings with minutes and actions, and a next meeting being prepared with 16 cases", async () => {
    const db = getDb();
    const rows = await db.select({ status: meetings.status, seriesDate: meetings.seriesDate, cases: sql<number>`(select count(*)::int from meeting_cases mc where mc.meeting_id = ${meetings}."id")` }).from(meetings).orderBy(meetings.seriesDate);
    const held = rows.filter((m) => m.seriesDate < plan.today);
    const next = rows.find((m) => m.seriesDate >= plan.today)!;
    expect(held.length).toBeGreaterThan(4);
    expect(held.every((m) => m.status === "minutes_circulated")).toBe(true);
    // The last held meeting of the first area has 40 cases, for the PDF benchmark.
    expect(held.at(-1)!.cases).toBe(BIG_MEETING_CASES);
    expect(held.slice(0, -1).every((m) => m.cases >= 12 && m.cases <= 20)).toBe(true);
    expect(["verification", "circulated"]).toContain(next.status);
    expect(next.cases).toBe(16);
    expect(rows.filter((m) => m.seriesDate > next.seriesDate).every((m) => m.status === "planned" && m.cases === 0)).toBe(true);
  });

  it("gives every case a victim and a perpetrator, and leaves some overdue actions open among completed ones", async () => {
    const db = getDb();
    const [{ n: withoutVictim }] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(cases)
      .where(sql`not exists (select 1 from ${casePeople} p where p.case_id = ${cases}."id" and p.role = 'victim')`);
    expect(withoutVictim).toBe(0);
    const [{ n: perpetrators }] = await db.select({ n: sql<number>`count(*)::int` }).from(casePeople).where(eq(casePeople.role, "perpetrator"));
    expect(perpetrators).toBe(loaded.rows.meetingCases);
    const [{ n: completed }] = await db.select({ n: sql<number>`count(*)::int` }).from(actions).where(eq(actions.status, "completed"));
    const [{ n: overdue }] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(actions)
      .where(and(inArray(actions.status, ["open", "in_progress"]), lt(actions.dueOn, plan.today)));
    expect(completed).toBeGreaterThan(0);
    expect(overdue).toBeGreaterThan(0);
    const [{ n: repeats }] = await db.select({ n: sql<number>`count(*)::int` }).from(meetingCases).where(eq(meetingCases.isRepeat, true));
    expect(repeats).toBeGreaterThan(0);
  });

  it("is deterministic: the same seed builds the same rows, another seed different ones", () => {
    expect(JSON.stringify(generateArea(plan, 0))).toBe(JSON.stringify(generateArea(plan, 0)));
    expect(JSON.stringify(generateArea({ ...plan, seed: 8 }, 0))).not.toBe(JSON.stringify(generateArea(plan, 0)));
  });

  it("grows with the scale: twice the areas, about twice the cases and actions", () => {
    const one = counts(generateArea(plan, 0));
    const second = counts(generateArea(plan, 1));
    // Area 0 alone carries the 40-case meeting; every other area is built the same way.
    const two = Object.fromEntries(TABLE_ORDER.map((t) => [t, one[t] + second[t]])) as typeof one;
    expect(two.areas).toBe(2);
    expect(two.agencies).toBe(30);
    expect(two.cases / one.cases).toBeGreaterThan(1.6);
    expect(two.cases / one.cases).toBeLessThan(2.4);
    expect(two.actions / one.actions).toBeGreaterThan(1.5);
    expect(two.actions / one.actions).toBeLessThan(2.5);
  });
});
