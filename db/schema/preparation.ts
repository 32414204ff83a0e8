import { boolean, index, jsonb, pgEnum, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { agencies } from "./agencies";
import { casePeople, cases } from "./cases";
import { createdAt, id, tstz, updatedAt, version } from "./columns";
import { meetingCases } from "./meetings";
import { users } from "./users";

/** Identity fields a verifier agency checks, and may correct, for each person on the list. */
export const IDENTITY_FIELDS = ["firstName", "lastName", "aliases", "dobs", "address", "nhsNumber"] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];
export type IdentityCorrections = Partial<Record<IdentityField, string>>;
export type FieldDecisions = Partial<Record<IdentityField, "accepted" | "rejected">>;

export const identityCheckStatuses = ["pending", "confirmed", "corrected", "not_known"] as const;
export type IdentityCheckStatus = (typeof identityCheckStatuses)[number];
export const identityCheckStatusEnum = pgEnum("identity_check_status", identityCheckStatuses);

/** One verifier agency's check of one person on one listed case. */
export const identityChecks = pgTable(
  "identity_checks",
  {
    id: id(),
    meetingCaseId: uuid()
      .notNull()
      .references(() => meetingCases.id),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id),
    personId: uuid()
      .notNull()
      .references(() => casePeople.id),
    status: identityCheckStatusEnum().notNull().default("pending"),
    /** Corrected values, field by field, as the agency entered them. */
    corrections: jsonb().$type<IdentityCorrections>().notNull().default({}),
    respondedBy: uuid().references(() => users.id),
    respondedAt: tstz(),
    /** The coordinator's decision on each corrected field. */
    decisions: jsonb().$type<FieldDecisions>().notNull().default({}),
    reviewedBy: uuid().references(() => users.id),
    reviewedAt: tstz(),
    version: version(),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.meetingCaseId, t.agencyId, t.personId), index().on(t.agencyId, t.status)],
);

/** Who changed which identity field of a person, when, from what to what. */
export const personFieldHistory = pgTable(
  "person_field_history",
  {
    id: id(),
    personId: uuid()
      .notNull()
      .references(() => casePeople.id),
    field: text().notNull(),
    oldValue: text().notNull(),
    newValue: text().notNull(),
    changedBy: uuid().references(() => users.id),
    identityCheckId: uuid().references(() => identityChecks.id),
    changedAt: createdAt(),
  },
  (t) => [index().on(t.personId)],
);

export const researchStatuses = ["draft", "submitted", "nothing_held"] as const;
export type ResearchStatus = (typeof researchStatuses)[number];
export const researchStatusEnum = pgEnum("research_status", researchStatuses);

export type ResearchFact = { date: string; text: string };

/** An agency's pre-meeting research on one listed case (SafeLives research guidance). */
export const researchReturns = pgTable(
  "research_returns",
  {
    id: id(),
    meetingCaseId: uuid()
      .notNull()
      .references(() => meetingCases.id),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id),
    status: researchStatusEnum().notNull().default("draft"),
    facts: jsonb().$type<ResearchFact[]>().notNull().default([]),
    opinion: text().notNull().default(""),
    actionsInPlace: text().notNull().default(""),
    suggestedActions: text().notNull().default(""),
    /** Information held but not shared: seen only by the submitting agency and the coordinator. */
    withheld: text().notNull().default(""),
    withheldReason: text().notNull().default(""),
    submittedBy: uuid().references(() => users.id),
    submittedAt: tstz(),
    late: boolean().notNull().default(false),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique().on(t.meetingCaseId, t.agencyId), index().on(t.agencyId, t.status)],
);

export const contactMethods = ["phone", "text", "in_person", "email", "via_professional"] as const;
export const contactMethodEnum = pgEnum("contact_method", contactMethods);
export const contactOutcomes = ["spoke", "no_answer", "unsafe_to_talk", "declined", "message_left"] as const;
export const contactOutcomeEnum = pgEnum("contact_outcome", contactOutcomes);
export const contactPhases = ["before", "after"] as const;
export const contactPhaseEnum = pgEnum("contact_phase", contactPhases);

/** An IDVA's (or the coordinator's) attempt to contact the victim. */
export const victimContacts = pgTable(
  "victim_contacts",
  {
    id: id(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    agencyId: uuid().references(() => agencies.id),
    at: tstz().notNull(),
    method: contactMethodEnum().notNull(),
    outcome: contactOutcomeEnum().notNull(),
    phase: contactPhaseEnum().notNull(),
    notes: text().notNull().default(""),
    /** After the meeting: the victim was told what the meeting agreed. */
    feedbackGiven: boolean().notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.caseId, t.at)],
);

/** The victim's views and wishes for the meeting, as the IDVA records them (one per case). */
export const victimViews = pgTable("victim_views", {
  caseId: uuid()
    .primaryKey()
    .references(() => cases.id),
  views: text().notNull().default(""),
  recordedBy: uuid().references(() => users.id),
  version: version(),
  updatedAt: updatedAt(),
});

export type IdentityCheck = typeof identityChecks.$inferSelect;
export type ResearchReturn = typeof researchReturns.$inferSelect;
export type VictimContact = typeof victimContacts.$inferSelect;
