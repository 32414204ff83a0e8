import { boolean, index, integer, pgEnum, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { agencies } from "./agencies";
import { areas } from "./areas";
import { createdAt, id, tstz } from "./columns";
import { meetings } from "./meetings";
import { users } from "./users";

export const outboxStatuses = ["queued", "sending", "sent", "failed"] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];
export const outboxStatusEnum = pgEnum("outbox_status", outboxStatuses);

export const outboxKinds = [
  "invitation",
  "password_reset",
  "digest",
  "action_reminder",
  "verification_requested",
  "list_circulated",
  "research_due",
  "minutes_circulated",
] as const;
export type OutboxKind = (typeof outboxKinds)[number];

/**
 * Every outgoing email, written in the same transaction as the event that causes
 * it and sent by the worker (DESIGN.md section 7). The idempotency key makes a
 * second attempt to queue the same email a no-op.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: id(),
    /** The area the email is about; null for account emails such as password resets. */
    areaId: uuid().references(() => areas.id),
    kind: text().$type<OutboxKind>().notNull(),
    to: text().notNull(),
    subject: text().notNull(),
    html: text().notNull(),
    text: text().notNull(),
    /** The full message went only to an accredited address; anyone else gets a notice. */
    accredited: boolean().notNull().default(false),
    /** The record the email is about (an action for reminders, a meeting for notices). */
    refId: uuid(),
    idempotencyKey: text().notNull().unique(),
    status: outboxStatusEnum().notNull().default("queued"),
    attempts: integer().notNull().default(0),
    nextAttemptAt: tstz().notNull().defaultNow(),
    /** Which worker holds the row while sending, and since when (a lease). */
    claimedBy: text(),
    claimedAt: tstz(),
    lastError: text(),
    messageId: text(),
    sentAt: tstz(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.status, t.nextAttemptAt), index().on(t.areaId, t.createdAt), index().on(t.kind, t.refId)],
);

/** One agency's fortnightly digest for one period (the digest date of the meeting it leads up to). */
export const digests = pgTable(
  "digests",
  {
    id: id(),
    areaId: uuid()
      .notNull()
      .references(() => areas.id),
    agencyId: uuid()
      .notNull()
      .references(() => agencies.id),
    meetingId: uuid().references(() => meetings.id),
    period: text().notNull(),
    outboxId: uuid()
      .notNull()
      .references(() => outbox.id),
    /** Null when the scheduler sent it. */
    sentBy: uuid().references(() => users.id),
    overdueCount: integer().notNull().default(0),
    dueCount: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.areaId, t.agencyId, t.period), index().on(t.areaId, t.createdAt)],
);

export type OutboxRow = typeof outbox.$inferSelect;
export type Digest = typeof digests.$inferSelect;
