import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { actions, agencies, cases, casePeople, identityChecks, meetingCases, meetings, type Meeting } from "#db/schema";
import { inTransaction, writeAudit } from "./audit.server";
import type { CaseActor } from "./cases/access.server";
import { initialsOf } from "./cases/references.server";
import { AppError } from "./errors.server";
import { attendingAgencies, isUuid } from "./preparation/shared.server";

function requireRunner(actor: CaseActor) {
  if (!actor.permissions.has("meeting:run")) throw new AppError("FORBIDDEN", "errors.forbidden");
}

async function loadMeeting(tx: Db, actor: CaseActor, meetingId: string): Promise<Meeting> {
  if (!isUuid(meetingId)) throw new AppError("NOT_FOUND", "errors.notFound");
  const [meeting] = await tx.select().from(meetings).where(and(eq(meetings.id, meetingId), eq(meetings.areaId, actor.area.id)));
  if (!meeting) throw new AppError("NOT_FOUND", "errors.notFound");
  return meeting;
}

/**
 * The run sheet for the chair: the meeting, the panel's active agencies, and the
 * cases in agenda order with their outcomes. Reading it is audited.
 */
export async function getRunSheet(options: { actor: CaseActor; meetingId: string; tx?: Db }) {
  requireRunner(options.actor);
  return inTransaction(options.tx, async (tx) => {
    const meeting = await loadMeeting(tx, options.actor, options.meetingId);
    const agencyList = await attendingAgencies(tx, options.actor.area.id);
    const rows = await tx
      .select({ mc: meetingCases, reference: cases.reference, riskLevel: cases.riskLevel, firstName: casePeople.firstName, lastName: casePeople.lastName })
      .from(meetingCases)
      .innerJoin(cases, eq(cases.id, meetingCases.caseId))
      .leftJoin(casePeople, and(eq(casePeople.caseId, cases.id), eq(casePeople.role, "victim")))
      .where(eq(meetingCases.meetingId, meeting.id))
      .orderBy(asc(meetingCases.position));
    await writeAudit(tx, options.actor.actor, { areaId: options.actor.area.id, action: "meeting.run_sheet_read", entity: "meetings", entityId: meeting.id, detail: { cases: rows.length } });
    return {
      meeting,
      agencies: agencyList.map((a) => ({ id: a.id, name: a.name })),
      cases: rows.map((r) => ({
        meetingCaseId: r.mc.id,
        reference: r.reference ?? "",
        victimInitials: initialsOf(r.firstName !== null ? { firstName: r.firstName, lastName: r.lastName ?? "" } : null),
        isRepeat: r.mc.isRepeat,
        riskLevel: r.riskLevel,
        plannedMinutes: r.mc.plannedMinutes,
        outcome: r.mc.outcome,
      })),
    };
  });
}

/**
 * One listed case as the chair sees it in the meeting: the listing (minutes,
 * outcome, version), the case summary, identity-check results, its neighbours
 * on the list, and every action agreed for this case at any meeting. Audited.
 */
export async function getMeetingRoomCase(options: { actor: CaseActor; meetingId: string; meetingCaseId: string; tx?: Db }) {
  requireRunner(options.actor);
  if (!isUuid(options.meetingCaseId)) throw new AppError("NOT_FOUND", "errors.notFound");
  return inTransaction(options.tx, async (tx) => {
    const meeting = await loadMeeting(tx, options.actor, options.meetingId);
    const [mc] = await tx.select().from(meetingCases).where(and(eq(meetingCases.id, options.meetingCaseId), eq(meetingCases.meetingId, meeting.id)));
    if (!mc) throw new AppError("NOT_FOUND", "errors.notFound");
    const [row] = await tx
      .select({ case: cases, agency: agencies.name })
      .from(cases)
      .innerJoin(agencies, eq(agencies.id, cases.referringAgencyId))
      .where(and(eq(cases.id, mc.caseId), eq(cases.areaId, options.actor.area.id)));
    if (!row) throw new AppError("NOT_FOUND", "errors.notFound");
    const [victim] = await tx.select({ firstName: casePeople.firstName, lastName: casePeople.lastName }).from(casePeople).where(and(eq(casePeople.caseId, row.case.id), eq(casePeople.role, "victim"))).limit(1);
    const [repeatOf] = row.case.repeatOfCaseId
      ? await tx.select({ id: cases.id, reference: cases.reference }).from(cases).where(and(eq(cases.id, row.case.repeatOfCaseId), eq(cases.areaId, options.actor.area.id)))
      : [];
    const checks = await tx
      .select({ status: identityChecks.status, count: sql<number>`count(*)::int` })
      .from(identityChecks)
      .where(eq(identityChecks.meetingCaseId, mc.id))
      .groupBy(identityChecks.status);
    const order = await tx.select({ id: meetingCases.id, plannedMinutes: meetingCases.plannedMinutes }).from(meetingCases).where(eq(meetingCases.meetingId, meeting.id)).orderBy(asc(meetingCases.position));
    const index = order.findIndex((o) => o.id === mc.id);
    const caseActions = await tx
      .select({ action: actions, agency: agencies.name, meetingDate: meetings.seriesDate })
      .from(actions)
      .innerJoin(agencies, eq(agencies.id, actions.ownerAgencyId))
      .innerJoin(meetings, eq(meetings.id, actions.meetingId))
      .where(and(eq(actions.caseId, row.case.id), eq(actions.areaId, options.actor.area.id)))
      .orderBy(desc(meetings.startsAt), asc(actions.createdAt));
    const agencyList = await attendingAgencies(tx, options.actor.area.id);
    await writeAudit(tx, options.actor.actor, { areaId: options.actor.area.id, action: "meeting.case_read", entity: "meeting_cases", entityId: mc.id, caseId: row.case.id });
    return {
      meeting,
      mc,
      position: index + 1,
      /** When this case's slot begins: the actual start (or the planned one) plus the earlier cases' planned minutes. */
      slotStartsAt: new Date((meeting.startedAt ?? meeting.startsAt).getTime() + order.slice(0, Math.max(index, 0)).reduce((n, o) => n + o.plannedMinutes, 0) * 60_000),
      count: order.length,
      previousId: index > 0 ? order[index - 1].id : null,
      nextId: index >= 0 && index < order.length - 1 ? order[index + 1].id : null,
      case: {
        id: row.case.id,
        reference: row.case.reference ?? "",
        isRepeat: mc.isRepeat || row.case.isRepeat,
        repeatOf: repeatOf ? { id: repeatOf.id, reference: repeatOf.reference ?? "" } : null,
        dashScore: row.case.dashScore,
        riskLevel: row.case.riskLevel,
        victimInitials: initialsOf(victim ?? null),
        referringAgency: row.agency,
      },
      verification: Object.fromEntries(checks.map((c) => [c.status, c.count])) as Partial<Record<"pending" | "confirmed" | "corrected" | "not_known", number>>,
      actions: caseActions.map((a) => ({ ...a.action, agency: a.agency, meetingDate: a.meetingDate, thisMeeting: a.action.meetingId === meeting.id })),
      agencies: agencyList.map((a) => ({ id: a.id, name: a.name })),
    };
  });
}
