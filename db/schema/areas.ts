import { boolean, integer, pgEnum, pgTable, text, date } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt, version } from "./columns";

export const nations = ["england", "wales", "scotland", "northern_ireland"] as const;
export const nationEnum = pgEnum("nation", nations);

/** An area is one panel (e.g. a MARAC) with its own agencies, people and settings. */
export const areas = pgTable("areas", {
  id: id(),
  name: text().notNull(),
  code: text().notNull().unique(),
  nation: nationEnum().notNull().default("wales"),
  /** Days between meetings (14 = fortnightly). */
  cadenceDays: integer().notNull().default(14),
  /** First meeting of the series; later ones follow every cadenceDays. */
  firstMeetingOn: date({ mode: "string" }),
  meetingTime: text().notNull().default("10:00"),
  defaultVenue: text().notNull().default(""),
  // Timetable offsets in working days (DESIGN.md section 4).
  referralCutoffDays: integer().notNull().default(10),
  verificationSentDays: integer().notNull().default(8),
  verificationDueDays: integer().notNull().default(6),
  circulationDays: integer().notNull().default(5),
  researchDueDays: integer().notNull().default(1),
  minutesDueDaysAfter: integer().notNull().default(3),
  actionUpdatesDueDays: integer().notNull().default(2),
  digestDays: integer().notNull().default(7),
  confidentialityStatement: text().notNull().default(""),
  secureDomains: text().array().notNull().default([]),
  mfaRequired: boolean().notNull().default(false),
  retentionMonths: integer().notNull().default(72),
  version: version(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export type Area = typeof areas.$inferSelect;
