import { eq } from "drizzle-orm";
import type { Db } from "#db/client";
import { users } from "#db/schema";
import { getEnv } from "~/env.server";
import { hashPassword, verifyPassword } from "~/lib/crypto.server";
import { inTransaction, writeAudit } from "../audit.server";
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
  const env = getEnv();
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
    const now = new Date();
    if (user.lockedUntil && user.lockedUntil > now) {
      await writeAudit(tx, { userId: user.id, ip: actorIp }, {
        action: "auth.sign_in_failed",
        entity: "users",
        entityId: user.id,
        detail: { reason: "locked" },
      });
      return { ok: false, reason: "locked", lockedUntil: user.lockedUntil } as const;
    }
    if (!(await verifyPassword(user.passwordHash, options.password))) {
      const failures = user.failedSignIns + 1;
      const lock = failures >= env.LOCKOUT_THRESHOLD;
      const lockedUntil = lock ? new Date(now.getTime() + env.LOCKOUT_MINUTES * 60 * 1000) : null;
      await tx
        .update(users)
        .set({ failedSignIns: lock ? 0 : failures, lockedUntil })
        .where(eq(users.id, user.id));
      await writeAudit(tx, { userId: user.id, ip: actorIp }, {
        action: lock ? "auth.locked" : "auth.sign_in_failed",
        entity: "users",
        entityId: user.id,
        detail: { reason: "wrong_password", failures },
      });
      if (lock && lockedUntil) return { ok: false, reason: "locked", lockedUntil } as const;
      return { ok: false, reason: "invalid" } as const;
    }
    await tx
      .update(users)
      .set({ failedSignIns: 0, lockedUntil: null, lastSignInAt: now })
      .where(eq(users.id, user.id));
    const needsTwoFactor = user.totpEnabledAt !== null;
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

