import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { makeReferral } from "#db/factories";
import { actions, actionUpdates, areas, auditEvents, cases, meetingCases, meetings } from "#db/schema";
import { actionsToCsv, carryForwardIncompleteActions, createAction, listActions, reviseAction, updateActionStatus } from "~/models/actions.server";
import { AppError } from "~/models/errors.server";
import { closeMeeting, listAttendance, recordAttendance, saveMinutes, setCaseOutcome, startMeeting } from "~/models/meeting-room.server";
import { ensureMeetingSeries, getAgenda } from "~/models/meetings.server";
import { actorFor, buildWorld, type World } from "../support/world";
import { errorCode } from "../support/outcomes";

let world: World;
const TODAY = "2026-11-23";
let first: typeof meetings.$inferSelect;
let second: typeof meetings.$inferSelect;
let third: typeof meetings.$inferSelect;
const mc: string[] = [];

const chair = () => actorFor(world.home, "chair");
const coordinator = () => actorFor(world.home, "coordinator");
const healthRep = () => actorFor(world.home, "agency_rep");
const meetingRow = async (id: string) => (await getDb().select().from(meetings).where(eq(meetings.id, id)))[0];
const mcRow = async (id: string) => (await getDb().select().from(meetingCases).where(eq(meetingCases.id, id)))[0];

beforeAll(async () => {
  world = await buildWorld();
  await getDb().update(areas).set({ firstMeetingOn: "2026-12-03" }).where(eq(areas.id, world.home.area.id));
  await ensureMeetingSeries({ areaId: world.home.area.id, today: TODAY });
  [first, second, third] = await getDb().select().from(meetings).where(eq(meetings.areaId, world.home.area.id)).orderBy(meetings.startsAt).limit(3);
  for (const name of ["Ann", "Bea", "Cai"]) {
    const made = await makeReferral(getDb(), {
      areaId: world.home.area.id,
      areaCode: world.home.area.code,
      agencyId: world.home.agencies.police.id,
      userId: world.home.users.coordinator.id,
      status: "listed",
      victim: { firstName: name, lastName: "Test" },
    });
    const [row] = await getDb().insert(meetingCases).values({ meetingId: first.id, caseId: made.case.id, position: mc.length + 1 }).returning();
    mc.push(row.id);
  }
  await getDb().update(meetings).set({ status: "circulated" }).where(eq(meetings.id, first.id));
});

describe("running the meeting", () => {
  it("is started by the chair, not by an agency representative", async () => {
    expect(await errorCode(startMeeting({ actor: healthRep(), meetingId: first.id, version: (await meetingRow(first.id)).version }))).toBe("FORBIDDEN");
    expect(await errorCode(startMeeting({ actor: actorFor(world.other, "chair"), meetingId: first.id, version: 1 }))).toBe("NOT_FOUND");
    const started = await startMeeting({ actor: chair(), meetingId: first.id, version: (await meetingRow(first.id)).version });
    expect(started.status).toBe("in_progress");
  });

  it("records attendance with apologies and information sent, and the time each attendee confirmed confidentiality", async () => {
    const present = await recordAttendance({ actor: chair(), meetingId: first.id, input: { agencyId: world.home.agencies.police.id, personName: "DS Jones", status: "present", infoSent: true, confirmConfidentiality: true } });
    expect(present.confidentialityConfirmedAt).toBeInstanceOf(Date);
    expect(present.infoSent).toBe(false);
    const apologies = await recordAttendance({ actor: chair(), meetingId: first.id, input: { agencyId: world.home.agencies.health.id, personName: "", status: "apologies", infoSent: true, confirmConfidentiality: false } });
    expect(apologies).toMatchObject({ status: "apologies", infoSent: true, confidentialityConfirmedAt: null });
    await recordAttendance({ actor: chair(), meetingId: first.id, input: { agencyId: null, personName: "Student social worker", observerOrganisation: "Llanfair University", status: "present", infoSent: false, confirmConfidentiality: true } });
    expect(await errorCode(recordAttendance({ actor: chair(), meetingId: first.id, input: { agencyId: null, personName: "X", status: "present", infoSent: false, confirmConfidentiality: true } }))).toBe("INVALID");
    expect(await errorCode(recordAttendance({ actor: chair(), meetingId: first.id, input: { agencyId: world.other.agencies.police.id, personName: "X", status: "present", infoSent: false, confirmConfidentiality: true } }))).toBe("NOT_FOUND");
    expect(await errorCode(recordAttendance({ actor: chair(), meetingId: first.id, attendanceId: present.id, version: present.version + 5, input: { agencyId: world.home.agencies.police.id, personName: "DS Jones", status: "absent", infoSent: false, confirmConfidentiality: false } }))).toBe("CONFLICT");
    expect(await listAttendance({ actor: chair(), meetingId: first.id })).toHaveLength(3);
  });

  it("refuses the second of two minute-takers working from the same version, keeping the first's words", async () => {
    const { version } = await mcRow(mc[0]);
    const minutes = { infoShared: "Police: two call-outs in October.", risksVictim: "Serious harm.", risksChildren: "", risksOthers: "", risksStaff: "", safetyPlanning: "Sanctuary scheme.", crimesReported: "", decisions: "" };
    const [a, b] = await Promise.allSettled([
      saveMinutes({ actor: chair(), meetingCaseId: mc[0], version, minutes }),
      saveMinutes({ actor: coordinator(), meetingCaseId: mc[0], version, minutes: { ...minutes, infoShared: "Overwritten?" } }),
    ]);
    const outcomes = [a, b].map((r) => r.status);
    expect(outcomes.sort()).toEqual(["fulfilled", "rejected"]);
    const loser = [a, b].find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(AppError);
    expect(loser.reason.code).toBe("CONFLICT");
    // The message shows the newer value.
    expect(loser.reason.options.detail.current.infoShared).toBe((await mcRow(mc[0])).infoShared);
    expect((await mcRow(mc[0])).version).toBe(version + 1);
  });
});

describe("the action plan", () => {
  it("requires a description, an owner agency of this panel and a due date not before the meeting", async () => {
    const good = { description: "Refer to the sanctuary scheme.", ownerAgencyId: world.home.agencies.police.id, dueOn: "2026-12-20", priority: "high" as const };
    expect(await errorCode(createAction({ actor: chair(), meetingCaseId: mc[0], draft: { ...good, description: " " } }))).toBe("INVALID");
    expect(await errorCode(createAction({ actor: chair(), meetingCaseId: mc[0], draft: { ...good, dueOn: "" } }))).toBe("INVALID");
    expect(await errorCode(createAction({ actor: chair(), meetingCaseId: mc[0], draft: { ...good, dueOn: "2026-11-01" } }))).toBe("INVALID");
    expect(await errorCode(createAction({ actor: chair(), meetingCaseId: mc[0], draft: { ...good, ownerAgencyId: world.other.agencies.police.id } }))).toBe("INVALID");
    expect(await errorCode(createAction({ actor: healthRep(), meetingCaseId: mc[0], draft: good }))).toBe("FORBIDDEN");
    const action = await createAction({ actor: chair(), meetingCaseId: mc[0], draft: good });
    expect(action).toMatchObject({ status: "open", carriedCount: 0, areaId: world.home.area.id });
  });

  it("refuses a stale revision with the newer action, never overwriting it", async () => {
    const [action] = await getDb().select().from(actions).where(eq(actions.meetingCaseId, mc[0]));
    const draft = { description: action.description, ownerAgencyId: action.ownerAgencyId, dueOn: "2026-12-24", priority: "high" as const };
    const first = await reviseAction({ actor: chair(), actionId: action.id, version: action.version, draft });
    const stale = await reviseAction({ actor: coordinator(), actionId: action.id, version: action.version, draft: { ...draft, dueOn: "2027-01-31" } }).catch((e) => e);
    expect(stale).toBeInstanceOf(AppError);
    expect(stale.code).toBe("CONFLICT");
    expect(stale.options.detail.current.dueOn).toBe("2026-12-24");
    expect((await getDb().select().from(actions).where(eq(actions.id, action.id)))[0]).toMatchObject({ dueOn: "2026-12-24", version: first.version });
  });

  it("closes the meeting only when every case has an outcome, and a deferred case moves to the next meeting", async () => {
    expect(await errorCode(closeMeeting({ actor: chair(), meetingId: first.id, version: (await meetingRow(first.id)).version }))).toBe("CONFLICT");
    await setCaseOutcome({ actor: chair(), meetingCaseId: mc[0], version: (await mcRow(mc[0])).version, outcome: "discussed" });
    await setCaseOutcome({ actor: chair(), meetingCaseId: mc[1], version: (await mcRow(mc[1])).version, outcome: "deferred" });
    await createAction({ actor: chair(), meetingCaseId: mc[2], draft: { description: "Home visit by health visitor.", ownerAgencyId: world.home.agencies.health.id, dueOn: "2026-12-10", priority: "medium" } });
    await setCaseOutcome({ actor: chair(), meetingCaseId: mc[2], version: (await mcRow(mc[2])).version, outcome: "discussed" });
    const closed = await closeMeeting({ actor: chair(), meetingId: first.id, version: (await meetingRow(first.id)).version });
    expect(closed.status).toBe("held");
    const deferredCase = (await mcRow(mc[1])).caseId;
    const onSecond = await getDb().select().from(meetingCases).where(and(eq(meetingCases.meetingId, second.id), eq(meetingCases.caseId, deferredCase)));
    expect(onSecond).toHaveLength(1);
    expect(onSecond[0].carriedFromMeetingId).toBe(first.id);
    expect((await getDb().select().from(cases).where(eq(cases.id, (await mcRow(mc[0])).caseId)))[0].status).toBe("discussed");
  });

  it("lets the owner agency update its own actions only, with a date and note to complete or a reason not to", async () => {
    const [healthAction] = await getDb().select().from(actions).where(eq(actions.meetingCaseId, mc[2]));
    const [policeAction] = await getDb().select().from(actions).where(eq(actions.meetingCaseId, mc[0]));
    expect(await errorCode(updateActionStatus({ actor: healthRep(), actionId: policeAction.id, version: policeAction.version, change: { status: "in_progress" } }))).toBe("NOT_FOUND");
    expect(await errorCode(updateActionStatus({ actor: healthRep(), actionId: healthAction.id, version: healthAction.version, change: { status: "completed", completedOn: "2027-05-01", note: "Done" }, today: TODAY }))).toBe("INVALID");
    expect(await errorCode(updateActionStatus({ actor: healthRep(), actionId: healthAction.id, version: healthAction.version, change: { status: "completed", completedOn: "2026-11-20", note: " " }, today: TODAY }))).toBe("INVALID");
    const progressed = await updateActionStatus({ actor: healthRep(), actionId: healthAction.id, version: healthAction.version, change: { status: "in_progress", note: "Visit booked." }, today: TODAY });
    expect(progressed.status).toBe("in_progress");
    const history = await getDb().select().from(actionUpdates).where(eq(actionUpdates.actionId, healthAction.id));
    expect(history.map((h) => h.toStatus)).toEqual(["open", "in_progress"]);
    expect((await getDb().select().from(auditEvents).where(and(eq(auditEvents.action, "action.status_changed"), eq(auditEvents.entityId, healthAction.id))))).toHaveLength(1);
  });

  it("carries incomplete actions to the next meeting's review, once, and flags those not completed at two meetings running", async () => {
    const coordinatorActor = coordinator();
    const carried = await carryForwardIncompleteActions({ actor: coordinatorActor, nextMeetingId: second.id });
    expect(carried.cases).toBe(2);
    expect((await carryForwardIncompleteActions({ actor: coordinatorActor, nextMeetingId: second.id })).cases).toBe(0);
    const onSecond = await getDb().select().from(meetingCases).where(eq(meetingCases.meetingId, second.id));
    expect(onSecond.filter((r) => r.carriedFromMeetingId === first.id)).toHaveLength(3); // two carried for actions + the deferred case
    // The next meeting's list marks them for review.
    const { agenda } = await getAgenda({ actor: coordinatorActor, meetingId: second.id });
    expect(agenda.filter((row) => row.carried)).toHaveLength(3);
    // The second meeting is held without the actions being completed: carried again to the third.
    await getDb().update(meetings).set({ status: "held" }).where(eq(meetings.id, second.id));
    await carryForwardIncompleteActions({ actor: coordinatorActor, nextMeetingId: third.id });
    const escalated = await listActions({ actor: coordinatorActor, filter: { escalated: true }, today: TODAY });
    expect(escalated.rows).toHaveLength(2);
    expect(escalated.rows.every((r) => r.carriedCount === 2 && r.escalated)).toBe(true);
    expect(await errorCode(carryForwardIncompleteActions({ actor: chair(), nextMeetingId: third.id }))).toBe("FORBIDDEN");
  });

  it("gives the tracker overdue first with counts by agency, each agency only its own, and a CSV without names", async () => {
    const tracker = await listActions({ actor: chair(), today: "2026-12-15" });
    expect(tracker.rows[0]).toMatchObject({ overdue: true, dueOn: "2026-12-10" });
    const health = tracker.counts.find((c) => c.agencyId === world.home.agencies.health.id)!;
    expect(health).toMatchObject({ open: 1, overdue: 1 });
    const overdueOnly = await listActions({ actor: chair(), filter: { overdue: true }, today: "2026-12-15" });
    expect(overdueOnly.rows.map((r) => r.dueOn)).toEqual(["2026-12-10"]);
    const own = await listActions({ actor: healthRep(), today: TODAY });
    expect(own.rows.every((r) => r.ownerAgencyId === world.home.agencies.health.id)).toBe(true);
    expect(own.counts).toHaveLength(1);
    expect(await errorCode(listActions({ actor: actorFor(world.home, "admin") }))).toBe("FORBIDDEN");
    const csv = actionsToCsv(tracker.rows, ["Reference", "Meeting", "Action", "Owner", "Named owner", "Due", "Priority", "Status", "Reason", "Completed", "Overdue", "Escalated", "Note"]);
    expect(csv.split("\r\n")[0]).toBe('"Reference","Meeting","Action","Owner","Named owner","Due","Priority","Status","Reason","Completed","Overdue","Escalated","Note"');
    expect(csv).toContain('"Home visit by health visitor."');
    expect(csv).not.toContain("Cai");
    expect(actionsToCsv([{ ...tracker.rows[0], description: '=HYPERLINK("x")' }], ["a"])).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
