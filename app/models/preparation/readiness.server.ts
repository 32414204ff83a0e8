import { and, asc, eq, inArray } from "drizzle-orm";
import type { SelectedFields } from "drizzle-orm/pg-core";
import type { Db } from "#db/client";
import { type Placeholders, statement } from "#db/statements";
import { cases, identityChecks, meetingCases, meetings, researchReturns, victimContacts } from "#db/schema";
import { groupBy } from "~/lib/group";
import { todayInLondon } from "~/lib/london-time";
import { inTransaction, writeAudit } from "../audit.server";
import type { CaseActor } from "../cases/access.server";
import { AppError } from "../errors.server";
import { attendingAgencies, isPastDeadline, isUuid } from "./shared.server";

export type VerificationState = "not_sent" | "pending" | "overdue" | "done" | "corrections";
export type ResearchState = "none" | "draft" | "submitted" | "late" | "nothing_held";
export type ContactState = "none" | "attempted" | "spoke";

type OfMeeting = Placeholders<{ meetingId: string; areaId: string }>;
const theMeeting = (p: OfMeeting) => and(eq(meetings.id, p.meetingId), eq(meetings.areaId, p.areaId));
const onTheList = <F extends SelectedFields>(db: Db, fields: F) => db.select(fields).from(meetingCases).innerJoin(meetings, eq(meetings.id, meetingCases.meetingId));
const listedIds = (db: Db, p: OfMeeting) => onTheList(db, { id: meetingCases.id }).where(theMeeting(p));
const listedCaseIds = (db: Db, p: OfMeeting) => onTheList(db, { id: meetingCases.caseId }).where(theMeeting(p));
const meetingRow = statement((db, p: OfMeeting) => db.select().from(meetings).where(theMeeting(p)));
const listing = statement((db, p: OfMeeting) =>
  onTheList(db, { id: meetingCases.id, caseId: meetingCases.caseId, position: meetingCases.position, reference: cases.reference })
    .innerJoin(cases, eq(cases.id, meetingCases.caseId))
    .where(theMeeting(p))
    .orderBy(asc(meetingCases.position)),
);
const listedChecks = statement((db, p: OfMeeting) =>
  db
    .select({ mc: identityChecks.meetingCaseId, status: identityChecks.status, decisions: identityChecks.decisions, corrections: identityChecks.corrections })
    .from(identityChecks)
    .where(inArray(identityChecks.meetingCaseId, listedIds(db, p))),
);
const listedReturns = statement((db, p: OfMeeting) =>
  db
    .select({ mc: researchReturns.meetingCaseId, agencyId: researchReturns.agencyId, status: researchReturns.status, late: researchReturns.late })
    .from(researchReturns)
    .where(inArray(researchReturns.meetingCaseId, listedIds(db, p))),
);
const listedContacts = statement((db, p: OfMeeting) =>
  db
    .select({ caseId: victimContacts.caseId, outcome: victimContacts.outcome, phase: victimContacts.phase })
    .from(victimContacts)
    .where(inArray(victimContacts.caseId, listedCaseIds(db, p))),
);

/**
 * The coordinator's readiness grid for one meeting: cases × agencies, with
 * verification, research and IDVA contact state, and counts. Six queries sent
 * together, whatever the size of the list.
 */
export async function getReadiness(options: { actor: CaseActor; meetingId: string; today?: string; tx?: Db }) {
  const { actor } = options;
  if (!actor.permissions.has("list:compile") && !actor.permissions.has("meeting:run")) throw new AppError("FORBIDDEN", "errors.forbidden");
  if (!isUuid(options.meetingId)) throw new AppError("NOT_FOUND", "errors.notFound");
  const today = options.today ?? todayInLondon();
  return inTransaction(options.tx, async (tx) => {
    // Every read is bounded by the meeting in the actor's area, so none depends on another's result
    // and all six go to the database together (pipelined on the transaction's connection: one round
    // trip instead of six on PostgreSQL).
    const values = { meetingId: options.meetingId, areaId: actor.area.id };
    const [[meeting], agencyList, listed, checks, returns, contacts] = await Promise.all([
      meetingRow(tx, values),
      attendingAgencies(tx, actor.area.id),
      listing(tx, values),
      listedChecks(tx, values),
      listedReturns(tx, values),
      listedContacts(tx, values),
    ]);
    if (!meeting) throw new AppError("NOT_FOUND", "errors.notFound");
    const verificationOverdue = isPastDeadline(meeting.verificationDue, today);
    // Each case's checks, returns and contacts found by key, not by scanning every row of the
    // meeting for every case (and every agency): a 40-case list has about 600 checks and returns.
    const checksOf = groupBy(checks, (c) => c.mc);
    const returnsOf = groupBy(returns, (r) => `${r.mc} ${r.agencyId}`);
    const contactsBefore = groupBy(
      contacts.filter((c) => c.phase === "before"),
      (c) => c.caseId,
    );
    const rows = listed.map((l) => {
      const mine = checksOf.get(l.id) ?? [];
      let verification: VerificationState = "not_sent";
      if (mine.length) {
        const undecided = mine.some((c) => Object.keys(c.corrections).some((f) => !(c.decisions as Record<string, string>)[f]));
        if (mine.some((c) => c.status === "pending")) verification = verificationOverdue ? "overdue" : "pending";
        else verification = undecided ? "corrections" : "done";
      }
      const research: Record<string, ResearchState> = {};
      for (const a of agencyList) {
        const r = returnsOf.get(`${l.id} ${a.id}`)?.[0];
        research[a.id] = !r ? "none" : r.status === "draft" ? "draft" : r.status === "nothing_held" ? "nothing_held" : r.late ? "late" : "submitted";
      }
      const before = contactsBefore.get(l.caseId) ?? [];
      const contact: ContactState = before.some((c) => c.outcome === "spoke") ? "spoke" : before.length ? "attempted" : "none";
      return { meetingCaseId: l.id, caseId: l.caseId, position: l.position, reference: l.reference ?? "", verification, research, contact };
    });
    const counts = {
      cases: rows.length,
      verificationOutstanding: rows.filter((r) => r.verification === "pending" || r.verification === "overdue" || r.verification === "corrections").length,
      researchMissing: rows.reduce((n, r) => n + Object.values(r.research).filter((s) => s === "none" || s === "draft").length, 0),
      researchReceived: rows.reduce((n, r) => n + Object.values(r.research).filter((s) => s !== "none" && s !== "draft").length, 0),
      noContact: rows.filter((r) => r.contact === "none").length,
    };
    await writeAudit(tx, actor.actor, { areaId: actor.area.id, action: "meeting.readiness_read", entity: "meetings", entityId: meeting.id });
    return { meeting, agencies: agencyList.map((a) => ({ id: a.id, name: a.name })), rows, counts };
  });
}
