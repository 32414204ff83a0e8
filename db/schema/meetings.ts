import { date, index, integer, pgEnum, pgTable, text, timestamp, unique, uuid, boolean } from "drizzle-orm/pg-core";
import { areas } from "./areas";
import { cases } from "./cases";
import { createdAt, id, tstz, updatedAt, version } from "./columns";
import { users } from "./users";

export const meetingStatuses = ["planned", "verification", "circulated", "in_progress", "held", "minutes_circulated", "cancelled"] as const;
export type MeetingStatus = (typeof meetingStatuses)[number];
export const meetingStatusEnum = pgEnum("meeting_status", meetingStatuses);

export const meetingCaseOutcomes = ["discussed", "deferred", "withdrawn"] as const;
export const meetingCaseOutcomeEnum = pgEnum("meeting_case_outcome", meetingCaseOutcomes);

export const meetings = pgTable(
  "meetings",
  {
    id: id(),
    areaId: uuid()
      .notNull()
      .references(() => areas.id),
    startsAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    /** The date on the series' cadence; kept when a meeting is moved. */
    seriesDate: date({ mode: "string" }).notNull(),
    venue: text().notNull().default(""),
    chairUserId: uuid().references(() => users.id),
    status: meetingStatusEnum().notNull().default("planned"),
    cancelledReason: text().notNull().default(""),
    // Timetable, in working days from the meeting (recomputed when it moves).
    referralCutoff: date({ mode: "string" }).notNull(),
    verificationSent: date({ mode: "string" }).notNull(),
    verificationDue: date({ mode: "string" }).notNull(),
    circulation: date({ mode: "string" }).notNull(),
    researchDue: date({ mode: "string" }).notNull(),
    minutesDue: date({ mode: "string" }).notNull(),
    digestOn: date({ mode: "string" }).notNull(),
    onHoliday: boolean().notNull().default(false),
    verificationSentAt: tstz(),
    circulatedAt: tstz(),
    startedAt: tstz(),
    closedAt: tstz(),
    minutesCirculatedAt: tstz(),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique().on(t.areaId, t.seriesDate), index().on(t.areaId, t.startsAt)],
);

/** A case on a meeting's list (agenda). */
export const meetingCases = pgTable(
  "meeting_cases",
  {
    id: id(),
    meetingId: uuid()
      .notNull()
      .references(() => meetings.id),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    position: integer().notNull(),
    plannedMinutes: integer().notNull().default(12),
    isRepeat: boolean().notNull().default(false),
    /** Brought back from an earlier meeting for review of incomplete actions. */
    carriedFromMeetingId: uuid(),
    outcome: meetingCaseOutcomeEnum(),
    // Minutes, following the SafeLives chairing format.
    infoShared: text().notNull().default(""),
    risksVictim: text().notNull().default(""),
    risksChildren: text().notNull().default(""),
    risksOthers: text().notNull().default(""),
    risksStaff: text().notNull().default(""),
    safetyPlanning: text().notNull().default(""),
    crimesReported: text().notNull().default(""),
    decisions: text().notNull().default(""),
    version: version(),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.meetingId, t.caseId), index().on(t.caseId), index().on(t.meetingId, t.position)],
);

export type Meeting = typeof meetings.$inferSelect;
export type MeetingCase = typeof meetingCases.$inferSelect;
