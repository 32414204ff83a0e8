import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "#db/client";
import { getDb } from "#db/client";
import { type Placeholders, statement } from "#db/statements";
import { agencies, cases, meetingCases, meetings, researchReturns, type ResearchFact, type ResearchReturn } from "#db/schema";
import { todayInLondon } from "~/lib/london-time";
import { inTransaction, writeAudit } from "../audit.server";
import { assertVersion, type CaseActor } from "../cases/access.server";
import { AppError } from "../errors.server";
import { isPastDeadline, loadMeetingCase } from "./shared.server";

/** Research is written once the list is circulated, and read in the meeting. */
const RESEARCH_OPEN = ["circulated", "in_progress"] as const;
const IN_OR_AFTER_MEETING = ["in_progress", "held", "minutes_circulated"] as const;

export interface ResearchValues {
  facts: ResearchFact[];
  opinion: string;
  actionsInPlace: string;
  suggestedActions: string;
  withheld: string;
  withheldReason: string;
}

function requireAgency(actor: CaseActor) {
  if (!actor.permissions.has("research:submit") || !actor.agencyId) throw new AppError("FORBIDDEN", "errors.forbidden");
  return actor.agencyId;
}

/** The acting agency's research returns due: every case on circulated lists, with its state. */
export async function listResearchTasks(options: { actor: CaseActor; today?: string; tx?: Db }) {
  if (!options.actor.permissions.has("research:submit") || !options.actor.agencyId) return [];
  const db = options.tx ?? getDb();
  const today = options.today ?? todayInLondon();
  const rows = await db
    .select({ mc: meetingCases, meeting: meetings, reference: cases.reference, ret: researchReturns })
    .from(meetingCases)
    .innerJoin(meetings, eq(meetings.id, meetingCases.meetingId))
    .innerJoin(cases, eq(cases.id, meetingCases.caseId))
    .leftJoin(researchReturns, and(eq(researchReturns.meetingCaseId, meetingCases.id), eq(researchReturns.agencyId, options.actor.agencyId)))
    .where(and(eq(meetings.areaId, options.actor.area.id), inArray(meetings.status, [...RESEARCH_OPEN])))
    .orderBy(asc(meetings.startsAt), asc(meetingCases.position));
  return rows.map((r) => ({
    meetingCaseId: r.mc.id,
    meetingId: r.meeting.id,
    meetingDate: r.meeting.seriesDate,
    reference: r.reference ?? "",
    due: r.meeting.researchDue,
    status: r.ret?.status ?? "none",
    late: r.ret?.late ?? false,
    overdue: (!r.ret || r.ret.status === "draft") && isPastDeadline(r.meeting.researchDue, today),
  }));
}

/** The acting agency's own return for a listed case (or null when not started). Audited. */
export async function getOwnResearch(options: { actor: CaseActor; meetingCaseId: string; today?: string; tx?: Db }) {
  const agencyId = requireAgency(options.actor);
  return inTransaction(options.tx, async (tx) => {
    const { mc, meeting } = await loadMeetingCase(tx, options.actor, options.meetingCaseId);
    if (!(RESEARCH_OPEN as readonly string[]).includes(meeting.status) && !(IN_OR_AFTER_MEETING as readonly string[]).includes(meeting.status)) {
      throw new AppError("NOT_FOUND", "errors.notFound");
    }
    const [ret] = await tx.select().from(researchReturns).where(and(eq(researchReturns.meetingCaseId, mc.id), eq(researchReturns.agencyId, agencyId)));
    const [c] = await tx.select({ reference: cases.reference }).from(cases).where(eq(cases.id, mc.caseId));
    await writeAudit(tx, options.actor.actor, { areaId: options.actor.area.id, action: "research.read_own", entity: "research_returns", entityId: ret?.id ?? null, caseId: mc.caseId });
    const today = options.today ?? todayInLondon();
    return {
      ret: ret ?? null,
      reference: c?.reference ?? "",
      meeting,
      pastDeadline: isPastDeadline(meeting.researchDue, today),
      editable: (RESEARCH_OPEN as readonly string[]).includes(meeting.status) && (!ret || ret.status === "draft" || !isPastDeadline(meeting.researchDue, today)),
    };
  });
}

/**
 * Save the agency's research as a draft, submit it, or say "no information held".
 * Submitted returns can be changed until the deadline; a late first submission is allowed and marked late.
 */
export async function saveResearch(options: {
  actor: CaseActor;
  meetingCaseId: string;
  version: number | null;
  intent: "draft" | "submit" | "nothing_held";
  values?: ResearchValues;
  today?: string;
  tx?: Db;
}) {
  const agencyId = requireAgency(options.actor);
  const today = options.today ?? todayInLondon();
  return inTransaction(options.tx, async (tx) => {
    const { mc, meeting } = await loadMeetingCase(tx, options.actor, options.meetingCaseId);
    if (!(RESEARCH_OPEN as readonly string[]).includes(meeting.status)) throw new AppError("CONFLICT", "cases:research.errors.closed");
    const [existing] = await tx
      .select()
      .from(researchReturns)
      .where(and(eq(researchReturns.meetingCaseId, mc.id), eq(researchReturns.agencyId, agencyId)))
      .for("update");
    const past = isPastDeadline(meeting.researchDue, today);
    if (existing) {
      assertVersion(existing, options.version ?? -1);
      if (existing.status !== "draft" && past) throw new AppError("CONFLICT", "cases:research.errors.deadlinePassed");
    } else if (options.version !== null) {
      throw new AppError("CONFLICT", "errors.stale");
    }
    const values: ResearchValues =
      options.intent === "nothing_held"
        ? { facts: [], opinion: "", actionsInPlace: "", suggestedActions: "", withheld: "", withheldReason: "" }
        : (options.values ?? { facts: [], opinion: "", actionsInPlace: "", suggestedActions: "", withheld: "", withheldReason: "" });
    if (values.withheld.trim() && !values.withheldReason.trim()) throw new AppError("INVALID", "cases:research.errors.withheldReason", { field: "withheldReason" });
    if (options.intent === "submit" && !values.facts.length && !values.opinion.trim() && !values.actionsInPlace.trim() && !values.suggestedActions.trim() && !values.withheld.trim()) {
      throw new AppError("INVALID", "cases:research.errors.empty");
    }
    const status = options.intent === "draft" ? "draft" : options.intent === "submit" ? "submitted" : "nothing_held";
    const submitting = status !== "draft";
    const fields = {
      ...values,
      status,
      submittedBy: submitting ? options.actor.actor.userId : null,
      submittedAt: submitting ? (existing?.submittedAt && existing.status !== "draft" ? existing.submittedAt : new Date()) : null,
      // Late is fixed at the first submission.
      late: submitting ? (existing && existing.status !== "draft" ? existing.late : past) : false,
      updatedAt: new Date(),
    } as const;
    let saved: ResearchReturn;
    if (existing) {
      [saved] = await tx.update(researchReturns).set({ ...fields, version: existing.version + 1 }).where(eq(researchReturns.id, existing.id)).returning();
    } else {
      [saved] = await tx.insert(researchReturns).values({ ...fields, meetingCaseId: mc.id, agencyId }).returning();
    }
    await writeAudit(tx, options.actor.actor, {
      areaId: options.actor.area.id,
      action: `research.${options.intent === "draft" ? "draft_saved" : options.intent === "submit" ? "submitted" : "nothing_held"}`,
      entity: "research_returns",
      entityId: saved.id,
      caseId: mc.caseId,
      detail: { late: saved.late },
    });
    return saved;
  });
}

/** A case's research as the meeting reads it: the returns submitted (or "nothing held"), by agency name. */
const sharedReturns = statement((db, p: Placeholders<{ meetingCaseId: string }>) =>
  db
    .select({ ret: researchReturns, agency: agencies.name })
    .from(researchReturns)
    .innerJoin(agencies, eq(agencies.id, researchReturns.agencyId))
    .where(and(eq(researchReturns.meetingCaseId, p.meetingCaseId), inArray(researchReturns.status, ["submitted", "nothing_held"])))
    .orderBy(asc(agencies.name)),
);

/**
 * Submitted research for one listed case, as this actor may see it: the
 * coordinator and chair before the meeting; attending agencies in and after it.
 * "Held but not shared" only for the coordinator and the agency that wrote it.
 */
export async function listCaseResearch(options: { actor: CaseActor; meetingCaseId: string; tx?: Db }) {
  const { actor } = options;
  return inTransaction(options.tx, async (tx) => {
    const { mc, meeting } = await loadMeetingCase(tx, actor, options.meetingCaseId);
    const inMeeting = (IN_OR_AFTER_MEETING as readonly string[]).includes(meeting.status);
    const canRead = actor.permissions.has("research:read") || (inMeeting && actor.permissions.has("list:read"));
    if (!canRead) throw new AppError("NOT_FOUND", "errors.notFound");
    const rows = await sharedReturns(tx, { meetingCaseId: mc.id });
    await writeAudit(tx, actor.actor, { areaId: actor.area.id, action: "research.read", entity: "meeting_cases", entityId: mc.id, caseId: mc.caseId, detail: { returns: rows.length } });
    return rows.map(({ ret, agency }) => {
      const seesWithheld = actor.permissions.has("list:compile") || ret.agencyId === actor.agencyId;
      return {
        id: ret.id,
        agencyId: ret.agencyId,
        agency,
        status: ret.status,
        facts: ret.facts,
        opinion: ret.opinion,
        actionsInPlace: ret.actionsInPlace,
        suggestedActions: ret.suggestedActions,
        withheld: seesWithheld ? ret.withheld : null,
        withheldReason: seesWithheld ? ret.withheldReason : null,
        hasWithheld: ret.withheld.trim().length > 0,
        submittedAt: ret.submittedAt,
        late: ret.late,
      };
    });
  });
}
