import { eq } from "drizzle-orm";
import type { Db } from "#db/client";
import { users } from "#db/schema";
import { hashPassword, verifyPassword } from "~/lib/crypto.server";
import { inTransaction, writeAudit } from "../audit.server";
import { activeLock, clearFailedAttempts, recordFailedAttempt } from "./lockout.server";
import { createSession } from "./sessions.server";

export type SignInResult =
  | { ok: true; token: string; userId: string; needsTwoFactor: boolean }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; lockedUntil: Date };

// Verifying against a real hash for unknown emails keeps the timing the same.
let dummyHash: Promise<string> | undefined;

/**
 * Check an email and password. Repeated failures lock the account for a while;
 * every attempt is audited. The message never says whether the email exists.
 */
export async function signIn(options: { email: string; password: string; ip?: string | null; db?: Db }): Promise<SignInResult> {
  const email = options.email.trim().toLowerCase();
  const actorIp = options.ip ?? null;
  return inTransaction(options.db, async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.email, email)).for("update");
    if (!user || !user.passwordHash || user.disabled) {
      dummyHash ??= hashPassword("panel-timing-equaliser");
      await verifyPassword(await dummyHash, options.password);
      await writeAudit(tx, { userId: user?.id ?? null, ip: actorIp }, {
        action: "auth.sign_in_failed",
        entity: "users",
        entityId: user?.id ?? null,
        detail: { reason: user ? (user.disabled ? "disabled" : "no_password") : "unknown_email" },
      });
      return { ok: false, reason: "invalid" } as const;
    }
    const lockedUntil = activeLock(user);
    if (lockedUntil) {
      await writeAudit(tx, { userId: user.id, ip: actorIp }, {
        action: "auth.sign_in_failed",
        entity: "users",
        entityId: user.id,
        detail: { reason: "locked" },
      });
      return { ok: false, reason: "locked", lockedUntil } as const;
    }
    if (!(await verifyPassword(user.passwordHash, options.password))) {
      const failed = await recordFailedAttempt(tx, { userId: user.id, ip: actorIp }, user, {
        action: "auth.sign_in_failed",
        reason: "wrong_password",
      });
      if (failed.locked) return { ok: false, reason: "locked", lockedUntil: failed.lockedUntil } as const;
      return { ok: false, reason: "invalid" } as const;
    }
    const needsTwoFactor = user.totpEnabledAt !== null;
    // With two-factor, the count is cleared only once the code is right too;
    // otherwise re-entering the password would reset the count of wrong codes.
    if (!needsTwoFactor) await clearFailedAttempts(tx, user.id, { lastSignInAt: new Date() });
    const { token } = await createSession({ userId: user.id, twoFactorVerified: false, ip: actorIp, db: tx });
    await writeAudit(tx, { userId: user.id, ip: actorIp }, {
      action: "auth.sign_in",
      entity: "users",
      entityId: user.id,
      detail: { twoFactorPending: needsTwoFactor },
    });
    return { ok: true, token, userId: user.id, needsTwoFactor } as const;
  });
}

export async function recordSignOut(options: { userId: string; ip?: string | null; db?: Db }) {
  await inTransaction(options.db, (tx) =>
    writeAudit(tx, { userId: options.userId, ip: options.ip }, { action: "auth.sign_out", entity: "users", entityId: options.userId }),
  );
}

