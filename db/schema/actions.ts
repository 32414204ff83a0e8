import { sql } from "drizzle-orm";
import { boolean, date, index, integer, pgEnum, pgTable, primaryKey, text, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { agencies } from "./agencies";
import { createdAt, id, tstz, updatedAt, version } from "./columns";
import { meetingCases, meetings } from "./meetings";
import { users } from "./users";

export const attendanceStatuses = ["present", "apologies", "absent"] as const;
export const attendanceStatusEnum = pgEnum("attendance_status", attendanceStatuses);

/** An agency's attendance at a meeting (or an observer, with no agency). */
export const attendance = pgTable(
  "attendance",
  {
    id: id(),
    meetingId: uuid()
      .notNull()
      .references(() => meetings.id),
    agencyId: uuid().references(() => agencies.id),
    personName: text().notNull().default(""),
    /** Observers attend without an agency; they name their organisation. */
    observerOrganisation: text().notNull().default(""),
    status: attendanceStatusEnum().notNull(),
    infoSent: boolean().notNull().default(false),
    confidentialityConfirmedAt: tstz(),
    version: version(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.meetingId)],
);

export const actionPriorities = ["low", "medium", "high"] as const;
export const actionPriorityEnum = pgEnum("action_priority", actionPriorities);
export const actionStatuses = ["open", "in_progress", "completed", "not_completed"] as const;
export type ActionStatus = (typeof actionStatuses)[number];
export const actionStatusEnum = pgEnum("action_status", actionStatuses);
export const notCompletedReasons = ["circumstances_changed", "not_undertaken"] as const;
export const notCompletedReasonEnum = pgEnum("not_completed_reason", notCompletedReasons);

/**
 * How long an action stays on its agency's working list: for good while it is open or in
 * progress, and otherwise from when it was last changed (closed), so "incomplete or changed
 * since D" is the one range `workingUntil >= D`. The list's condition and its index share this
 * expression; PostgreSQL uses the index only for the same expression.
 */
export function workingUntil(t: { status: AnyPgColumn; updatedAt: AnyPgColumn }) {
  return sql`(case when ${t.status} in ('open', 'in_progress') then 'infinity'::timestamptz else ${t.updatedAt} end)`;
}

/** One action of the multi-agency action plan. */
export const actions = pgTable(
  "actions",
  {
    id: id(),
    meetingCaseId: uuid()
      .notNull()
      .references(() => meetingCases.id),
    /** Denormalised for the tracker's filters. */
    meetingId: uuid()
      .notNull()
      .references(() => meetings.id),
    caseId: uuid().notNull(),
    areaId: uuid().notNull(),
    description: text().notNull(),
    ownerAgencyId: uuid()
      .notNull()
      .references(() => agencies.id),
    ownerUserId: uuid().references(() => users.id),
    ownerName: text().notNull().default(""),
    dueOn: date({ mode: "string" }).notNull(),
    priority: actionPriorityEnum().notNull().default("medium"),
    status: actionStatusEnum().notNull().default("open"),
    notCompletedReason: notCompletedReasonEnum(),
    note: text().notNull().default(""),
    completedOn: date({ mode: "string" }),
    /** How many later meetings this action has been carried to while incomplete. */
    carriedCount: integer().notNull().default(0),
    createdBy: uuid().references(() => users.id),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index().on(t.areaId, t.status, t.dueOn),
    // An agency's actions (every query that names the owner also names the panel). Holding the
    // status and both dates, it counts the tracker's actions by agency, and the digests' open and
    // recently completed ones, from the index alone (docs/performance.md, finding 28).
    index("actions_by_agency_index").on(t.areaId, t.ownerAgencyId, t.status, t.dueOn, t.completedOn),
    // An agency's working list: its incomplete actions and those closed lately, as one range of
    // one index, so that the list's prepared (generic) plan reads only them (finding 28).
    index("actions_working_list_index").on(t.areaId, t.ownerAgencyId, workingUntil(t)),
    index().on(t.meetingCaseId),
    index().on(t.caseId),
    // The minutes (PDF and page) read a meeting's actions: without it, a scan of every action in the country.
    index().on(t.meetingId),
  ],
);

/**
 * How many actions each agency of a panel has in each status, kept by a trigger on `actions` in
 * the same transaction as every insert, delete and change of panel, owner or status (migration
 * 0010). The tracker's and the panel home's counts by agency read these few rows instead of
 * counting the panel's whole history (docs/performance.md, finding 36). `rebuildActionTotals()`
 * in db/action-totals.ts recounts them from `actions` (after a bulk load that bypassed
 * triggers).
 */
export const actionTotals = pgTable(
  "action_totals",
  {
    areaId: uuid().notNull(),
    ownerAgencyId: uuid().notNull(),
    status: actionStatusEnum().notNull(),
    total: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.areaId, t.ownerAgencyId, t.status] })],
);

/** Every change to an action: who, when, from what to what. */
export const actionUpdates = pgTable(
  "action_updates",
  {
    id: id(),
    actionId: uuid()
      .notNull()
      .references(() => actions.id),
    userId: uuid().references(() => users.id),
    fromStatus: actionStatusEnum(),
    toStatus: actionStatusEnum().notNull(),
    note: text().notNull().default(""),
    changes: text().array().notNull().default([]),
    at: createdAt(),
  },
  (t) => [index().on(t.actionId)],
);

export type Action = typeof actions.$inferSelect;
export type Attendance = typeof attendance.$inferSelect;
