import { bigint, boolean, index, integer, pgEnum, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { agencies } from "./agencies";
import { areas } from "./areas";
import { createdAt, id, tstz, version } from "./columns";

export const roles = ["admin", "coordinator", "chair", "agency_rep", "idva"] as const;
export type Role = (typeof roles)[number];
export const roleEnum = pgEnum("role", roles);

export const users = pgTable("users", {
  id: id(),
  /** Stored lower-cased; unique across the deployment. */
  email: text().notNull().unique(),
  name: text().notNull(),
  passwordHash: text(),
  disabled: boolean().notNull().default(false),
  failedSignIns: integer().notNull().default(0),
  lockedUntil: tstz(),
  /** TOTP key, AES-256-GCM encrypted with the app's secret. */
  totpKeyEncrypted: text(),
  totpEnabledAt: tstz(),
  /** The last TOTP time step accepted, so a code cannot be used twice. */
  totpLastStep: bigint({ mode: "number" }),
  lastSignInAt: tstz(),
  version: version(),
  createdAt: createdAt(),
});

export const memberships = pgTable(
  "memberships",
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    areaId: uuid()
      .notNull()
      .references(() => areas.id),
    agencyId: uuid().references(() => agencies.id),
    role: roleEnum().notNull(),
    active: boolean().notNull().default(true),
    version: version(),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.userId, t.areaId, t.role), index().on(t.areaId), index().on(t.agencyId)],
);

export const sessions = pgTable(
  "sessions",
  {
    /** SHA-256 (hex) of the token held in the cookie; the token itself is never stored. */
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    expiresAt: tstz().notNull(),
    lastSeenAt: tstz().notNull().defaultNow(),
    twoFactorVerified: boolean().notNull().default(false),
    currentAreaId: uuid().references(() => areas.id),
    ip: text(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.userId)],
);

export const mfaRecoveryCodes = pgTable(
  "mfa_recovery_codes",
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    codeHash: text().notNull(),
    usedAt: tstz(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.userId)],
);

export const passwordResets = pgTable(
  "password_resets",
  {
    /** SHA-256 (hex) of the emailed token. */
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    expiresAt: tstz().notNull(),
    usedAt: tstz(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.userId)],
);

export const invitations = pgTable(
  "invitations",
  {
    id: id(),
    tokenHash: text().notNull().unique(),
    areaId: uuid()
      .notNull()
      .references(() => areas.id),
    agencyId: uuid().references(() => agencies.id),
    role: roleEnum().notNull(),
    email: text().notNull(),
    name: text().notNull(),
    invitedBy: uuid().references(() => users.id),
    expiresAt: tstz().notNull(),
    acceptedAt: tstz(),
    revokedAt: tstz(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.areaId)],
);

/** Fixed-window counters shared by every app instance (sign-in, reset). */
export const rateLimits = pgTable("rate_limits", {
  key: text().primaryKey(),
  windowStart: tstz().notNull(),
  count: integer().notNull(),
});

export type User = typeof users.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
