import { asc, eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { makeReferral } from "#db/factories";
import { areas, meetingCases, meetings, safeContacts, type Meeting } from "#db/schema";
import { createAction } from "~/models/actions.server";
import { recordAttendance, saveMinutes } from "~/models/meeting-room.server";
import { ensureMeetingSeries } from "~/models/meetings.server";
import { todayInLondon } from "~/lib/london-time";
import { actorFor, type World } from "./world";

export function addDays(iso: string, days: number) {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const SAFE_NUMBER = "07700 900123";
export const CONFIDENTIAL_ADDRESS = "12 Hidden Lane, Llanfair";

/**
 * A panel with a meeting held three weeks ago: two cases (the first with safe-contact
 * rules and a confidential address), attendance, minutes, and actions for police
 * (one overdue) and health. Also returns the next planned meeting.
 */
export async function setUpHeldMeeting(world: World, panel: World["home"] = world.home) {
  const db = getDb();
  const today = todayInLondon();
  const heldOn = addDays(today, -21);
  await db.update(areas).set({ firstMeetingOn: addDays(today, 7), confidentialityStatement: "Shared under the Llanfair information sharing protocol." }).where(eq(areas.id, panel.area.id));
  await ensureMeetingSeries({ areaId: panel.area.id });
  const [next] = await db.select().from(meetings).where(eq(meetings.areaId, panel.area.id)).orderBy(asc(meetings.startsAt)).limit(1);
  const [held] = await db
    .insert(meetings)
    .values({ ...next, id: undefined, seriesDate: heldOn, startsAt: new Date(`${heldOn}T10:00:00Z`), status: "held", minutesDue: addDays(heldOn, 3), version: 1 } as typeof meetings.$inferInsert)
    .returning();
  const chair = actorFor(panel, "chair");
  const mcs: string[] = [];
  const references: string[] = [];
  for (const [i, name] of ["Ann", "Bea"].entries()) {
    const made = await makeReferral(db, {
      areaId: panel.area.id,
      areaCode: panel.area.code,
      agencyId: panel.agencies.police.id,
      userId: panel.users.coordinator.id,
      status: "discussed",
      isRepeat: i === 1,
      victim: { firstName: name, lastName: "Test", address: i === 0 ? CONFIDENTIAL_ADDRESS : "1 Open Street", confidentialAddress: i === 0 },
    });
    references.push(made.case.reference!);
    const [mc] = await db.insert(meetingCases).values({ meetingId: held.id, caseId: made.case.id, position: i + 1, isRepeat: i === 1, outcome: "discussed" }).returning();
    mcs.push(mc.id);
    if (i === 0) await db.insert(safeContacts).values({ caseId: made.case.id, safeNumber: SAFE_NUMBER, safeTimes: "Weekdays 10-12", noMessages: true, mustNotKnow: "Her brother" });
  }
  await saveMinutes({
    actor: chair,
    meetingCaseId: mcs[0],
    version: 1,
    minutes: { infoShared: "Police: two call-outs in October.", risksVictim: "Serious harm.", risksChildren: "", risksOthers: "", risksStaff: "", safetyPlanning: "Sanctuary scheme.", crimesReported: "", decisions: "Refer to housing." },
  });
  const policeOverdue = await createAction({
    actor: chair,
    meetingCaseId: mcs[0],
    draft: { description: "Flag the address for urgent response", ownerAgencyId: panel.agencies.police.id, ownerName: "DS Jones", dueOn: addDays(heldOn, 7), priority: "high" },
  });
  const healthAction = await createAction({
    actor: chair,
    meetingCaseId: mcs[0],
    draft: { description: "GP to arrange a safe appointment", ownerAgencyId: panel.agencies.health.id, dueOn: addDays(today, 14), priority: "medium" },
  });
  const policeLater = await createAction({
    actor: chair,
    meetingCaseId: mcs[1],
    draft: { description: "Check bail conditions", ownerAgencyId: panel.agencies.police.id, dueOn: addDays(today, 10), priority: "low" },
  });
  await recordAttendance({ actor: chair, meetingId: held.id, input: { agencyId: panel.agencies.police.id, personName: "DS Jones", status: "present", infoSent: false, confirmConfidentiality: true } });
  await recordAttendance({ actor: chair, meetingId: held.id, input: { agencyId: panel.agencies.health.id, personName: "", status: "apologies", infoSent: true, confirmConfidentiality: false } });
  await recordAttendance({ actor: chair, meetingId: held.id, input: { agencyId: panel.agencies.idvaService.id, personName: "", status: "absent", infoSent: false, confirmConfidentiality: false } });
  await recordAttendance({ actor: chair, meetingId: held.id, input: { agencyId: null, personName: "Student social worker", observerOrganisation: "Llanfair University", status: "present", infoSent: false, confirmConfidentiality: true } });
  const [heldNow] = await db.select().from(meetings).where(eq(meetings.id, held.id));
  return { held: heldNow as Meeting, next, meetingCaseIds: mcs, references, actions: { policeOverdue, healthAction, policeLater } };
}
