import { boolean, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, real, text, unique, uuid } from "drizzle-orm/pg-core";
import { agencies } from "./agencies";
import { areas } from "./areas";
import { createdAt, id, tstz, updatedAt, version } from "./columns";
import { users } from "./users";

export const caseStatuses = ["draft", "referred", "returned", "accepted", "listed", "discussed", "closed"] as const;
export type CaseStatus = (typeof caseStatuses)[number];
export const caseStatusEnum = pgEnum("case_status", caseStatuses);

export const riskBands = ["standard", "medium", "high"] as const;
export type RiskBand = (typeof riskBands)[number];
export const riskBandEnum = pgEnum("risk_band", riskBands);

export const personRoles = ["victim", "perpetrator", "child", "other"] as const;
export type PersonRole = (typeof personRoles)[number];
export const personRoleEnum = pgEnum("person_role", personRoles);

export type DashAnswer = "yes" | "no" | "dont_know";
export type DashAnswers = Record<string, { answer: DashAnswer; source?: string }>;

/** A referral and, once accepted, the case it becomes. */
export const cases = pgTable(
  "cases",
  {
    id: id(),
    areaId: uuid()
      .notNull()
      .references(() => areas.id),
    /** Human reference, e.g. CDF-2026-0142; assigned when the referral is submitted. */
    reference: text().unique(),
    status: caseStatusEnum().notNull().default("draft"),
    referringAgencyId: uuid()
      .notNull()
      .references(() => agencies.id),
    referringUserId: uuid()
      .notNull()
      .references(() => users.id),
    referrerName: text().notNull().default(""),
    referrerPhone: text().notNull().default(""),
    referrerEmail: text().notNull().default(""),
    referralDate: date({ mode: "string" }),
    // Referral criteria (SafeLives).
    criteriaVisibleHighRisk: boolean().notNull().default(false),
    criteriaProfessionalJudgement: boolean().notNull().default(false),
    professionalJudgementRationale: text().notNull().default(""),
    criteriaEscalation: boolean().notNull().default(false),
    escalationIncidentCount: integer(),
    criteriaRepeat: boolean().notNull().default(false),
    // DASH risk checklist.
    dashAnswers: jsonb().$type<DashAnswers>().notNull().default({}),
    dashFears: text().notNull().default(""),
    dashScore: integer(),
    dashBand: riskBandEnum(),
    /** DASH band raised (never lowered) by professional judgement. */
    riskLevel: riskBandEnum(),
    // Awareness and consent.
    victimAware: boolean(),
    victimNotAwareReason: text().notNull().default(""),
    consentGiven: boolean(),
    noConsentLawfulBasis: text().notNull().default(""),
    whoVictimFears: text().notNull().default(""),
    safeToTalkTo: text().notNull().default(""),
    notSafeToTalkTo: text().notNull().default(""),
    victimWants: text().notNull().default(""),
    previousMaracElsewhere: boolean(),
    previousMaracDetails: text().notNull().default(""),
    // Repeats.
    isRepeat: boolean().notNull().default(false),
    repeatOfCaseId: uuid(),
    restricted: boolean().notNull().default(false),
    returnedReason: text().notNull().default(""),
    submittedAt: tstz(),
    decidedAt: tstz(),
    decidedBy: uuid().references(() => users.id),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index().on(t.areaId, t.status, t.submittedAt),
    index().on(t.referringAgencyId, t.status),
    index().on(t.repeatOfCaseId),
  ],
);

/** People on a case. Name and phonetic keys let repeat detection pre-filter by index. */
export const casePeople = pgTable(
  "case_people",
  {
    id: id(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    /** Copied from the case so matching can filter by area with an index. */
    areaId: uuid()
      .notNull()
      .references(() => areas.id),
    role: personRoleEnum().notNull(),
    position: integer().notNull().default(0),
    firstName: text().notNull().default(""),
    lastName: text().notNull().default(""),
    aliases: text().array().notNull().default([]),
    /** ISO dates; a person may have more than one recorded date of birth. */
    dobs: text().array().notNull().default([]),
    gender: text().notNull().default(""),
    address: text().notNull().default(""),
    confidentialAddress: boolean().notNull().default(false),
    phone: text().notNull().default(""),
    safeToCall: boolean(),
    contactNotes: text().notNull().default(""),
    language: text().notNull().default(""),
    interpreterNeeded: boolean(),
    pregnant: boolean(),
    nhsNumber: text().notNull().default(""),
    relationshipToVictim: text().notNull().default(""),
    relationshipToPerpetrator: text().notNull().default(""),
    school: text().notNull().default(""),
    ethnicity: text().notNull().default(""),
    disability: text().notNull().default(""),
    sexualOrientation: text().notNull().default(""),
    genderIdentity: text().notNull().default(""),
    age: integer(),
    nameKeys: text().array().notNull().default([]),
    phoneticKeys: text().array().notNull().default([]),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index().on(t.caseId),
    index("case_people_phonetic_keys_idx").using("gin", t.phoneticKeys),
    index("case_people_dobs_idx").using("gin", t.dobs),
    index().on(t.areaId, t.role),
  ],
);

/** Safe-contact rules for the victim: visible only to IDVAs, the coordinator and the chair. */
export const safeContacts = pgTable("safe_contacts", {
  caseId: uuid()
    .primaryKey()
    .references(() => cases.id),
  safeNumber: text().notNull().default(""),
  safeTimes: text().notNull().default(""),
  noMessages: boolean().notNull().default(false),
  mustNotKnow: text().notNull().default(""),
  notes: text().notNull().default(""),
  version: version(),
  updatedAt: updatedAt(),
});

export const matchDecisions = ["pending", "confirmed", "rejected"] as const;
export const matchDecisionEnum = pgEnum("match_decision", matchDecisions);

/** Earlier cases that may be the same victim, found on submission, for the coordinator to decide. */
export const caseMatchCandidates = pgTable(
  "case_match_candidates",
  {
    id: id(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    candidateCaseId: uuid()
      .notNull()
      .references(() => cases.id),
    score: real().notNull(),
    reasons: text().array().notNull().default([]),
    /** The earlier case's referral date, for the 12-month repeat rule. */
    candidateReferralDate: date({ mode: "string" }),
    decision: matchDecisionEnum().notNull().default("pending"),
    decidedBy: uuid().references(() => users.id),
    decidedAt: tstz(),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.caseId, t.candidateCaseId)],
);

/** Per-area, per-year counter behind case references. */
export const caseSequences = pgTable(
  "case_sequences",
  {
    areaId: uuid()
      .notNull()
      .references(() => areas.id),
    year: integer().notNull(),
    last: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.areaId, t.year] })],
);

export type Case = typeof cases.$inferSelect;
export type CasePerson = typeof casePeople.$inferSelect;
