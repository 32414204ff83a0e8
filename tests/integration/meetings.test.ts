import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { makeReferral } from "#db/factories";
import { areas, auditEvents, cases, meetingCases, meetings } from "#db/schema";
import { decideReferral } from "~/models/cases/referrals.server";
import {
  cancelMeeting,
  circulateList,
  ensureMeetingSeries,
  getAgenda,
  listMeetings,
  moveCaseToMeeting,
  placeCaseOnNextMeeting,
  reorderAgenda,
  rescheduleMeeting,
  setPlannedMinutes,
} from "~/models/meetings.server";
import { actorFor, buildWorld, type World } from "../support/world";
import { errorCode } from "../support/outcomes";

let world: World;
const TODAY = "2026-11-23"; // a Monday
beforeAll(async () => {
  world = await buildWorld();
  // Fortnightly on Thursdays from 3 December 2026, 10:00, in Wales.
  await getDb().update(areas).set({ firstMeetingOn: "2026-12-03", meetingTime: "10:00", nation: "wales", defaultVenue: "Room 2" }).where(eq(areas.id, world.home.area.id));
  await getDb().update(areas).set({ firstMeetingOn: "2026-12-03" }).where(eq(areas.id, world.other.area.id));
});

async function homeMeetings() {
  return getDb().select().from(meetings).where(eq(meetings.areaId, world.home.area.id)).orderBy(meetings.startsAt);
}

async function referral(name: string, opts: { dashYes?: number; isRepeat?: boolean } = {}) {
  return (
    await makeReferral(getDb(), {
      areaId: world.home.area.id,
      areaCode: world.home.area.code,
      agencyId: world.home.agencies.health.id,
      userId: world.home.users.agency_rep.id,
      status: "referred",
      victim: { firstName: name, lastName: "Test" },
      dashYes: opts.dashYes,
      isRepeat: opts.isRepeat,
    })
  ).case;
}

describe("meeting series", () => {
  it("generates fortnightly meetings half a year ahead with working-day timetables, idempotently", async () => {
    const created = await ensureMeetingSeries({ areaId: world.home.area.id, today: TODAY });
    expect(created).toBeGreaterThanOrEqual(13);
    expect(await ensureMeetingSeries({ areaId: world.home.area.id, today: TODAY })).toBe(0);
    const [first, second] = await homeMeetings();
    expect(first.seriesDate).toBe("2026-12-03");
    expect(first.startsAt.toISOString()).toBe("2026-12-03T10:00:00.000Z");
    expect(second.seriesDate).toBe("2026-12-17");
    // Ten working days before Thursday 3 December is Thursday 19 November.
    expect(first.referralCutoff).toBe("2026-11-19");
    expect(first.venue).toBe("Room 2");
    // 31 December's cut-off skips Christmas, Boxing Day and the substitute day.
    const dec31 = (await homeMeetings()).find((m) => m.seriesDate === "2026-12-31")!;
    expect(dec31.referralCutoff).toBe("2026-12-15");
  });
});

describe("placing accepted referrals", () => {
  it("puts an accepted referral on the first open meeting whose cut-off has not passed", async () => {
    const coordinator = actorFor(world.home, "coordinator");
    const row = await referral("Alys");
    await decideReferral({
      actor: coordinator,
      caseId: row.id,
      version: row.version,
      decision: "accept",
      placeOnMeeting: (tx, accepted) => placeCaseOnNextMeeting(tx, coordinator, accepted, TODAY),
    });
    const [placed] = await getDb().select({ mc: meetingCases, m: meetings }).from(meetingCases).innerJoin(meetings, eq(meetings.id, meetingCases.meetingId)).where(eq(meetingCases.caseId, row.id));
    // The 3 December cut-off (19 November) has passed on 23 November, so 17 December.
    expect(placed.m.seriesDate).toBe("2026-12-17");
    expect((await getDb().select().from(cases).where(eq(cases.id, row.id)))[0].status).toBe("listed");
  });
});

describe("the case list", () => {
  let meetingId: string;
  beforeAll(async () => {
    const coordinator = actorFor(world.home, "coordinator");
    const rows = [await referral("Bethan", { dashYes: 10 }), await referral("Carys", { dashYes: 20, isRepeat: true }), await referral("Dilys", { dashYes: 16 })];
    for (const r of rows) {
      await decideReferral({ actor: coordinator, caseId: r.id, version: r.version, decision: "accept", placeOnMeeting: (tx, a) => placeCaseOnNextMeeting(tx, coordinator, a, TODAY) });
    }
    meetingId = (await homeMeetings()).find((m) => m.seriesDate === "2026-12-17")!.id;
  });

  it("numbers cases with initials and time slots, and audits the read", async () => {
    const { agenda, meeting } = await getAgenda({ actor: actorFor(world.home, "coordinator"), meetingId });
    expect(agenda.map((a) => a.victimInitials)).toEqual(["A.T.", "B.T.", "C.T.", "D.T."]);
    expect(agenda.map((a) => a.startsAt)).toEqual(["10:00", "10:12", "10:24", "10:36"]);
    expect(meeting.seriesDate).toBe("2026-12-17");
    const reads = await getDb().select().from(auditEvents).where(eq(auditEvents.action, "meeting.agenda_read"));
    expect(reads.some((r) => r.entityId === meetingId)).toBe(true);
  });

  it("reorders repeats first, by risk, and one step at a time, refusing a stale version", async () => {
    const coordinator = actorFor(world.home, "coordinator");
    let meeting = (await getDb().select().from(meetings).where(eq(meetings.id, meetingId)))[0];
    meeting = await reorderAgenda({ actor: coordinator, meetingId, version: meeting.version, mode: { kind: "repeats_first" } });
    expect((await getAgenda({ actor: coordinator, meetingId })).agenda.map((a) => a.victimInitials)).toEqual(["C.T.", "A.T.", "B.T.", "D.T."]);
    meeting = await reorderAgenda({ actor: coordinator, meetingId, version: meeting.version, mode: { kind: "risk" } });
    // High first by DASH score (20, 16, 15), then medium.
    const byRisk = (await getAgenda({ actor: coordinator, meetingId })).agenda;
    expect(byRisk.map((a) => a.victimInitials)).toEqual(["C.T.", "D.T.", "A.T.", "B.T."]);
    expect(await errorCode(reorderAgenda({ actor: coordinator, meetingId, version: meeting.version - 1, mode: { kind: "risk" } }))).toBe("CONFLICT");
    meeting = await reorderAgenda({ actor: coordinator, meetingId, version: meeting.version, mode: { kind: "move", meetingCaseId: byRisk[3].meetingCaseId, direction: "up" } });
    expect((await getAgenda({ actor: coordinator, meetingId })).agenda.map((a) => a.victimInitials)).toEqual(["C.T.", "D.T.", "B.T.", "A.T."]);
  });

  it("sets planned minutes within 1–60 and the time slots follow", async () => {
    const coordinator = actorFor(world.home, "coordinator");
    const [first] = (await getAgenda({ actor: coordinator, meetingId })).agenda;
    expect(await errorCode(setPlannedMinutes({ actor: coordinator, meetingCaseId: first.meetingCaseId, version: first.version, minutes: 0 }))).toBe("INVALID");
    expect(await errorCode(setPlannedMinutes({ actor: coordinator, meetingCaseId: first.meetingCaseId, version: first.version, minutes: 61 }))).toBe("INVALID");
    await setPlannedMinutes({ actor: coordinator, meetingCaseId: first.meetingCaseId, version: first.version, minutes: 20 });
    expect(await errorCode(setPlannedMinutes({ actor: coordinator, meetingCaseId: first.meetingCaseId, version: first.version, minutes: 15 }))).toBe("CONFLICT");
    expect((await getAgenda({ actor: coordinator, meetingId })).agenda.map((a) => a.startsAt)).toEqual(["10:00", "10:20", "10:32", "10:44"]);
  });

  it("keeps the list from agency representatives until it is circulated", async () => {
    const rep = actorFor(world.home, "agency_rep");
    expect(await errorCode(getAgenda({ actor: rep, meetingId }))).toBe("NOT_FOUND");
    expect((await listMeetings({ actor: rep, today: TODAY })).some((m) => m.meeting.id === meetingId)).toBe(false);
    expect(await errorCode(circulateList({ actor: rep, meetingId, version: 1 }))).toBe("FORBIDDEN");
    const meeting = (await getDb().select().from(meetings).where(eq(meetings.id, meetingId)))[0];
    await circulateList({ actor: actorFor(world.home, "coordinator"), meetingId, version: meeting.version });
    expect((await getAgenda({ actor: rep, meetingId })).agenda).toHaveLength(4);
    expect((await listMeetings({ actor: rep, today: TODAY })).some((m) => m.meeting.id === meetingId)).toBe(true);
    expect(await errorCode(getAgenda({ actor: actorFor(world.other, "coordinator"), meetingId }))).toBe("NOT_FOUND");
  });

  it("moves a case to another open meeting but not to a circulated one", async () => {
    const coordinator = actorFor(world.home, "coordinator");
    const all = await homeMeetings();
    const circulated = all.find((m) => m.id === meetingId)!;
    const later = all.find((m) => m.seriesDate === "2026-12-31")!;
    const [row] = (await getAgenda({ actor: coordinator, meetingId })).agenda;
    expect(await errorCode(moveCaseToMeeting({ actor: coordinator, meetingCaseId: row.meetingCaseId, targetMeetingId: circulated.id }))).toBe("ok");
    await moveCaseToMeeting({ actor: coordinator, meetingCaseId: row.meetingCaseId, targetMeetingId: later.id });
    expect((await getAgenda({ actor: coordinator, meetingId: later.id })).agenda.map((a) => a.caseId)).toContain(row.caseId);
    const otherPanelMeeting = (await ensureMeetingSeries({ areaId: world.other.area.id, today: TODAY }), (await getDb().select().from(meetings).where(eq(meetings.areaId, world.other.area.id)))[0]);
    const [laterRow] = (await getAgenda({ actor: coordinator, meetingId: later.id })).agenda;
    expect(await errorCode(moveCaseToMeeting({ actor: coordinator, meetingCaseId: laterRow.meetingCaseId, targetMeetingId: otherPanelMeeting.id }))).toBe("NOT_FOUND");
    const back = (await getAgenda({ actor: coordinator, meetingId: later.id })).agenda[0];
    const circulatedNow = (await getDb().select().from(meetings).where(eq(meetings.id, meetingId)))[0];
    expect(circulatedNow.status).toBe("circulated");
    expect(await errorCode(moveCaseToMeeting({ actor: coordinator, meetingCaseId: back.meetingCaseId, targetMeetingId: meetingId }))).toBe("CONFLICT");
  });

  it("reschedules a meeting with a new timetable, and cancelling moves its cases to the next meeting", async () => {
    const coordinator = actorFor(world.home, "coordinator");
    const later = (await homeMeetings()).find((m) => m.seriesDate === "2026-12-31")!;
    expect(await errorCode(cancelMeeting({ actor: coordinator, meetingId: later.id, version: later.version, reason: "" }))).toBe("INVALID");
    const moved = await rescheduleMeeting({ actor: coordinator, meetingId: later.id, version: later.version, date: "2027-01-05", time: "14:00", venue: "Video link" });
    expect(moved.startsAt.toISOString()).toBe("2027-01-05T14:00:00.000Z");
    expect(moved.referralCutoff).toBe("2026-12-17");
    const before = (await getAgenda({ actor: coordinator, meetingId: later.id })).agenda.length;
    expect(before).toBeGreaterThan(0);
    await cancelMeeting({ actor: coordinator, meetingId: later.id, version: moved.version, reason: "Chair unavailable" });
    const next = (await homeMeetings()).find((m) => m.seriesDate === "2027-01-14")!;
    expect((await getAgenda({ actor: coordinator, meetingId: next.id })).agenda).toHaveLength(before);
    expect((await getDb().select().from(meetings).where(eq(meetings.id, later.id)))[0]).toMatchObject({ status: "cancelled", cancelledReason: "Chair unavailable" });
  });
});
