import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rebuildActionTotals } from "#db/action-totals";
import { executeRows, getDb } from "#db/client";
import { makeAction, makeReferral } from "#db/factories";
import { actions, actionTotals, areas, meetingCases, meetings } from "#db/schema";
import { listActions, reviseAction, updateActionStatus } from "~/models/actions.server";
import { ensureMeetingSeries } from "~/models/meetings.server";
import { actorFor, buildWorld, type World } from "../support/world";

let world: World;
const TODAY = "2026-11-23";
const listed: Record<"home" | "other", string> = { home: "", other: "" };

type Panel = "home" | "other";
type Count = { areaId: string; agencyId: string; status: string; total: number };

/** What the totals should be: the actions counted now. */
async function counted(): Promise<Count[]> {
  return executeRows<Count>(
    getDb(),
    sql`select area_id as "areaId", owner_agency_id as "agencyId", status::text as status, count(*)::int as total from actions group by 1, 2, 3 order by 1, 2, 3`,
  );
}
/** What the trigger kept (a total that fell to nought counts as no row). */
async function kept(): Promise<Count[]> {
  return executeRows<Count>(
    getDb(),
    sql`select area_id as "areaId", owner_agency_id as "agencyId", status::text as status, total from action_totals where total <> 0 order by 1, 2, 3`,
  );
}

async function listCase(panel: Panel) {
  const p = world[panel];
  await getDb().update(areas).set({ firstMeetingOn: "2026-12-03" }).where(eq(areas.id, p.area.id));
  await ensureMeetingSeries({ areaId: p.area.id, today: TODAY });
  const [meeting] = await getDb().select().from(meetings).where(eq(meetings.areaId, p.area.id)).orderBy(meetings.startsAt).limit(1);
  const made = await makeReferral(getDb(), { areaId: p.area.id, areaCode: p.area.code, agencyId: p.agencies.police.id, userId: p.users.coordinator.id, status: "listed", victim: { firstName: "Tess", lastName: "Totals" } });
  const [row] = await getDb().insert(meetingCases).values({ meetingId: meeting.id, caseId: made.case.id, position: 1 }).returning();
  await getDb().update(meetings).set({ status: "in_progress" }).where(eq(meetings.id, meeting.id));
  return row.id;
}

const action = (panel: Panel, agency: "police" | "health", dueOn: string, status: "open" | "in_progress" | "completed" | "not_completed" = "open") =>
  makeAction(getDb(), { meetingCaseId: listed[panel], ownerAgencyId: world[panel].agencies[agency].id, description: `${agency} ${status} ${dueOn}`, dueOn, status, completedOn: status === "completed" ? "2026-11-20" : undefined });

beforeAll(async () => {
  world = await buildWorld();
  listed.home = await listCase("home");
  listed.other = await listCase("other");
});

describe("action totals by agency (kept by a trigger on actions)", () => {
  it("count every action inserted, in each panel, agency and status", async () => {
    await action("home", "police", "2026-12-01");
    await action("home", "police", "2027-01-10");
    await action("home", "police", "2026-12-02", "in_progress");
    await action("home", "health", "2026-12-01", "completed");
    await action("home", "health", "2026-12-01", "not_completed");
    await action("other", "police", "2026-12-01");
    const now = await kept();
    expect(now).toEqual(await counted());
    expect(now.filter((c) => c.areaId === world.home.area.id).reduce((n, c) => n + c.total, 0)).toBe(5);
    expect(now.find((c) => c.areaId === world.home.area.id && c.agencyId === world.home.agencies.police.id && c.status === "open")?.total).toBe(2);
  });

  it("follow a change of status, of owner, of both at once, and a deletion, and ignore other changes", async () => {
    const chair = actorFor(world.home, "chair");
    const moving = await action("home", "police", "2026-12-20");
    const done = await updateActionStatus({ actor: chair, actionId: moving.id, version: moving.version, change: { status: "completed", completedOn: "2026-11-22", note: "Done" }, today: TODAY });
    expect(await kept()).toEqual(await counted());
    await reviseAction({ actor: chair, actionId: done.id, version: done.version, draft: { description: "Now health's", ownerAgencyId: world.home.agencies.health.id, dueOn: "2026-12-20", priority: "high" } });
    expect(await kept()).toEqual(await counted());
    const both = await action("home", "police", "2026-12-21");
    await getDb().update(actions).set({ status: "not_completed", ownerAgencyId: world.home.agencies.health.id }).where(eq(actions.id, both.id));
    expect(await kept()).toEqual(await counted());
    await getDb().update(actions).set({ note: "A note changes no total", dueOn: "2026-12-22" }).where(eq(actions.id, both.id));
    expect(await kept()).toEqual(await counted());
    const gone = await action("home", "health", "2026-12-23");
    await getDb().delete(actions).where(eq(actions.id, gone.id));
    expect(await kept()).toEqual(await counted());
  });

  it("are left as they were by a change that is rolled back", async () => {
    const before = await kept();
    await expect(
      getDb().transaction(async (tx) => {
        await tx.update(actions).set({ status: "completed", completedOn: "2026-11-22" }).where(eq(actions.areaId, world.home.area.id));
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await kept()).toEqual(before);
  });

  it("give the tracker and an agency the same counts as counting the actions would, overdue by the day", async () => {
    const direct = async (areaId: string, agencyId?: string) =>
      executeRows<{ agencyId: string; open: number; overdue: number; completed: number; notCompleted: number }>(
        getDb(),
        sql`select owner_agency_id as "agencyId",
              count(*) filter (where status in ('open', 'in_progress'))::int as open,
              count(*) filter (where status in ('open', 'in_progress') and due_on < ${TODAY}::date)::int as overdue,
              count(*) filter (where status = 'completed')::int as completed,
              count(*) filter (where status = 'not_completed')::int as "notCompleted"
            from actions where area_id = ${areaId} ${agencyId ? sql`and owner_agency_id = ${agencyId}` : sql``}
            group by owner_agency_id`,
      );
    const sorted = <T extends { agencyId: string }>(rows: T[]) => [...rows].sort((a, b) => a.agencyId.localeCompare(b.agencyId));
    const shown = (rows: { agencyId: string; open: number; overdue: number; completed: number; notCompleted: number }[]) =>
      sorted(rows.map(({ agencyId, open, overdue, completed, notCompleted }) => ({ agencyId, open, overdue, completed, notCompleted })));

    const tracker = await listActions({ actor: actorFor(world.home, "chair"), today: TODAY, limit: 1 });
    expect(shown(tracker.counts)).toEqual(sorted(await direct(world.home.area.id)));
    const police = tracker.counts.find((c) => c.agencyId === world.home.agencies.police.id)!;
    expect(police).toMatchObject({ agency: world.home.agencies.police.name, open: 3, overdue: 0, completed: 0, notCompleted: 0 });
    const later = await listActions({ actor: actorFor(world.home, "chair"), today: "2026-12-05", limit: 1 });
    expect(later.counts.find((c) => c.agencyId === world.home.agencies.police.id)).toMatchObject({ open: 3, overdue: 2 });

    const rep = actorFor(world.home, "agency_rep");
    const own = await listActions({ actor: rep, today: TODAY, limit: 1 });
    expect(shown(own.counts)).toEqual(sorted(await direct(world.home.area.id, rep.agencyId!)));
    expect(own.counts.map((c) => c.agencyId)).toEqual([rep.agencyId]);

    const other = await listActions({ actor: actorFor(world.other, "chair"), today: TODAY, limit: 1 });
    expect(shown(other.counts)).toEqual(sorted(await direct(world.other.area.id)));
  });

  it("leave out an agency whose actions have all gone to another", async () => {
    const chair = actorFor(world.other, "chair");
    const before = await listActions({ actor: chair, today: TODAY, limit: 1 });
    expect(before.counts.map((c) => c.agencyId)).toEqual([world.other.agencies.police.id]);
    await getDb().update(actions).set({ ownerAgencyId: world.other.agencies.health.id }).where(eq(actions.areaId, world.other.area.id));
    const after = await listActions({ actor: chair, today: TODAY, limit: 1 });
    expect(after.counts.map((c) => c.agencyId)).toEqual([world.other.agencies.health.id]);
    expect(after.counts[0]).toMatchObject({ open: 1, overdue: 0 });
  });

  it("are counted again from the actions by rebuildActionTotals, for the panels named or all", async () => {
    await getDb().update(actionTotals).set({ total: 99 });
    await rebuildActionTotals(getDb(), [world.home.area.id]);
    const now = await kept();
    expect(now.filter((c) => c.areaId === world.home.area.id)).toEqual((await counted()).filter((c) => c.areaId === world.home.area.id));
    expect(now.filter((c) => c.areaId === world.other.area.id).every((c) => c.total === 99)).toBe(true);
    await rebuildActionTotals(getDb());
    expect(await kept()).toEqual(await counted());
  });
});
