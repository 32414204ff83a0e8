import { and, asc, eq, inArray, ne } from "drizzle-orm";
import type { Db } from "#db/client";
import { getDb } from "#db/client";
import {
  agencies,
  casePeople,
  cases,
  identityChecks,
  IDENTITY_FIELDS,
  meetingCases,
  meetings,
  personFieldHistory,
  type CasePerson,
  type IdentityCorrections,
  type IdentityField,
} from "#db/schema";
import { parseDob } from "~/lib/person-matching";
import { todayInLondon } from "~/lib/london-time";
import { inTransaction, writeAudit } from "../audit.server";
import { assertVersion, type CaseActor } from "../cases/access.server";
import { notifyVerificationRequested } from "../mail/notifications.server";
import { matchingKeys } from "../cases/keys";
import { initialsOf } from "../cases/references.server";
import { AppError } from "../errors.server";
import { attendingAgencies, isPastDeadline, isUuid } from "./shared.server";

/** Identity fields as text, the form the verifier sees and corrects (lists one per line). */
export function identityValues(person: CasePerson, options: { showConfidentialAddress: boolean }): Record<IdentityField, string> {
  return {
    firstName: person.firstName,
    lastName: person.lastName,
    aliases: person.aliases.join("\n"),
    dobs: person.dobs.join("\n"),
    address: person.confidentialAddress && !options.showConfidentialAddress ? "" : person.address,
    nhsNumber: person.nhsNumber,
  };
}

function requireCompiler(actor: CaseActor) {
  if (!actor.permissions.has("list:compile")) throw new AppError("FORBIDDEN", "errors.forbidden");
}

/**
 * Send the list for verification: each verifier agency gets a check for every
 * person on every listed case. Idempotent for checks already created.
 */
export async function sendListForVerification(options: { actor: CaseActor; meetingId: string; version: number; tx?: Db }) {
  requireCompiler(options.actor);
  if (!isUuid(options.meetingId)) throw new AppError("NOT_FOUND", "errors.notFound");
  return inTransaction(options.tx, async (tx) => {
    const [meeting] = await tx
      .select()
      .from(meetings)
      .where(and(eq(meetings.id, options.meetingId), eq(meetings.areaId, options.actor.area.id)))
      .for("update");
    if (!meeting) throw new AppError("NOT_FOUND", "errors.notFound");
    assertVersion(meeting, options.version);
    if (meeting.status !== "planned" && meeting.status !== "verification") throw new AppError("CONFLICT", "cases:verification.errors.notOpen");
    const verifiers = (await attendingAgencies(tx, meeting.areaId)).filter((a) => a.isVerifier);
    if (verifiers.length === 0) throw new AppError("CONFLICT", "cases:verification.errors.noVerifiers");
    const people = await tx
      .select({ mcId: meetingCases.id, personId: casePeople.id })
      .from(meetingCases)
      .innerJoin(casePeople, eq(casePeople.caseId, meetingCases.caseId))
      .where(eq(meetingCases.meetingId, meeting.id));
    const values = people.flatMap((p) => verifiers.map((v) => ({ meetingCaseId: p.mcId, agencyId: v.id, personId: p.personId })));
    const created = values.length ? await tx.insert(identityChecks).values(values).onConflictDoNothing().returning({ id: identityChecks.id }) : [];
    const [updated] = await tx
      .update(meetings)
      .set({ status: "verification", verificationSentAt: meeting.verificationSentAt ?? new Date(), version: meeting.version + 1, updatedAt: new Date() })
      .where(eq(meetings.id, meeting.id))
      .returning();
    await writeAudit(tx, options.actor.actor, {
      areaId: options.actor.area.id,
      action: "verification.sent",
      entity: "meetings",
      entityId: meeting.id,
      detail: { checks: created.length, agencies: verifiers.map((v) => v.id) },
    });
    await notifyVerificationRequested(tx, updated);
    return { meeting: updated, checks: created.length, verifierAgencyIds: verifiers.map((v) => v.id) };
  });
}

/** The acting agency's verification tasks, grouped by listed case, with due dates. */
export async function listVerificationTasks(options: { actor: CaseActor; today?: string; tx?: Db }) {
  const { actor } = options;
  if (!actor.permissions.has("identity:verify") || !actor.agencyId) return [];
  const db = options.tx ?? getDb();
  const today = options.today ?? todayInLondon();
  const rows = await db
    .select({
      checkId: identityChecks.id,
      status: identityChecks.status,
      meetingCaseId: meetingCases.id,
      reference: cases.reference,
      role: casePeople.role,
      firstName: casePeople.firstName,
      lastName: casePeople.lastName,
      due: meetings.verificationDue,
      meetingId: meetings.id,
      meetingDate: meetings.seriesDate,
      position: meetingCases.position,
    })
    .from(identityChecks)
    .innerJoin(meetingCases, eq(meetingCases.id, identityChecks.meetingCaseId))
    .innerJoin(meetings, eq(meetings.id, meetingCases.meetingId))
    .innerJoin(cases, eq(cases.id, meetingCases.caseId))
    .innerJoin(casePeople, eq(casePeople.id, identityChecks.personId))
    .where(and(eq(identityChecks.agencyId, actor.agencyId), eq(meetings.areaId, actor.area.id), inArray(meetings.status, ["verification", "circulated"])))
    .orderBy(asc(meetings.startsAt), asc(meetingCases.position), asc(casePeople.role));
  return rows.map((r) => ({
    checkId: r.checkId,
    status: r.status,
    meetingCaseId: r.meetingCaseId,
    meetingId: r.meetingId,
    meetingDate: r.meetingDate,
    reference: r.reference ?? "",
    role: r.role,
    initials: initialsOf(r),
    due: r.due,
    overdue: r.status === "pending" && isPastDeadline(r.due, today),
  }));
}

async function loadOwnCheck(tx: Db, actor: CaseActor, checkId: string, forUpdate = false) {
  if (!isUuid(checkId) || !actor.agencyId || !actor.permissions.has("identity:verify")) throw new AppError("NOT_FOUND", "errors.notFound");
  const q = tx
    .select({ check: identityChecks, person: casePeople, reference: cases.reference, meetingStatus: meetings.status, due: meetings.verificationDue })
    .from(identityChecks)
    .innerJoin(casePeople, eq(casePeople.id, identityChecks.personId))
    .innerJoin(meetingCases, eq(meetingCases.id, identityChecks.meetingCaseId))
    .innerJoin(meetings, eq(meetings.id, meetingCases.meetingId))
    .innerJoin(cases, eq(cases.id, meetingCases.caseId))
    .where(and(eq(identityChecks.id, checkId), eq(identityChecks.agencyId, actor.agencyId), eq(meetings.areaId, actor.area.id)));
  const [row] = forUpdate ? await q.for("update", { of: identityChecks }) : await q;
  if (!row) throw new AppError("NOT_FOUND", "errors.notFound");
  return row;
}

/** One check for the verifier: only the identity fields of that person. The read is audited. */
export async function getIdentityCheck(options: { actor: CaseActor; checkId: string; tx?: Db }) {
  return inTransaction(options.tx, async (tx) => {
    const row = await loadOwnCheck(tx, options.actor, options.checkId);
    await writeAudit(tx, options.actor.actor, {
      areaId: options.actor.area.id,
      action: "verification.read",
      entity: "identity_checks",
      entityId: row.check.id,
      caseId: row.person.caseId,
    });
    return {
      check: row.check,
      reference: row.reference ?? "",
      role: row.person.role,
      due: row.due,
      addressConfidential: row.person.confidentialAddress,
      values: identityValues(row.person, { showConfidentialAddress: false }),
    };
  });
}

/** Normalise a corrected value; dates of birth must parse (UK formats allowed). */
function normaliseCorrection(field: IdentityField, value: string): string {
  const trimmed = value.trim();
  if (field === "dobs") {
    const lines = trimmed.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    const parsed = lines.map((l) => parseDob(l));
    if (parsed.some((p) => p === null)) throw new AppError("INVALID", "cases:verification.errors.dob", { field: "dobs" });
    return parsed.join("\n");
  }
  if (field === "aliases") return trimmed.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).join("\n");
  return trimmed;
}

/** The verifier answers: confirmed, corrected (with the changed fields) or not known to us. */
export async function respondToIdentityCheck(options: {
  actor: CaseActor;
  checkId: string;
  version: number;
  status: "confirmed" | "corrected" | "not_known";
  corrections?: IdentityCorrections;
  tx?: Db;
}) {
  return inTransaction(options.tx, async (tx) => {
    const row = await loadOwnCheck(tx, options.actor, options.checkId, true);
    assertVersion(row.check, options.version);
    if (row.meetingStatus !== "verification" && row.meetingStatus !== "circulated") throw new AppError("CONFLICT", "cases:verification.errors.closed");
    let corrections: IdentityCorrections = {};
    if (options.status === "corrected") {
      const current = identityValues(row.person, { showConfidentialAddress: false });
      for (const field of IDENTITY_FIELDS) {
        const proposed = options.corrections?.[field];
        if (proposed === undefined) continue;
        const value = normaliseCorrection(field, proposed);
        if (value !== current[field]) corrections[field] = value;
      }
      if (Object.keys(corrections).length === 0) throw new AppError("INVALID", "cases:verification.errors.noChange");
    }
    const [updated] = await tx
      .update(identityChecks)
      .set({ status: options.status, corrections, decisions: {}, respondedBy: options.actor.actor.userId, respondedAt: new Date(), version: row.check.version + 1 })
      .where(eq(identityChecks.id, row.check.id))
      .returning();
    await writeAudit(tx, options.actor.actor, {
      areaId: options.actor.area.id,
      action: "verification.responded",
      entity: "identity_checks",
      entityId: row.check.id,
      caseId: row.person.caseId,
      detail: { status: options.status, fields: Object.keys(corrections) },
    });
    return updated;
  });
}

/**
 * Corrections for the coordinator, side by side with the current values.
 * Two agencies proposing different values for the same field are a conflict.
 */
export async function listCorrectionsForReview(options: { actor: CaseActor; meetingId: string; tx?: Db }) {
  requireCompiler(options.actor);
  if (!isUuid(options.meetingId)) throw new AppError("NOT_FOUND", "errors.notFound");
  return inTransaction(options.tx, async (tx) => {
    const rows = await tx
      .select({ check: identityChecks, person: casePeople, agency: agencies.name, reference: cases.reference, position: meetingCases.position })
      .from(identityChecks)
      .innerJoin(meetingCases, eq(meetingCases.id, identityChecks.meetingCaseId))
      .innerJoin(meetings, eq(meetings.id, meetingCases.meetingId))
      .innerJoin(cases, eq(cases.id, meetingCases.caseId))
      .innerJoin(casePeople, eq(casePeople.id, identityChecks.personId))
      .innerJoin(agencies, eq(agencies.id, identityChecks.agencyId))
      .where(and(eq(meetings.id, options.meetingId), eq(meetings.areaId, options.actor.area.id), eq(identityChecks.status, "corrected")))
      .orderBy(asc(meetingCases.position), asc(casePeople.role), asc(agencies.name));
    const proposals = new Map<string, Set<string>>();
    for (const r of rows) {
      for (const [field, value] of Object.entries(r.check.corrections)) {
        if (r.check.decisions[field as IdentityField]) continue;
        const key = `${r.person.id}:${field}`;
        proposals.set(key, (proposals.get(key) ?? new Set()).add(value ?? ""));
      }
    }
    await writeAudit(tx, options.actor.actor, { areaId: options.actor.area.id, action: "verification.review_read", entity: "meetings", entityId: options.meetingId, detail: { corrections: rows.length } });
    return rows.map((r) => {
      const current = identityValues(r.person, { showConfidentialAddress: true });
      return {
        checkId: r.check.id,
        version: r.check.version,
        reference: r.reference ?? "",
        role: r.person.role,
        agency: r.agency,
        fields: Object.entries(r.check.corrections).map(([field, proposed]) => ({
          field: field as IdentityField,
          current: current[field as IdentityField],
          proposed: proposed ?? "",
          decision: r.check.decisions[field as IdentityField] ?? null,
          conflict: (proposals.get(`${r.person.id}:${field}`)?.size ?? 0) > 1,
        })),
      };
    });
  });
}

function applyField(person: CasePerson, field: IdentityField, value: string): Partial<CasePerson> {
  if (field === "aliases") return { aliases: value.split("\n").filter(Boolean) };
  if (field === "dobs") return { dobs: value.split("\n").filter(Boolean) };
  return { [field]: value } as Partial<CasePerson>;
}

/**
 * Accept or reject one corrected field. Accepting updates the person, keeps the
 * history (who, when, old → new) and rejects other agencies' different proposals.
 */
export async function decideCorrection(options: {
  actor: CaseActor;
  checkId: string;
  version: number;
  field: IdentityField;
  decision: "accepted" | "rejected";
  tx?: Db;
}) {
  requireCompiler(options.actor);
  if (!isUuid(options.checkId) || !(IDENTITY_FIELDS as readonly string[]).includes(options.field)) throw new AppError("NOT_FOUND", "errors.notFound");
  return inTransaction(options.tx, async (tx) => {
    const [row] = await tx
      .select({ check: identityChecks, person: casePeople })
      .from(identityChecks)
      .innerJoin(casePeople, eq(casePeople.id, identityChecks.personId))
      .innerJoin(meetingCases, eq(meetingCases.id, identityChecks.meetingCaseId))
      .innerJoin(meetings, eq(meetings.id, meetingCases.meetingId))
      .where(and(eq(identityChecks.id, options.checkId), eq(meetings.areaId, options.actor.area.id)))
      .for("update", { of: identityChecks });
    if (!row) throw new AppError("NOT_FOUND", "errors.notFound");
    assertVersion(row.check, options.version);
    const proposed = row.check.corrections[options.field];
    if (proposed === undefined) throw new AppError("NOT_FOUND", "errors.notFound");
    if (row.check.decisions[options.field]) throw new AppError("CONFLICT", "cases:verification.errors.alreadyDecided");
    await tx
      .update(identityChecks)
      .set({ decisions: { ...row.check.decisions, [options.field]: options.decision }, reviewedBy: options.actor.actor.userId, reviewedAt: new Date(), version: row.check.version + 1 })
      .where(eq(identityChecks.id, row.check.id));
    if (options.decision === "accepted") {
      const [person] = await tx.select().from(casePeople).where(eq(casePeople.id, row.person.id)).for("update");
      const oldValue = identityValues(person, { showConfidentialAddress: true })[options.field];
      const changes = applyField(person, options.field, proposed);
      const merged = { ...person, ...changes };
      await tx
        .update(casePeople)
        .set({ ...changes, ...matchingKeys(merged), version: person.version + 1, updatedAt: new Date() })
        .where(eq(casePeople.id, person.id));
      await tx.insert(personFieldHistory).values({ personId: person.id, field: options.field, oldValue, newValue: proposed, changedBy: options.actor.actor.userId, identityCheckId: row.check.id });
      // Other agencies' different proposals for the same field are settled by this decision.
      const others = await tx
        .select()
        .from(identityChecks)
        .where(and(eq(identityChecks.personId, person.id), eq(identityChecks.meetingCaseId, row.check.meetingCaseId), ne(identityChecks.id, row.check.id)))
        .for("update");
      for (const other of others) {
        const value = other.corrections[options.field];
        if (value === undefined || other.decisions[options.field]) continue;
        await tx
          .update(identityChecks)
          .set({ decisions: { ...other.decisions, [options.field]: value === proposed ? "accepted" : "rejected" }, reviewedBy: options.actor.actor.userId, reviewedAt: new Date(), version: other.version + 1 })
          .where(eq(identityChecks.id, other.id));
      }
    }
    await writeAudit(tx, options.actor.actor, {
      areaId: options.actor.area.id,
      action: `verification.correction_${options.decision}`,
      entity: "identity_checks",
      entityId: row.check.id,
      caseId: row.person.caseId,
      detail: { field: options.field, personId: row.person.id },
    });
  });
}

/** The change history of a person's identity fields (for the coordinator and chair). */
export async function listPersonHistory(options: { actor: CaseActor; personId: string; tx?: Db }) {
  if (!options.actor.permissions.has("case:read") || !isUuid(options.personId)) throw new AppError("NOT_FOUND", "errors.notFound");
  const db = options.tx ?? getDb();
  return db
    .select({ field: personFieldHistory.field, oldValue: personFieldHistory.oldValue, newValue: personFieldHistory.newValue, changedAt: personFieldHistory.changedAt, changedBy: personFieldHistory.changedBy })
    .from(personFieldHistory)
    .innerJoin(casePeople, eq(casePeople.id, personFieldHistory.personId))
    .where(and(eq(personFieldHistory.personId, options.personId), eq(casePeople.areaId, options.actor.area.id)))
    .orderBy(asc(personFieldHistory.changedAt));
}
