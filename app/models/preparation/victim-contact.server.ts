import { and, asc, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { type Placeholders, statement } from "#db/statements";
import { casePeople, cases, meetingCases, meetings, safeContacts, users, victimContacts, victimViews } from "#db/schema";
import { londonToUtc, todayInLondon, utcToLondon } from "~/lib/london-time";
import { inTransaction, writeAudit } from "../audit.server";
import { assertVersion, type CaseActor } from "../cases/access.server";
import { initialsOf } from "../cases/references.server";
import { AppError } from "../errors.server";
import type { ContactState } from "./readiness.server";
import { isUuid } from "./shared.server";

const CONTACTABLE = ["accepted", "listed", "discussed"] as const;

const contactableCase = statement((db, p: Placeholders<{ id: string; areaId: string }>) =>
  db
    .select()
    .from(cases)
    .where(and(eq(cases.id, p.id), eq(cases.areaId, p.areaId), inArray(cases.status, [...CONTACTABLE]))),
);
const safeContactOf = statement((db, p: Placeholders<{ caseId: string }>) => db.select().from(safeContacts).where(eq(safeContacts.caseId, p.caseId)));
const contactsOf = statement((db, p: Placeholders<{ caseId: string }>) =>
  db
    .select({ contact: victimContacts, userName: users.name })
    .from(victimContacts)
    .innerJoin(users, eq(users.id, victimContacts.userId))
    .where(eq(victimContacts.caseId, p.caseId))
    .orderBy(desc(victimContacts.at)),
);
const viewsOf = statement((db, p: Placeholders<{ caseId: string }>) => db.select().from(victimViews).where(eq(victimViews.caseId, p.caseId)));

async function loadContactableCase(tx: Db, actor: CaseActor, caseId: string) {
  if (!isUuid(caseId)) throw new AppError("NOT_FOUND", "errors.notFound");
  const [row] = await contactableCase(tx, { id: caseId, areaId: actor.area.id });
  if (!row) throw new AppError("NOT_FOUND", "errors.notFound");
  return row;
}

/**
 * The victim's safe-contact rules, shown before any contact is logged. Only
 * IDVAs, the coordinator and the chair (safe_contact:read); the read is audited.
 */
export async function getContactRecord(options: { actor: CaseActor; caseId: string; tx?: Db }) {
  const { actor } = options;
  if (!actor.permissions.has("contact:read") || !actor.permissions.has("safe_contact:read")) throw new AppError("NOT_FOUND", "errors.notFound");
  return inTransaction(options.tx, async (tx) => {
    const row = await loadContactableCase(tx, actor, options.caseId);
    // Sent together: the transaction's connection runs them one after another without waiting between.
    const [[safe], contacts, [views]] = await Promise.all([safeContactOf(tx, { caseId: row.id }), contactsOf(tx, { caseId: row.id }), viewsOf(tx, { caseId: row.id })]);
    await writeAudit(tx, actor.actor, { areaId: actor.area.id, action: "contact.read", entity: "cases", entityId: row.id, caseId: row.id, detail: { contacts: contacts.length } });
    return { case: row, safeContact: safe ?? null, contacts, views: views ?? null };
  });
}

export interface ContactInput {
  at: Date;
  method: "phone" | "text" | "in_person" | "email" | "via_professional";
  outcome: "spoke" | "no_answer" | "unsafe_to_talk" | "declined" | "message_left";
  phase: "before" | "after";
  notes: string;
  feedbackGiven: boolean;
}

/** Log a contact attempt (IDVAs and the coordinator). Messages may not be left when the rules say so. */
export async function logVictimContact(options: { actor: CaseActor; caseId: string; contact: ContactInput; tx?: Db }) {
  const { actor, contact } = options;
  if (!actor.permissions.has("contact:log")) throw new AppError("FORBIDDEN", "errors.forbidden");
  if (contact.at.getTime() > Date.now() + 5 * 60_000) throw new AppError("INVALID", "cases:contact.errors.future", { field: "at" });
  if (contact.feedbackGiven && contact.phase !== "after") throw new AppError("INVALID", "cases:contact.errors.feedbackAfter", { field: "feedbackGiven" });
  return inTransaction(options.tx, async (tx) => {
    const row = await loadContactableCase(tx, actor, options.caseId);
    const [safe] = await tx.select().from(safeContacts).where(eq(safeContacts.caseId, row.id));
    if (safe?.noMessages && contact.outcome === "message_left") throw new AppError("INVALID", "cases:contact.errors.noMessages", { field: "outcome" });
    const [saved] = await tx
      .insert(victimContacts)
      .values({ ...contact, caseId: row.id, userId: actor.actor.userId!, agencyId: actor.agencyId })
      .returning();
    await writeAudit(tx, actor.actor, {
      areaId: actor.area.id,
      action: "contact.logged",
      entity: "victim_contacts",
      entityId: saved.id,
      caseId: row.id,
      detail: { method: contact.method, outcome: contact.outcome, phase: contact.phase, feedbackGiven: contact.feedbackGiven },
    });
    return saved;
  });
}

/** The victim's views and wishes for the meeting (one record per case, versioned). */
export async function saveVictimViews(options: { actor: CaseActor; caseId: string; version: number | null; views: string; tx?: Db }) {
  if (!options.actor.permissions.has("contact:log")) throw new AppError("FORBIDDEN", "errors.forbidden");
  return inTransaction(options.tx, async (tx) => {
    const row = await loadContactableCase(tx, options.actor, options.caseId);
    const [existing] = await tx.select().from(victimViews).where(eq(victimViews.caseId, row.id)).for("update");
    if (existing) assertVersion(existing, options.version ?? -1);
    else if (options.version !== null) throw new AppError("CONFLICT", "errors.stale");
    const [saved] = existing
      ? await tx.update(victimViews).set({ views: options.views, recordedBy: options.actor.actor.userId, version: existing.version + 1, updatedAt: new Date() }).where(eq(victimViews.caseId, row.id)).returning()
      : await tx.insert(victimViews).values({ caseId: row.id, views: options.views, recordedBy: options.actor.actor.userId }).returning();
    await writeAudit(tx, options.actor.actor, { areaId: options.actor.area.id, action: "contact.views_saved", entity: "victim_views", entityId: row.id, caseId: row.id });
    return saved;
  });
}

const UPCOMING = ["planned", "verification", "circulated", "in_progress"] as const;

/**
 * The IDVA's case list: every case on an upcoming meeting of the actor's area,
 * with the contact state before the meeting and whether views are recorded.
 * One query (subqueries for the contact state); the read is audited.
 */
export async function listContactCases(options: { actor: CaseActor; today?: string; tx?: Db }) {
  const { actor } = options;
  if (!actor.permissions.has("contact:read") || !actor.permissions.has("safe_contact:read")) throw new AppError("FORBIDDEN", "errors.forbidden");
  const today = options.today ?? todayInLondon();
  return inTransaction(options.tx, async (tx) => {
    const spoke = sql<boolean>`exists (select 1 from ${victimContacts} where ${victimContacts.caseId} = ${cases.id} and ${victimContacts.phase} = 'before' and ${victimContacts.outcome} = 'spoke')`;
    const attempted = sql<boolean>`exists (select 1 from ${victimContacts} where ${victimContacts.caseId} = ${cases.id} and ${victimContacts.phase} = 'before')`;
    const rows = await tx
      .select({
        meetingCaseId: meetingCases.id,
        caseId: cases.id,
        reference: cases.reference,
        meetingId: meetings.id,
        startsAt: meetings.startsAt,
        meetingStatus: meetings.status,
        firstName: casePeople.firstName,
        lastName: casePeople.lastName,
        spoke,
        attempted,
        views: victimViews.views,
      })
      .from(meetingCases)
      .innerJoin(meetings, eq(meetings.id, meetingCases.meetingId))
      .innerJoin(cases, and(eq(cases.id, meetingCases.caseId), eq(cases.areaId, actor.area.id)))
      .leftJoin(casePeople, and(eq(casePeople.caseId, cases.id), eq(casePeople.role, "victim")))
      .leftJoin(victimViews, eq(victimViews.caseId, cases.id))
      .where(and(eq(meetings.areaId, actor.area.id), inArray(meetings.status, [...UPCOMING]), gte(meetings.startsAt, londonToUtc(today, "00:00"))))
      .orderBy(asc(meetings.startsAt), asc(meetingCases.position));
    const list = rows.map((r) => ({
      meetingCaseId: r.meetingCaseId,
      caseId: r.caseId,
      reference: r.reference ?? "",
      meetingId: r.meetingId,
      meetingDate: utcToLondon(r.startsAt).date,
      meetingStatus: r.meetingStatus,
      victimInitials: initialsOf(r.firstName !== null ? { firstName: r.firstName, lastName: r.lastName ?? "" } : null),
      contact: (r.spoke ? "spoke" : r.attempted ? "attempted" : "none") as ContactState,
      viewsRecorded: Boolean(r.views?.trim()),
    }));
    await writeAudit(tx, actor.actor, { areaId: actor.area.id, action: "contact.list_read", entity: "cases", detail: { cases: list.length } });
    return list;
  });
}
