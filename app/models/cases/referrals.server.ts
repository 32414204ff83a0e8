import { and, asc, desc, eq, inArray, ne, or, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { getDb } from "#db/client";
import {
  agencies,
  areas,
  caseMatchCandidates,
  casePeople,
  cases,
  safeContacts,
  type Case,
  type CasePerson,
  type DashAnswers,
  type PersonRole,
} from "#db/schema";
import { effectiveRiskLevel, scoreDash } from "~/lib/dash";
import { isRepeat, matchPeople } from "~/lib/person-matching";
import { matchingKeys } from "./keys";
import { inTransaction, writeAudit } from "../audit.server";
import { AppError } from "../errors.server";
import { assertVersion, loadCaseFor, type CaseActor } from "./access.server";
import { nextCaseReference } from "./references.server";

/** Fields of the referral that the referrer edits section by section. */
export type ReferralChanges = Partial<
  Pick<
    Case,
    | "referrerName"
    | "referrerPhone"
    | "referrerEmail"
    | "referralDate"
    | "criteriaProfessionalJudgement"
    | "professionalJudgementRationale"
    | "criteriaEscalation"
    | "escalationIncidentCount"
    | "criteriaRepeat"
    | "dashAnswers"
    | "dashFears"
    | "victimAware"
    | "victimNotAwareReason"
    | "consentGiven"
    | "noConsentLawfulBasis"
    | "whoVictimFears"
    | "safeToTalkTo"
    | "notSafeToTalkTo"
    | "victimWants"
    | "previousMaracElsewhere"
    | "previousMaracDetails"
  >
>;

export type PersonValues = Partial<
  Omit<CasePerson, "id" | "caseId" | "areaId" | "role" | "position" | "nameKeys" | "phoneticKeys" | "version" | "createdAt" | "updatedAt">
>;

export type SafeContactValues = { safeNumber: string; safeTimes: string; noMessages: boolean; mustNotKnow: string; notes: string };

const EDITABLE = new Set(["draft", "returned"]);

function today() {
  return new Date().toISOString().slice(0, 10);
}

/** DASH score, band, the visible-high-risk criterion and the overall level follow from the answers. */
function derivedRisk(row: Pick<Case, "dashAnswers" | "criteriaProfessionalJudgement">) {
  const answers = row.dashAnswers ?? {};
  const { score, answered, band } = scoreDash(answers);
  const dashBand = answered > 0 ? band : null;
  return {
    dashScore: answered > 0 ? score : null,
    dashBand,
    criteriaVisibleHighRisk: dashBand === "high",
    riskLevel: effectiveRiskLevel({ dashBand, professionalJudgement: row.criteriaProfessionalJudgement }),
  };
}

/** An agency representative starts a referral; it stays a draft visible only to their agency. */
export async function startReferral(options: {
  actor: CaseActor;
  referrer: { name: string; email: string };
  tx?: Db;
}): Promise<Case> {
  const { actor } = options;
  if (!actor.permissions.has("case:refer")) throw new AppError("FORBIDDEN", "errors.forbidden");
  if (!actor.agencyId) throw new AppError("INVALID", "cases:referral.errors.noAgency");
  return inTransaction(options.tx, async (tx) => {
    const [row] = await tx
      .insert(cases)
      .values({
        areaId: actor.area.id,
        referringAgencyId: actor.agencyId!,
        referringUserId: actor.actor.userId!,
        referrerName: options.referrer.name,
        referrerEmail: options.referrer.email,
        referralDate: today(),
      })
      .returning();
    await writeAudit(tx, actor.actor, { areaId: actor.area.id, action: "referral.started", entity: "cases", entityId: row.id, caseId: row.id });
    return row;
  });
}

export interface ReferralView {
  case: Case;
  people: CasePerson[];
  safeContact: SafeContactValues | null;
  referringAgencyName: string;
}

/** The whole referral for its editor or reviewer. The read is audited. */
export async function getReferral(options: { actor: CaseActor; caseId: string; tx?: Db }): Promise<ReferralView> {
  return inTransaction(options.tx, async (tx) => {
    const row = await loadCaseFor(tx, options.actor, options.caseId);
    const people = await tx.select().from(casePeople).where(eq(casePeople.caseId, row.id)).orderBy(asc(casePeople.role), asc(casePeople.position));
    const canSeeSafeContact = options.actor.permissions.has("safe_contact:read") || options.actor.agencyId === row.referringAgencyId;
    const [safe] = canSeeSafeContact ? await tx.select().from(safeContacts).where(eq(safeContacts.caseId, row.id)) : [];
    const [agency] = await tx.select({ name: agencies.name }).from(agencies).where(eq(agencies.id, row.referringAgencyId));
    await writeAudit(tx, options.actor.actor, {
      areaId: options.actor.area.id,
      action: "case.read",
      entity: "cases",
      entityId: row.id,
      caseId: row.id,
      detail: { people: people.length, safeContact: Boolean(safe) },
    });
    return {
      case: row,
      people,
      safeContact: safe ? { safeNumber: safe.safeNumber, safeTimes: safe.safeTimes, noMessages: safe.noMessages, mustNotKnow: safe.mustNotKnow, notes: safe.notes } : null,
      referringAgencyName: agency?.name ?? "",
    };
  });
}

async function loadEditable(tx: Db, actor: CaseActor, caseId: string, version: number) {
  const row = await loadCaseFor(tx, actor, caseId, { forUpdate: true });
  if (!EDITABLE.has(row.status) || row.referringAgencyId !== actor.agencyId) throw new AppError("CONFLICT", "cases:referral.errors.notEditable");
  assertVersion(row, version);
  return row;
}

async function bumpCase(tx: Db, row: Case, changes: Partial<Case>) {
  const [updated] = await tx
    .update(cases)
    .set({ ...changes, version: row.version + 1, updatedAt: new Date() })
    .where(and(eq(cases.id, row.id), eq(cases.version, row.version)))
    .returning();
  if (!updated) throw new AppError("CONFLICT", "errors.stale");
  return updated;
}

/** Save one section of a draft referral (the form carries the version it read). */
export async function updateReferral(options: { actor: CaseActor; caseId: string; version: number; section: string; changes: ReferralChanges; tx?: Db }) {
  return inTransaction(options.tx, async (tx) => {
    const row = await loadEditable(tx, options.actor, options.caseId, options.version);
    const merged = { ...row, ...options.changes } as Case;
    const updated = await bumpCase(tx, row, { ...options.changes, ...derivedRisk(merged) });
    await writeAudit(tx, options.actor.actor, {
      areaId: options.actor.area.id,
      action: "referral.updated",
      entity: "cases",
      entityId: row.id,
      caseId: row.id,
      detail: { section: options.section, fields: Object.keys(options.changes) },
    });
    return updated;
  });
}

/** Add or change a person on a draft referral. Only one victim per case. */
export async function savePerson(options: {
  actor: CaseActor;
  caseId: string;
  caseVersion: number;
  personId?: string;
  personVersion?: number;
  role: PersonRole;
  values: PersonValues;
  tx?: Db;
}) {
  return inTransaction(options.tx, async (tx) => {
    const row = await loadEditable(tx, options.actor, options.caseId, options.caseVersion);
    const keys = matchingKeys(options.values);
    let person: CasePerson;
    if (options.personId) {
      const [existing] = await tx
        .select()
        .from(casePeople)
        .where(and(eq(casePeople.id, options.personId), eq(casePeople.caseId, row.id)))
        .for("update");
      // A person is edited only through the form for their role.
      if (!existing || existing.role !== options.role) throw new AppError("NOT_FOUND", "errors.notFound");
      assertVersion(existing, options.personVersion ?? -1);
      [person] = await tx
        .update(casePeople)
        .set({ ...options.values, ...keys, version: existing.version + 1, updatedAt: new Date() })
        .where(eq(casePeople.id, existing.id))
        .returning();
    } else {
      const siblings = await tx.select({ id: casePeople.id, role: casePeople.role }).from(casePeople).where(eq(casePeople.caseId, row.id));
      if (options.role === "victim" && siblings.some((s) => s.role === "victim")) throw new AppError("CONFLICT", "cases:people.errors.oneVictim");
      [person] = await tx
        .insert(casePeople)
        .values({ ...options.values, ...keys, caseId: row.id, areaId: row.areaId, role: options.role, position: siblings.filter((s) => s.role === options.role).length })
        .returning();
    }
    await bumpCase(tx, row, {});
    await writeAudit(tx, options.actor.actor, {
      areaId: options.actor.area.id,
      action: options.personId ? "referral.person_updated" : "referral.person_added",
      entity: "case_people",
      entityId: person.id,
      caseId: row.id,
      detail: { role: person.role, fields: Object.keys(options.values) },
    });
    return person;
  });
}

export async function removePerson(options: { actor: CaseActor; caseId: string; caseVersion: number; personId: string; tx?: Db }) {
  return inTransaction(options.tx, async (tx) => {
    const row = await loadEditable(tx, options.actor, options.caseId, options.caseVersion);
    const deleted = await tx
      .delete(casePeople)
      .where(and(eq(casePeople.id, options.personId), eq(casePeople.caseId, row.id)))
      .returning({ id: casePeople.id, role: casePeople.role });
    if (deleted.length === 0) throw new AppError("NOT_FOUND", "errors.notFound");
    await bumpCase(tx, row, {});
    await writeAudit(tx, options.actor.actor, {
      areaId: options.actor.area.id,
      action: "referral.person_removed",
      entity: "case_people",
      entityId: options.personId,
      caseId: row.id,
      detail: { role: deleted[0].role },
    });
  });
}

/** Safe-contact rules for the victim (restricted: IDVA, coordinator, chair, and the referrer while drafting). */
export async function saveSafeContact(options: { actor: CaseActor; caseId: string; caseVersion: number; values: SafeContactValues; tx?: Db }) {
  return inTransaction(options.tx, async (tx) => {
    const row = await loadEditable(tx, options.actor, options.caseId, options.caseVersion);
    await tx
      .insert(safeContacts)
      .values({ caseId: row.id, ...options.values })
      .onConflictDoUpdate({ target: safeContacts.caseId, set: { ...options.values, version: sql`${safeContacts.version} + 1`, updatedAt: new Date() } });
    await bumpCase(tx, row, {});
    await writeAudit(tx, options.actor.actor, {
      areaId: options.actor.area.id,
      action: "referral.safe_contact_saved",
      entity: "safe_contacts",
      entityId: row.id,
      caseId: row.id,
    });
  });
}

/** What still stops a referral being submitted, as i18n keys with the section to fix. */
export function referralProblems(view: Pick<ReferralView, "case" | "people">): { section: string; key: string }[] {
  const c = view.case;
  const problems: { section: string; key: string }[] = [];
  const victim = view.people.find((p) => p.role === "victim");
  if (!c.referrerName.trim() || !c.referrerEmail.trim() || !c.referralDate) problems.push({ section: "referrer", key: "cases:referral.problems.referrer" });
  if (!victim || !victim.firstName.trim() || !victim.lastName.trim()) problems.push({ section: "victim", key: "cases:referral.problems.victim" });
  if (!view.people.some((p) => p.role === "perpetrator")) problems.push({ section: "perpetrators", key: "cases:referral.problems.perpetrator" });
  const { answered, complete } = scoreDash(c.dashAnswers ?? {});
  const dashHigh = derivedRisk(c).criteriaVisibleHighRisk;
  if (!dashHigh && !c.criteriaProfessionalJudgement && !c.criteriaEscalation && !c.criteriaRepeat) {
    problems.push({ section: "criteria", key: "cases:referral.problems.criteria" });
  }
  if (answered > 0 && !complete && !dashHigh) problems.push({ section: "dash", key: "cases:referral.problems.dashIncomplete" });
  if (c.criteriaProfessionalJudgement && !c.professionalJudgementRationale.trim()) problems.push({ section: "criteria", key: "cases:referral.problems.rationale" });
  if (c.criteriaEscalation && !c.escalationIncidentCount) problems.push({ section: "criteria", key: "cases:referral.problems.incidents" });
  if (c.victimAware === null || c.consentGiven === null) problems.push({ section: "consent", key: "cases:referral.problems.consent" });
  if (c.victimAware === false && !c.victimNotAwareReason.trim()) problems.push({ section: "consent", key: "cases:referral.problems.notAwareReason" });
  if (c.consentGiven === false && !c.noConsentLawfulBasis.trim()) problems.push({ section: "consent", key: "cases:referral.problems.lawfulBasis" });
  return problems;
}

/** Earlier cases in the area whose victim may be this victim, scored. Pre-filtered by index. */
export async function findMatchCandidates(tx: Db, row: Case, victim: CasePerson) {
  const filters = [];
  if (victim.phoneticKeys.length) filters.push(sql`${casePeople.phoneticKeys} && ${sql.param(victim.phoneticKeys)}::text[]`);
  if (victim.dobs.length) filters.push(sql`${casePeople.dobs} && ${sql.param(victim.dobs)}::text[]`);
  if (filters.length === 0) return [];
  const rows = await tx
    .select({ person: casePeople, caseId: cases.id, referralDate: cases.referralDate, submittedAt: cases.submittedAt })
    .from(casePeople)
    .innerJoin(cases, eq(cases.id, casePeople.caseId))
    .where(
      and(
        eq(casePeople.areaId, row.areaId),
        eq(casePeople.role, "victim"),
        ne(casePeople.caseId, row.id),
        inArray(cases.status, ["referred", "accepted", "listed", "discussed", "closed"]),
        or(...filters),
      ),
    )
    .limit(200);
  const candidate = { names: [`${victim.firstName} ${victim.lastName}`, ...victim.aliases], dobs: victim.dobs };
  return rows
    .map((r) => ({ ...r, result: matchPeople(candidate, { names: [`${r.person.firstName} ${r.person.lastName}`, ...r.person.aliases], dobs: r.person.dobs }) }))
    .filter((r) => r.result.isMatch)
    .sort((a, b) => b.result.score - a.result.score || (b.referralDate ?? "").localeCompare(a.referralDate ?? ""));
}

/**
 * Submit a complete referral: it gets its reference, possible earlier cases for
 * the same victim are recorded for the coordinator, and it awaits a decision.
 */
export async function submitReferral(options: { actor: CaseActor; caseId: string; version: number; tx?: Db }) {
  return inTransaction(options.tx, async (tx) => {
    const row = await loadEditable(tx, options.actor, options.caseId, options.version);
    const people = await tx.select().from(casePeople).where(eq(casePeople.caseId, row.id));
    const problems = referralProblems({ case: row, people });
    if (problems.length) throw new AppError("INVALID", "cases:referral.errors.incomplete", { detail: { problems } });
    const [area] = await tx.select({ id: areas.id, code: areas.code }).from(areas).where(eq(areas.id, row.areaId));
    const reference = row.reference ?? (await nextCaseReference(tx, area, new Date().getUTCFullYear()));
    const updated = await bumpCase(tx, row, { status: "referred", reference, submittedAt: new Date(), returnedReason: "" });
    const victim = people.find((p) => p.role === "victim")!;
    const candidates = await findMatchCandidates(tx, updated, victim);
    await tx.delete(caseMatchCandidates).where(and(eq(caseMatchCandidates.caseId, row.id), eq(caseMatchCandidates.decision, "pending")));
    for (const c of candidates) {
      await tx
        .insert(caseMatchCandidates)
        .values({ caseId: row.id, candidateCaseId: c.caseId, score: c.result.score, reasons: c.result.reasons, candidateReferralDate: c.referralDate })
        .onConflictDoNothing();
    }
    await writeAudit(tx, options.actor.actor, {
      areaId: options.actor.area.id,
      action: "referral.submitted",
      entity: "cases",
      entityId: row.id,
      caseId: row.id,
      detail: { reference, candidates: candidates.length, riskLevel: updated.riskLevel },
    });
    return { case: updated, candidates: candidates.length };
  });
}

/** The coordinator's queue: referrals awaiting a decision, newest first, without names. */
export async function listReferralsForReview(options: { actor: CaseActor; status?: "referred" | "returned" | "accepted"; tx?: Db }) {
  if (!options.actor.permissions.has("list:compile")) throw new AppError("FORBIDDEN", "errors.forbidden");
  const db = options.tx ?? getDb();
  return db
    .select({
      id: cases.id,
      reference: cases.reference,
      status: cases.status,
      submittedAt: cases.submittedAt,
      riskLevel: cases.riskLevel,
      dashScore: cases.dashScore,
      isRepeat: cases.isRepeat,
      agencyName: agencies.name,
      pendingMatches: sql<number>`(select count(*)::int from ${caseMatchCandidates} m where m.case_id = ${cases.id} and m.decision = 'pending')`,
    })
    .from(cases)
    .innerJoin(agencies, eq(agencies.id, cases.referringAgencyId))
    .where(and(eq(cases.areaId, options.actor.area.id), eq(cases.status, options.status ?? "referred")))
    .orderBy(desc(cases.submittedAt))
    .limit(200);
}

/** An agency's own referrals (drafts, returned, submitted). */
export async function listAgencyReferrals(options: { actor: CaseActor; tx?: Db }) {
  if (!options.actor.agencyId) return [];
  const db = options.tx ?? getDb();
  return db
    .select({ id: cases.id, reference: cases.reference, status: cases.status, createdAt: cases.createdAt, submittedAt: cases.submittedAt, returnedReason: cases.returnedReason })
    .from(cases)
    .where(and(eq(cases.areaId, options.actor.area.id), eq(cases.referringAgencyId, options.actor.agencyId)))
    .orderBy(desc(cases.createdAt))
    .limit(200);
}

/** Match candidates for a referral with their earlier case's reference. */
export async function listMatchCandidates(options: { actor: CaseActor; caseId: string; tx?: Db }) {
  const db = options.tx ?? getDb();
  const row = await loadCaseFor(db, options.actor, options.caseId);
  return db
    .select({
      id: caseMatchCandidates.id,
      candidateCaseId: caseMatchCandidates.candidateCaseId,
      reference: cases.reference,
      score: caseMatchCandidates.score,
      reasons: caseMatchCandidates.reasons,
      candidateReferralDate: caseMatchCandidates.candidateReferralDate,
      decision: caseMatchCandidates.decision,
      withinTwelveMonths: sql<boolean>`false`,
    })
    .from(caseMatchCandidates)
    .innerJoin(cases, eq(cases.id, caseMatchCandidates.candidateCaseId))
    .where(and(eq(caseMatchCandidates.caseId, row.id), eq(cases.areaId, options.actor.area.id)))
    .orderBy(desc(caseMatchCandidates.score))
    .then((rows) =>
      rows.map((r) => ({
        ...r,
        withinTwelveMonths: r.candidateReferralDate && row.referralDate ? isRepeat({ lastReferralDate: r.candidateReferralDate, newReferralDate: row.referralDate }) : false,
      })),
    );
}

/**
 * The coordinator confirms or rejects a possible earlier case. A confirmed
 * match within 12 months of the earlier referral makes this case a repeat.
 */
export async function decideMatch(options: { actor: CaseActor; caseId: string; candidateId: string; decision: "confirmed" | "rejected"; tx?: Db }) {
  if (!options.actor.permissions.has("list:compile")) throw new AppError("FORBIDDEN", "errors.forbidden");
  return inTransaction(options.tx, async (tx) => {
    const row = await loadCaseFor(tx, options.actor, options.caseId, { forUpdate: true });
    const [candidate] = await tx
      .select()
      .from(caseMatchCandidates)
      .where(and(eq(caseMatchCandidates.id, options.candidateId), eq(caseMatchCandidates.caseId, row.id)));
    if (!candidate) throw new AppError("NOT_FOUND", "errors.notFound");
    await tx
      .update(caseMatchCandidates)
      .set({ decision: options.decision, decidedBy: options.actor.actor.userId, decidedAt: new Date() })
      .where(eq(caseMatchCandidates.id, candidate.id));
    let repeat = false;
    if (options.decision === "confirmed" && candidate.candidateReferralDate && row.referralDate) {
      repeat = isRepeat({ lastReferralDate: candidate.candidateReferralDate, newReferralDate: row.referralDate });
    }
    if (options.decision === "confirmed") {
      // The most recent confirmed earlier case is the one the repeat links to.
      const confirmed = await tx
        .select({ id: caseMatchCandidates.candidateCaseId, date: caseMatchCandidates.candidateReferralDate })
        .from(caseMatchCandidates)
        .where(and(eq(caseMatchCandidates.caseId, row.id), eq(caseMatchCandidates.decision, "confirmed")))
        .orderBy(desc(caseMatchCandidates.candidateReferralDate));
      const latest = confirmed[0];
      const latestIsRepeat = latest?.date && row.referralDate ? isRepeat({ lastReferralDate: latest.date, newReferralDate: row.referralDate }) : false;
      await bumpCase(tx, row, { isRepeat: latestIsRepeat || row.isRepeat, repeatOfCaseId: latest?.id ?? row.repeatOfCaseId });
      repeat = latestIsRepeat;
    }
    await writeAudit(tx, options.actor.actor, {
      areaId: options.actor.area.id,
      action: `referral.match_${options.decision}`,
      entity: "case_match_candidates",
      entityId: candidate.id,
      caseId: row.id,
      detail: { candidateCaseId: candidate.candidateCaseId, repeat },
    });
    return { repeat };
  });
}

/** The coordinator accepts a referral (it goes onto the next meeting) or returns it with a reason. */
export async function decideReferral(options: {
  actor: CaseActor;
  caseId: string;
  version: number;
  decision: "accept" | "return";
  reason?: string;
  tx?: Db;
  /** Places an accepted case on a meeting; supplied by the meetings module. */
  placeOnMeeting?: (tx: Db, row: Case) => Promise<unknown>;
}) {
  if (!options.actor.permissions.has("list:compile")) throw new AppError("FORBIDDEN", "errors.forbidden");
  return inTransaction(options.tx, async (tx) => {
    const row = await loadCaseFor(tx, options.actor, options.caseId, { forUpdate: true });
    if (row.status !== "referred") throw new AppError("CONFLICT", "cases:referral.errors.alreadyDecided");
    assertVersion(row, options.version);
    if (options.decision === "return" && !options.reason?.trim()) throw new AppError("INVALID", "cases:review.errors.reasonRequired", { field: "reason" });
    const updated = await bumpCase(tx, row, {
      status: options.decision === "accept" ? "accepted" : "returned",
      returnedReason: options.decision === "return" ? options.reason!.trim() : "",
      decidedAt: new Date(),
      decidedBy: options.actor.actor.userId,
    });
    await writeAudit(tx, options.actor.actor, {
      areaId: options.actor.area.id,
      action: options.decision === "accept" ? "referral.accepted" : "referral.returned",
      entity: "cases",
      entityId: row.id,
      caseId: row.id,
    });
    if (options.decision === "accept" && options.placeOnMeeting) await options.placeOnMeeting(tx, updated);
    return updated;
  });
}

export type { DashAnswers };
