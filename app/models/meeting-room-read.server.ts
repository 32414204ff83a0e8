import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { type Placeholders, statement } from "#db/statements";
import { actions, agencies, cases, casePeople, identityChecks, meetingCases, meetings, type Meeting } from "#db/schema";
import { inTransaction, writeAudit } from "./audit.server";
import type { CaseActor } from "./cases/access.server";
import { initialsOf } from "./cases/references.server";
import { AppError } from "./errors.server";
import { attendingAgencies, isUuid } from "./preparation/shared.server";

function requireRunner(actor: CaseActor) {
  if (!actor.permissions.has("meeting:run")) throw new AppError("FORBIDDEN", "errors.forbidden");
}

const meetingInArea = statement((db, p: Placeholders<{ id: string; areaId: string }>) => db.select().from(meetings).where(and(eq(meetings.id, p.id), eq(meetings.areaId, p.areaId))));
const listingOnMeeting = statement((db, p: Placeholders<{ id: string; meetingId: string }>) =>
  db.select().from(meetingCases).where(and(eq(meetingCases.id, p.id), eq(meetingCases.meetingId, p.meetingId))),
);
const caseWithReferrer = statement((db, p: Placeholders<{ id: string; areaId: string }>) =>
  db
    .select({ case: cases, agency: agencies.name })
    .from(cases)
    .innerJoin(agencies, eq(agencies.id, cases.referringAgencyId))
    .where(and(eq(cases.id, p.id), eq(cases.areaId, p.areaId))),
);
const victimName = statement((db, p: Placeholders<{ caseId: string }>) =>
  db
    .select({ firstName: casePeople.firstName, lastName: casePeople.lastName })
    .from(casePeople)
    .where(and(eq(casePeople.caseId, p.caseId), eq(casePeople.role, "victim")))
    .limit(1),
);
const caseReference = statement((db, p: Placeholders<{ id: string; areaId: string }>) =>
  db.select({ id: cases.id, reference: cases.reference }).from(cases).where(and(eq(cases.id, p.id), eq(cases.areaId, p.areaId))),
);
const checkCounts = statement((db, p: Placeholders<{ meetingCaseId: string }>) =>
  db
    .select({ status: identityChecks.status, count: sql<number>`count(*)::int` })
    .from(identityChecks)
    .where(eq(identityChecks.meetingCaseId, p.meetingCaseId))
    .groupBy(identityChecks.status),
);
const listingOrder = statement((db, p: Placeholders<{ meetingId: string }>) =>
  db.select({ id: meetingCases.id, plannedMinutes: meetingCases.plannedMinutes }).from(meetingCases).where(eq(meetingCases.meetingId, p.meetingId)).orderBy(asc(meetingCases.position)),
);
const actionsOnCase = statement((db, p: Placeholders<{ caseId: string; areaId: string }>) =>
  db
    .select({ action: actions, agency: agencies.name, meetingDate: meetings.seriesDate })
    .from(actions)
    .innerJoin(agencies, eq(agencies.id, actions.ownerAgencyId))
    .innerJoin(meetings, eq(meetings.id, actions.meetingId))
    .where(and(eq(actions.caseId, p.caseId), eq(actions.areaId, p.areaId)))
    .orderBy(desc(meetings.startsAt), asc(actions.createdAt)),
);

async function loadMeeting(tx: Db, actor: CaseActor, meetingId: string): Promise<Meeting> {
  if (!isUuid(meetingId)) throw new AppError("NOT_FOUND", "errors.notFound");
  const [meeting] = await meetingInArea(tx, { id: meetingId, areaId: actor.area.id });
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
  if (!isUuid(options.meetingCaseId) || !isUuid(options.meetingId)) throw new AppError("NOT_FOUND", "errors.notFound");
  return inTransaction(options.tx, async (tx) => {
    const areaId = options.actor.area.id;
    // The listing is asked for on the meeting named in the URL, together with that meeting in the
    // actor's area: neither is used unless both are found.
    const [meeting, [mc]] = await Promise.all([loadMeeting(tx, options.actor, options.meetingId), listingOnMeeting(tx, { id: options.meetingCaseId, meetingId: options.meetingId })]);
    if (!mc) throw new AppError("NOT_FOUND", "errors.notFound");
    const [row] = await caseWithReferrer(tx, { id: mc.caseId, areaId });
    if (!row) throw new AppError("NOT_FOUND", "errors.notFound");
    // The rest depends only on the listing and the case: sent together, they go out on the
    // transaction's connection one after another without waiting for each answer.
    const [[victim], [repeatOf], checks, order, caseActions, agencyList] = await Promise.all([
      victimName(tx, { caseId: row.case.id }),
      row.case.repeatOfCaseId ? caseReference(tx, { id: row.case.repeatOfCaseId, areaId }) : Promise.resolve([]),
      checkCounts(tx, { meetingCaseId: mc.id }),
      listingOrder(tx, { meetingId: meeting.id }),
      actionsOnCase(tx, { caseId: row.case.id, areaId }),
      attendingAgencies(tx, areaId),
    ]);
    const index = order.findIndex((o) => o.id === mc.id);
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
      // The action's columns spread last (finding 41); none is named agency, meetingDate or thisMeeting.
      actions: caseActions.map((a) => ({ agency: a.agency, meetingDate: a.meetingDate, thisMeeting: a.action.meetingId === meeting.id, ...a.action })),
      agencies: agencyList.map((a) => ({ id: a.id, name: a.name })),
    };
  });
}
