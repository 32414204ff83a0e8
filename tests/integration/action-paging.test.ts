import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { actions, meetingCases, meetings, type ActionStatus } from "#db/schema";
import { makeAction } from "#db/factories";
import { ESCALATION_CARRIES } from "~/models/actions.server";
import { todayInLondon } from "~/lib/london-time";
import * as trackerRoute from "~/routes/areas.$area.tracker._index/route";
import * as listRoute from "~/routes/areas.$area.actions._index/route";
import { addDays, setUpHeldMeeting } from "../support/held-meeting";
import { buildWorld, invoke, makeRequest, sessionCookieFor, type World } from "../support/world";

let world: World;
let code: string;
let cookie: string;
let setup: Awaited<ReturnType<typeof setUpHeldMeeting>>;

beforeAll(async () => {
  world = await buildWorld();
  code = world.home.area.code.toLowerCase();
  setup = await setUpHeldMeeting(world);
  cookie = await sessionCookieFor(world.home.users.chair.id);
  // 120 more overdue actions on the held meeting's first case: 121 overdue in all, 123 actions.
  const [template] = await getDb().select().from(actions).where(eq(actions.id, setup.actions.policeOverdue.id));
  const { id: _id, createdAt: _c, updatedAt: _u, ...copy } = template;
  await getDb()
    .insert(actions)
    .values(
      Array.from({ length: 120 }, (_, i) => ({
        ...copy,
        description: `Extra overdue action ${i + 1}`,
        dueOn: addDays(todayInLondon(), -30 + (i % 20)),
        // 25 of them carried at two meetings running: escalated.
        carriedCount: i < 25 ? ESCALATION_CARRIES + (i % 3) : 0,
      })),
    );
});

const loadList = async (query: string, role: "chair" | "agency_rep" = "chair") =>
  invoke(listRoute.loader, makeRequest(`/areas/${code}/actions${query}`, { cookie: role === "chair" ? cookie : await sessionCookieFor(world.home.users[role].id) }), { area: code });
const load = (query: string) => invoke(trackerRoute.loader, makeRequest(`/areas/${code}/tracker${query}`, { cookie }), { area: code });

describe("the tracker's pages of actions", () => {
  it("shows 100 actions a page, says which, and links to the next page keeping the filters", async () => {
    const first = await load("?overdue=on");
    expect(first.status).toBe(200);
    expect(first.data.rows).toHaveLength(100);
    expect(first.data.paging).toEqual({ from: 1, to: 100, total: 121, previous: null, next: `/areas/${code}/tracker?overdue=on&page=2` });
    const second = await load("?overdue=on&page=2");
    expect(second.data.rows).toHaveLength(21);
    expect(second.data.paging).toEqual({ from: 101, to: 121, total: 121, previous: `/areas/${code}/tracker?overdue=on`, next: null });
    // No action twice, none missing.
    const ids = new Set([...first.data.rows, ...second.data.rows].map((r: { id: string }) => r.id));
    expect(ids.size).toBe(121);
  });

  it("treats a page that is not a positive number as the first page", async () => {
    for (const bad of ["abc", "0", "-3", "1.5e3x"]) {
      const result = await load(`?page=${bad}`);
      expect(result.status).toBe(200);
      expect(result.data.paging.from).toBe(1);
      expect(result.data.paging.total).toBe(123);
    }
  });

  it("answers a page past the end with no rows and a link back to the last page", async () => {
    const result = await load("?page=9");
    expect(result.data.rows).toEqual([]);
    expect(result.data.paging).toEqual({ from: 0, to: 0, total: 123, previous: `/areas/${code}/tracker?page=2`, next: null });
  });

  it("shows the first 20 escalated actions on every page, with a link to the escalated filter for the rest", async () => {
    const result = await load("?page=2");
    expect(result.data.escalations).toHaveLength(20);
    expect(result.data.escalations.every((r: { escalated: boolean; carried: number }) => r.escalated && r.carried >= ESCALATION_CARRIES)).toBe(true);
    expect(result.data.escalationsTotal).toBe(25);
    expect(result.data.escalationsAll).toBe(`/areas/${code}/tracker?escalated=on`);
    const all = await load("?escalated=on");
    expect(all.data.paging.total).toBe(25);
    expect(all.data.rows).toHaveLength(25);
    // The report's 20 are among them.
    const allIds = new Set(all.data.rows.map((r: { id: string }) => r.id));
    expect(result.data.escalations.filter((r: { id: string }) => !allIds.has(r.id))).toEqual([]);
  });
});

/** A meeting held `days` from today with one action of the given status on the held meeting's first case. */
async function pastMeeting(days: number, status: ActionStatus) {
  const on = addDays(todayInLondon(), days);
  const { id: _id, ...copy } = setup.held;
  const [meeting] = await getDb()
    .insert(meetings)
    .values({ ...copy, seriesDate: on, startsAt: new Date(`${on}T10:00:00Z`), status: "minutes_circulated" })
    .returning();
  const [first] = await getDb().select().from(meetingCases).where(eq(meetingCases.id, setup.meetingCaseIds[0]));
  const [mc] = await getDb().insert(meetingCases).values({ meetingId: meeting.id, caseId: first.caseId, position: 1, outcome: "discussed" }).returning();
  await makeAction(getDb(), { meetingCaseId: mc.id, ownerAgencyId: world.home.agencies.police.id, description: `Action of ${on}`, dueOn: addDays(on, 14), status, completedOn: status === "completed" ? addDays(on, 10) : undefined });
  return meeting;
}

describe("the tracker's meeting filter", () => {
  it("offers, newest first, the meetings whose actions are from the last two years, older ones only while an action is open, and the one already chosen", async () => {
    const closedLongAgo = await pastMeeting(-900, "completed");
    const openLongAgo = await pastMeeting(-1000, "open");
    const closedLastYear = await pastMeeting(-300, "completed");
    const offered = (result: { data: { meetings: { value: string; label: string }[] } }) => result.data.meetings.map((m) => m.value);

    const result = await load("");
    // Not the next meeting (no actions yet), not a closed one from more than two years ago.
    expect(offered(result)).toEqual([setup.held.id, closedLastYear.id, openLongAgo.id]);
    expect(result.data.meetings[0].label).toMatch(/^\d{1,2} \w+ \d{4}$/);

    const chosen = await load(`?meeting=${closedLongAgo.id}`);
    expect(offered(chosen)).toEqual([setup.held.id, closedLastYear.id, closedLongAgo.id, openLongAgo.id]);
    expect(chosen.data.rows.map((r: { description: string }) => r.description)).toEqual([`Action of ${addDays(todayInLondon(), -900)}`]);
  });

  it("treats a meeting that is not an id as no choice: the same meetings offered, every action listed", async () => {
    const plain = await load("");
    for (const bad of ["not-a-meeting", "' or 1=1 --", "123"]) {
      const result = await load(`?meeting=${encodeURIComponent(bad)}`);
      expect(result.status).toBe(200);
      expect(result.data.meetings).toEqual(plain.data.meetings);
      expect(result.data.paging.total).toBe(plain.data.paging.total);
    }
  });

  it("offers no meeting of another panel, even when the filter names one", async () => {
    const other = await setUpHeldMeeting(world, world.other);
    const result = await load(`?meeting=${other.held.id}`);
    expect(result.data.meetings.map((m: { value: string }) => m.value)).not.toContain(other.held.id);
    expect(result.data.rows).toEqual([]);
  });
});

describe("the actions list's pages", () => {
  it("shows 100 actions a page, says which, and links to the next page", async () => {
    // Every action of the panel is current (none closed): the chair's list has them all.
    const total = (await getDb().select({ id: actions.id }).from(actions).where(eq(actions.areaId, world.home.area.id))).length;
    expect(total).toBeGreaterThan(100);
    expect(total).toBeLessThanOrEqual(200);
    const first = await loadList("");
    expect(first.status).toBe(200);
    expect(first.data.rows).toHaveLength(100);
    expect(first.data.paging).toEqual({ from: 1, to: 100, total, previous: null, next: `/areas/${code}/actions?page=2` });
    const second = await loadList("?page=2");
    expect(second.data.rows).toHaveLength(total - 100);
    expect(second.data.paging).toEqual({ from: 101, to: total, total, previous: `/areas/${code}/actions`, next: null });
    const ids = new Set([...first.data.rows, ...second.data.rows].map((r: { id: string }) => r.id));
    expect(ids.size).toBe(total);
  });

  it("keeps 'every action' across its pages", async () => {
    const first = await loadList("?all=1");
    expect(first.data.all).toBe(true);
    expect(first.data.paging.next).toBe(`/areas/${code}/actions?all=1&page=2`);
    const second = await loadList("?all=1&page=2");
    expect(second.data.paging.previous).toBe(`/areas/${code}/actions?all=1`);
  });

  it("treats a page that is not a positive number as the first page, and a page past the end as empty with a link back", async () => {
    for (const bad of ["abc", "0", "-3", "1.5e3x"]) {
      const result = await loadList(`?page=${bad}`);
      expect(result.status).toBe(200);
      expect(result.data.paging.from).toBe(1);
      expect(result.data.rows).toHaveLength(100);
    }
    const past = await loadList("?page=7");
    expect(past.data.rows).toEqual([]);
    expect(past.data.paging).toMatchObject({ from: 0, to: 0, previous: `/areas/${code}/actions?page=2`, next: null });
  });

  it("pages only the agency's own actions for its representative", async () => {
    const result = await loadList("?page=1", "agency_rep");
    expect(result.data.rows.map((r: { id: string }) => r.id)).toEqual([setup.actions.healthAction.id]);
    expect(result.data.paging).toEqual({ from: 1, to: 1, total: 1, previous: null, next: null });
  });
});
