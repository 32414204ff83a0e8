import { eq } from "drizzle-orm";
import type { Db } from "#db/client";
import { users, type User } from "#db/schema";
import { getEnv } from "~/env.server";
import { writeAudit, type Actor } from "../audit.server";

/**
 * One lockout for every secret a person proves at sign-in (password, TOTP
 * code, recovery code): failures of any kind count towards the same limit.
 */

export function activeLock(user: Pick<User, "lockedUntil">, now = new Date()): Date | null {
  return user.lockedUntil && user.lockedUntil > now ? user.lockedUntil : null;
}

/**
 * Count one failure against the user (call it inside the transaction that
 * read the user `for update`). At the threshold the account locks for
 * LOCKOUT_MINUTES and the counter starts again.
 */
export async function recordFailedAttempt(
  tx: Db,
  actor: Actor,
  user: Pick<User, "id" | "failedSignIns">,
  failure: { action: string; reason: string },
): Promise<{ locked: false } | { locked: true; lockedUntil: Date }> {
  const env = getEnv();
  const failures = user.failedSignIns + 1;
  const lock = failures >= env.LOCKOUT_THRESHOLD;
  const lockedUntil = lock ? new Date(Date.now() + env.LOCKOUT_MINUTES * 60 * 1000) : null;
  await tx
    .update(users)
    .set({ failedSignIns: lock ? 0 : failures, lockedUntil })
    .where(eq(users.id, user.id));
  await writeAudit(tx, actor, {
    action: lock ? "auth.locked" : failure.action,
    entity: "users",
    entityId: user.id,
    detail: { reason: failure.reason, failures },
  });
  return lockedUntil ? { locked: true, lockedUntil } : { locked: false };
}

export async function clearFailedAttempts(tx: Db, userId: string, extra: Partial<Pick<User, "lastSignInAt">> = {}) {
  await tx
    .update(users)
    .set({ failedSignIns: 0, lockedUntil: null, ...extra })
    .where(eq(users.id, userId));
}

/** The form error for a locked account, with the minutes left (never less than one). */
export function lockedMessage(lockedUntil: Date, now = Date.now()): string {
  const minutes = Math.max(1, Math.ceil((lockedUntil.getTime() - now) / 60000));
  return `auth:errors.locked|${JSON.stringify({ minutes })}`;
}
