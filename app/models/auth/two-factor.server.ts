import { createTOTPKeyURI, generateHOTP } from "@oslojs/otp";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { and, count, eq, isNull } from "drizzle-orm";
import type { Db } from "#db/client";
import { getDb } from "#db/client";
import { areas, memberships, mfaRecoveryCodes, users, type User } from "#db/schema";
import { getEnv } from "~/env.server";
import { decrypt, encrypt, hashToken } from "~/lib/crypto.server";
import { inTransaction, writeAudit, type Actor } from "../audit.server";
import { AppError } from "../errors.server";
import { activeLock, clearFailedAttempts, recordFailedAttempt } from "./lockout.server";
import { consumeRateLimit } from "./rate-limit.server";
import { markSessionTwoFactorVerified } from "./sessions.server";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_ISSUER = "Panel";
export const RECOVERY_CODE_COUNT = 10;
/** How long the key shown on the set-up page stays usable. */
const PENDING_KEY_MAX_AGE_MS = 30 * 60 * 1000;
// No 0/o or 1/l: codes are read off paper and typed by hand.
const RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

// ---------------------------------------------------------------- pure helpers

/** A single-use recovery code, e.g. "k7qm-2xhd-9tvw" (60 random bits). */
export function generateRecoveryCode(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  // 256 is a multiple of 32, so taking each byte modulo 32 is unbiased.
  const chars = Array.from(bytes, (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join("");
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

export function generateRecoveryCodes(n = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < n) codes.add(generateRecoveryCode());
  return [...codes];
}

/** What a typed recovery code is compared as: lower case, without spaces or hyphens. */
export function normaliseRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, "");
}

export function hashRecoveryCode(code: string): string {
  return hashToken(normaliseRecoveryCode(code));
}

/** The key as people type it into an authenticator app: base32 in groups of four. */
export function formatKeyForManualEntry(key: Uint8Array): string {
  return encodeBase32UpperCaseNoPadding(key).match(/.{1,4}/g)!.join(" ");
}

export function totpStep(now = Date.now()): number {
  return Math.floor(now / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * The time step a code belongs to, allowing one step of clock drift either
 * way, or null when it matches none of them.
 */
export function matchTotpStep(key: Uint8Array, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const typed = new TextEncoder().encode(code);
  const current = totpStep(now);
  let matched: number | null = null;
  // Check every candidate so the time taken does not depend on which matched.
  for (const step of [current - 1, current, current + 1]) {
    const expected = new TextEncoder().encode(generateHOTP(key, BigInt(step), TOTP_DIGITS));
    if (constantTimeEqual(typed, expected)) matched = step;
  }
  return matched;
}

export interface EnrolmentDetails {
  /** otpauth:// URI for the QR code. */
  uri: string;
  /** The key for typing in by hand. */
  keyText: string;
}

export function enrolmentDetails(key: Uint8Array, accountName: string): EnrolmentDetails {
  return {
    uri: createTOTPKeyURI(TOTP_ISSUER, accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS),
    keyText: formatKeyForManualEntry(key),
  };
}

/**
 * The key offered on the set-up page travels in a hidden field, sealed with
 * the app's key and bound to the user and a time, so the browser can neither
 * choose a key nor reuse one offered to someone else.
 */
export function sealPendingKey(userId: string, key: Uint8Array, now = Date.now()): string {
  const payload = JSON.stringify({ u: userId, t: now, k: Buffer.from(key).toString("base64") });
  return encrypt(new TextEncoder().encode(payload));
}

export function openPendingKey(userId: string, sealed: string, now = Date.now()): Uint8Array | null {
  try {
    const payload = JSON.parse(new TextDecoder().decode(decrypt(sealed))) as { u?: unknown; t?: unknown; k?: unknown };
    if (payload.u !== userId || typeof payload.t !== "number" || typeof payload.k !== "string") return null;
    if (now - payload.t > PENDING_KEY_MAX_AGE_MS || payload.t > now + 60_000) return null;
    const key = new Uint8Array(Buffer.from(payload.k, "base64"));
    return key.length === 20 ? key : null;
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ enrolment

/** A fresh 20-byte key (RFC 4226's recommended length), sealed for the set-up form. */
export async function startTwoFactorEnrolment(options: { actor: Actor; userId: string; email: string; tx?: Db }) {
  const key = new Uint8Array(20);
  crypto.getRandomValues(key);
  await inTransaction(options.tx, (tx) =>
    writeAudit(tx, options.actor, { action: "auth.two_factor_setup_started", entity: "users", entityId: options.userId }),
  );
  return { pendingKey: sealPendingKey(options.userId, key), details: enrolmentDetails(key, options.email) };
}

/** The set-up details again for a sealed key (to show the same QR code after a wrong code). */
export function describePendingKey(userId: string, email: string, pendingKey: string): EnrolmentDetails | null {
  const key = openPendingKey(userId, pendingKey);
  return key ? enrolmentDetails(key, email) : null;
}

async function replaceRecoveryCodes(tx: Db, userId: string): Promise<string[]> {
  const codes = generateRecoveryCodes();
  await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId));
  await tx.insert(mfaRecoveryCodes).values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })));
  return codes;
}

export type EnableTwoFactorResult =
  | { ok: true; recoveryCodes: string[] }
  | { ok: false; reason: "expired" | "wrong_code" };

/**
 * Turn two-factor on with the key from the set-up page, once the person has
 * shown their app produces the right code. Stores the key encrypted, marks
 * this session verified and returns ten new recovery codes (only their
 * hashes are kept).
 */
export async function enableTwoFactor(options: {
  actor: Actor;
  userId: string;
  sessionId: string;
  pendingKey: string;
  code: string;
  tx?: Db;
}): Promise<EnableTwoFactorResult> {
  const key = openPendingKey(options.userId, options.pendingKey);
  return inTransaction(options.tx, async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, options.userId)).for("update");
    if (!user) throw new AppError("NOT_FOUND", "errors.notFound");
    if (user.totpEnabledAt) throw new AppError("CONFLICT", "auth:errors.twoFactorAlreadyOn");
    const step = key ? matchTotpStep(key, options.code) : null;
    if (!key || step === null) {
      const reason = key ? "wrong_code" : "expired";
      await writeAudit(tx, options.actor, { action: "auth.two_factor_setup_failed", entity: "users", entityId: user.id, detail: { reason } });
      return { ok: false, reason } as const;
    }
    await tx
      .update(users)
      .set({ totpKeyEncrypted: encrypt(key), totpEnabledAt: new Date(), totpLastStep: step })
      .where(eq(users.id, user.id));
    await markSessionTwoFactorVerified(options.sessionId, tx);
    const recoveryCodes = await replaceRecoveryCodes(tx, user.id);
    await writeAudit(tx, options.actor, {
      action: "auth.two_factor_enabled",
      entity: "users",
      entityId: user.id,
      detail: { recoveryCodes: recoveryCodes.length },
    });
    return { ok: true, recoveryCodes } as const;
  });
}

// ------------------------------------------------------------- verification

export type CodeCheckResult = { ok: true } | { ok: false; reason: "invalid" } | { ok: false; reason: "locked"; lockedUntil: Date };

type LockedUser = Pick<User, "id" | "failedSignIns" | "lockedUntil" | "totpKeyEncrypted" | "totpLastStep">;

/**
 * Check a TOTP code for a user already read `for update` in `tx`. Wrong and
 * replayed codes count towards the same lockout as wrong passwords; a code's
 * time step can be used once only.
 */
async function checkTotpCode(tx: Db, actor: Actor, user: LockedUser, code: string, purpose: string): Promise<CodeCheckResult> {
  const lockedUntil = activeLock(user);
  if (lockedUntil) {
    await writeAudit(tx, actor, { action: "auth.two_factor_failed", entity: "users", entityId: user.id, detail: { reason: "locked", purpose } });
    return { ok: false, reason: "locked", lockedUntil };
  }
  if (!user.totpKeyEncrypted) throw new AppError("CONFLICT", "auth:errors.twoFactorNotOn");
  const step = matchTotpStep(decrypt(user.totpKeyEncrypted), code);
  const replayed = step !== null && user.totpLastStep !== null && step <= user.totpLastStep;
  if (step === null || replayed) {
    const failed = await recordFailedAttempt(tx, actor, user, {
      action: "auth.two_factor_failed",
      reason: replayed ? `replayed_code:${purpose}` : `wrong_code:${purpose}`,
    });
    return failed.locked ? { ok: false, reason: "locked", lockedUntil: failed.lockedUntil } : { ok: false, reason: "invalid" };
  }
  await tx.update(users).set({ totpLastStep: step }).where(eq(users.id, user.id));
  await clearFailedAttempts(tx, user.id);
  return { ok: true };
}

async function lockUser(tx: Db, userId: string) {
  const [user] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
  if (!user) throw new AppError("NOT_FOUND", "errors.notFound");
  return user;
}

/** Second step of sign-in with a code from the authenticator app. */
export async function verifyTwoFactorSignIn(options: { actor: Actor; userId: string; sessionId: string; code: string; tx?: Db }): Promise<CodeCheckResult> {
  return inTransaction(options.tx, async (tx) => {
    const user = await lockUser(tx, options.userId);
    const result = await checkTotpCode(tx, options.actor, user, options.code, "sign_in");
    if (!result.ok) return result;
    await markSessionTwoFactorVerified(options.sessionId, tx);
    await clearFailedAttempts(tx, user.id, { lastSignInAt: new Date() });
    await writeAudit(tx, options.actor, { action: "auth.two_factor_verified", entity: "users", entityId: user.id, detail: { method: "totp" } });
    return result;
  });
}

/** Second step of sign-in with one of the printed recovery codes; each works once. */
export async function signInWithRecoveryCode(options: {
  actor: Actor;
  userId: string;
  sessionId: string;
  code: string;
  tx?: Db;
}): Promise<CodeCheckResult & { remaining?: number }> {
  return inTransaction(options.tx, async (tx) => {
    const user = await lockUser(tx, options.userId);
    const lockedUntil = activeLock(user);
    if (lockedUntil) {
      await writeAudit(tx, options.actor, {
        action: "auth.two_factor_failed",
        entity: "users",
        entityId: user.id,
        detail: { reason: "locked", purpose: "recovery_code" },
      });
      return { ok: false, reason: "locked", lockedUntil } as const;
    }
    const [used] = await tx
      .update(mfaRecoveryCodes)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(mfaRecoveryCodes.userId, user.id),
          eq(mfaRecoveryCodes.codeHash, hashRecoveryCode(options.code)),
          isNull(mfaRecoveryCodes.usedAt),
        ),
      )
      .returning({ id: mfaRecoveryCodes.id });
    if (!used) {
      const failed = await recordFailedAttempt(tx, options.actor, user, { action: "auth.two_factor_failed", reason: "wrong_recovery_code" });
      return failed.locked ? ({ ok: false, reason: "locked", lockedUntil: failed.lockedUntil } as const) : ({ ok: false, reason: "invalid" } as const);
    }
    const remaining = await countUnusedRecoveryCodes(tx, user.id);
    await markSessionTwoFactorVerified(options.sessionId, tx);
    await clearFailedAttempts(tx, user.id, { lastSignInAt: new Date() });
    await writeAudit(tx, options.actor, {
      action: "auth.recovery_code_used",
      entity: "mfa_recovery_codes",
      entityId: used.id,
      detail: { remaining },
    });
    return { ok: true, remaining } as const;
  });
}

async function countUnusedRecoveryCodes(db: Db, userId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(mfaRecoveryCodes)
    .where(and(eq(mfaRecoveryCodes.userId, userId), isNull(mfaRecoveryCodes.usedAt)));
  return row.n;
}

// ------------------------------------------------------------------ changes

/** New recovery codes (the old ones stop working), on a current code from the app. */
export async function regenerateRecoveryCodes(options: {
  actor: Actor;
  userId: string;
  code: string;
  tx?: Db;
}): Promise<{ ok: true; recoveryCodes: string[] } | Exclude<CodeCheckResult, { ok: true }>> {
  return inTransaction(options.tx, async (tx) => {
    const user = await lockUser(tx, options.userId);
    const result = await checkTotpCode(tx, options.actor, user, options.code, "regenerate");
    if (!result.ok) return result;
    const recoveryCodes = await replaceRecoveryCodes(tx, user.id);
    await writeAudit(tx, options.actor, {
      action: "auth.recovery_codes_regenerated",
      entity: "users",
      entityId: user.id,
      detail: { recoveryCodes: recoveryCodes.length },
    });
    return { ok: true, recoveryCodes } as const;
  });
}

/** Whether any panel the user is an active member of requires two-factor. */
export async function isTwoFactorRequired(userId: string, db: Db = getDb()): Promise<boolean> {
  const [row] = await db
    .select({ n: count() })
    .from(memberships)
    .innerJoin(areas, eq(areas.id, memberships.areaId))
    .where(and(eq(memberships.userId, userId), eq(memberships.active, true), eq(areas.mfaRequired, true)));
  return row.n > 0;
}

/**
 * Turn two-factor off, on a current code. Refused (FORBIDDEN) while any of
 * the user's panels requires it.
 */
export async function disableTwoFactor(options: {
  actor: Actor;
  userId: string;
  code: string;
  tx?: Db;
}): Promise<CodeCheckResult> {
  return inTransaction(options.tx, async (tx) => {
    if (await isTwoFactorRequired(options.userId, tx)) throw new AppError("FORBIDDEN", "auth:twoFactorOff.required");
    const user = await lockUser(tx, options.userId);
    const result = await checkTotpCode(tx, options.actor, user, options.code, "disable");
    if (!result.ok) return result;
    await tx
      .update(users)
      .set({ totpKeyEncrypted: null, totpEnabledAt: null, totpLastStep: null })
      .where(eq(users.id, user.id));
    await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, user.id));
    await writeAudit(tx, options.actor, { action: "auth.two_factor_disabled", entity: "users", entityId: user.id });
    return result;
  });
}

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
  required: boolean;
}

export async function getTwoFactorStatus(options: { userId: string; db?: Db }): Promise<TwoFactorStatus> {
  const db = options.db ?? getDb();
  const [user] = await db.select({ enabledAt: users.totpEnabledAt }).from(users).where(eq(users.id, options.userId));
  if (!user) throw new AppError("NOT_FOUND", "errors.notFound");
  return {
    enabled: user.enabledAt !== null,
    enabledAt: user.enabledAt,
    recoveryCodesLeft: user.enabledAt ? await countUnusedRecoveryCodes(db, options.userId) : 0,
    required: await isTwoFactorRequired(options.userId, db),
  };
}

/** Code attempts per user in 15 minutes, across every form that takes a code. */
export function consumeCodeAttempt(userId: string) {
  return consumeRateLimit({ key: `two-factor:${userId}`, limit: getEnv().SIGN_IN_RATE_LIMIT, windowSeconds: 15 * 60 });
}
