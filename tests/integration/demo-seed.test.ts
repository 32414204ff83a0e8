import { and, asc, eq, gte } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { seedDemoIfEmpty } from "#db/seed/demo";
import { areas, caseMatchCandidates, cases, meetingCases, meetings, users } from "#db/schema";
import { todayInLondon } from "~/lib/london-time";
import { verifyAuditChains } from "~/models/audit.server";

describe("demo seed", () => {
  it("builds the demo panel once, with a realistic next meeting and referrals awaiting review", async () => {
    const seeded = await seedDemoIfEmpty(getDb());
    expect(seeded?.users.map((u) => u.email)).toContain("coordinator@llanfair.example");
    const [area] = await getDb().select().from(areas).where(eq(areas.code, "LLF"));
    const [next] = await getDb()
      .select()
      .from(meetings)
      .where(and(eq(meetings.areaId, area.id), gte(meetings.seriesDate, todayInLondon())))
      .orderBy(asc(meetings.startsAt))
      .limit(1);
    const listed = await getDb().select().from(meetingCases).where(eq(meetingCases.meetingId, next.id));
    expect(listed).toHaveLength(16);
    expect(listed.filter((l) => l.isRepeat).length).toBe(3);
    const awaiting = await getDb().select().from(cases).where(and(eq(cases.areaId, area.id), eq(cases.status, "referred")));
    expect(awaiting).toHaveLength(2);
    const candidates = await getDb().select().from(caseMatchCandidates);
    expect(candidates.length).toBeGreaterThanOrEqual(1);
    expect((await verifyAuditChains()).problems).toEqual([]);
    // Running it again changes nothing.
    const before = (await getDb().select().from(users)).length;
    await seedDemoIfEmpty(getDb());
    expect((await getDb().select().from(users)).length).toBe(before);
  });
});
