import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "#db/client";
import { actions, agencies, areas, attendance, casePeople, cases, meetingCases, meetings, safeContacts, users } from "#db/schema";
import { inTransaction, writeAudit } from "./audit.server";
import type { CaseActor } from "./cases/access.server";
import { initialsOf } from "./cases/references.server";
import { AppError } from "./errors.server";
import { isUuid } from "./preparation/shared.server";

const MINUTES_STATUSES = ["held", "minutes_circulated"] as const;

/** The restricted details of a case (DESIGN.md section 2): only in the full version. */
export interface RestrictedCaseDetails {
  safeNumber: string;
  safeTimes: string;
  noMessages: boolean;
  mustNotKnow: string;
  confidentialAddress: string | null;
}

/**
 * The minutes and action plan of a held meeting, already filtered for this reader
 * (docs/decisions/010-minutes-pdf-per-agency.md):
 * - the coordinator and the chair get the full version, with each case's
 *   safe-contact rules and confidential address;
 * - an agency representative or IDVA gets the agency version once the minutes are
 *   circulated, and only if their agency is on the meeting's attendance or owns one
 *   of its actions: the same minutes and the whole action plan, with no restricted
 *   details at all (not even a placeholder naming them).
 * Research "held but not shared" is never part of the minutes. Reading it is audited.
 */
export async function getMinutesForPdf(options: { actor: CaseActor; meetingId: string; tx?: Db }) {
  const { actor } = options;
  if (!isUuid(options.meetingId)) throw new AppError("NOT_FOUND", "errors.notFound");
  const full = actor.permissions.has("list:compile") || actor.permissions.has("meeting:run");
  if (!full && !(actor.permissions.has("minutes:read") && actor.agencyId)) throw new AppError("FORBIDDEN", "errors.forbidden");
  return inTransaction(options.tx, async (tx) => {
    const [meeting] = await tx.select().from(meetings).where(and(eq(meetings.id, options.meetingId), eq(meetings.areaId, actor.area.id)));
    if (!meeting || !(MINUTES_STATUSES as readonly string[]).includes(meeting.status)) throw new AppError("NOT_FOUND", "errors.notFound");
    const present = await tx
      .select({ row: attendance, agency: agencies.name })
      .from(attendance)
      .leftJoin(agencies, eq(agencies.id, attendance.agencyId))
      .where(eq(attendance.meetingId, meeting.id))
      .orderBy(asc(agencies.name), asc(attendance.personName));
    const plan = await tx
      .select({ action: actions, agency: agencies.name })
      .from(actions)
      .innerJoin(agencies, eq(agencies.id, actions.ownerAgencyId))
      .where(eq(actions.meetingId, meeting.id))
      .orderBy(asc(agencies.name), asc(actions.dueOn), asc(actions.createdAt));
    if (!full) {
      // Agencies get the minutes once circulated, and only for a meeting their agency took part in.
      const involved = present.some((p) => p.row.agencyId === actor.agencyId) || plan.some((p) => p.action.ownerAgencyId === actor.agencyId);
      if (meeting.status !== "minutes_circulated" || !involved) throw new AppError("NOT_FOUND", "errors.notFound");
    }
    const rows = await tx
      .select({ mc: meetingCases, reference: cases.reference })
      .from(meetingCases)
      .innerJoin(cases, eq(cases.id, meetingCases.caseId))
      .where(eq(meetingCases.meetingId, meeting.id))
      .orderBy(asc(meetingCases.position));
    const caseIds = rows.map((r) => r.mc.caseId);
    const victims = caseIds.length
      ? await tx
          .select({ caseId: casePeople.caseId, firstName: casePeople.firstName, lastName: casePeople.lastName, address: casePeople.address, confidentialAddress: casePeople.confidentialAddress })
          .from(casePeople)
          .where(and(inArray(casePeople.caseId, caseIds), eq(casePeople.role, "victim")))
          .orderBy(asc(casePeople.position))
      : [];
    const safe = full && caseIds.length ? await tx.select().from(safeContacts).where(inArray(safeContacts.caseId, caseIds)) : [];
    const [area] = await tx.select({ name: areas.name, code: areas.code, confidentialityStatement: areas.confidentialityStatement }).from(areas).where(eq(areas.id, meeting.areaId));
    const [chair] = meeting.chairUserId ? await tx.select({ name: users.name }).from(users).where(eq(users.id, meeting.chairUserId)) : [];
    const [ownAgency] = !full && actor.agencyId ? await tx.select({ name: agencies.name }).from(agencies).where(eq(agencies.id, actor.agencyId)) : [];
    const actionView = (a: (typeof plan)[number]) => ({
      id: a.action.id,
      description: a.action.description,
      agency: a.agency,
      ownerName: a.action.ownerName,
      dueOn: a.action.dueOn,
      priority: a.action.priority,
      status: a.action.status,
      meetingCaseId: a.action.meetingCaseId,
    });
    const caseList = rows.map((r) => {
      const victim = victims.find((v) => v.caseId === r.mc.caseId);
      const s = safe.find((x) => x.caseId === r.mc.caseId);
      const restricted: RestrictedCaseDetails | null = full
        ? {
            safeNumber: s?.safeNumber ?? "",
            safeTimes: s?.safeTimes ?? "",
            noMessages: s?.noMessages ?? false,
            mustNotKnow: s?.mustNotKnow ?? "",
            confidentialAddress: victim?.confidentialAddress ? victim.address : null,
          }
        : null;
      return {
        meetingCaseId: r.mc.id,
        reference: r.reference ?? "",
        initials: initialsOf(victim ? { firstName: victim.firstName, lastName: victim.lastName } : null),
        isRepeat: r.mc.isRepeat,
        outcome: r.mc.outcome,
        minutes: {
          infoShared: r.mc.infoShared,
          risksVictim: r.mc.risksVictim,
          risksChildren: r.mc.risksChildren,
          risksOthers: r.mc.risksOthers,
          risksStaff: r.mc.risksStaff,
          safetyPlanning: r.mc.safetyPlanning,
          crimesReported: r.mc.crimesReported,
          decisions: r.mc.decisions,
        },
        restricted,
        actions: plan.filter((a) => a.action.meetingCaseId === r.mc.id).map(actionView),
      };
    });
    await writeAudit(tx, actor.actor, { areaId: actor.area.id, action: "meeting.minutes_read", entity: "meetings", entityId: meeting.id, detail: { version: full ? "full" : "agency", cases: caseList.length } });
    return {
      meeting,
      area: area!,
      chairName: chair?.name ?? null,
      full,
      agencyName: ownAgency?.name ?? null,
      attendance: present.map((p) => ({
        agency: p.agency,
        personName: p.row.personName,
        observerOrganisation: p.row.observerOrganisation,
        status: p.row.status,
        infoSent: p.row.infoSent,
        observer: p.row.agencyId === null,
      })),
      cases: caseList,
      plan: plan.map(actionView),
    };
  });
}

export type MinutesForPdf = Awaited<ReturnType<typeof getMinutesForPdf>>;
