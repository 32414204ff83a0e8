import { and, eq, isNull, ne } from "drizzle-orm";
import type { Db } from "#db/client";
import { getDb } from "#db/client";
import { passwordResets, sessions, users } from "#db/schema";
import { createElement } from "react";
import { PasswordResetEmail } from "#emails/password-reset";
import { renderEmail } from "#emails/render.server";
import { getEnv } from "~/env.server";
import { createI18n, type Language } from "~/i18n/config";
import { generateToken, hashPassword, hashToken, verifyPassword } from "~/lib/crypto.server";
import { inTransaction, writeAudit, type Actor } from "../audit.server";
import { queueEmail } from "../outbox.server";
import { AppError } from "../errors.server";
import { activeLock, clearFailedAttempts, recordFailedAttempt } from "./lockout.server";

const RESET_LIFETIME_MS = 60 * 60 * 1000;

/**
 * Email a one-hour, single-use reset link when the address belongs to an
 * active account. Says nothing either way: the caller shows the same page.
 */
export async function requestPasswordReset(options: { email: string; ip?: string | null; lang: Language; db?: Db }): Promise<void> {
  const email = options.email.trim().toLowerCase();
  const token = generateToken();
  const t = createI18n(options.lang).getFixedT(options.lang, "auth");
  const url = `${getEnv().APP_URL}/password/reset/${token}`;
  await inTransaction(options.db, async (tx) => {
    const [found] = await tx.select({ id: users.id, name: users.name, disabled: users.disabled }).from(users).where(eq(users.email, email));
    if (!found || found.disabled) {
      await writeAudit(tx, { userId: null, ip: options.ip }, {
        action: "auth.password_reset_requested",
        entity: "users",
        detail: { sent: false, reason: found ? "disabled" : "unknown_email" },
      });
      return;
    }
    const [reset] = await tx
      .insert(passwordResets)
      .values({ id: hashToken(token), userId: found.id, expiresAt: new Date(Date.now() + RESET_LIFETIME_MS) })
      .returning({ id: passwordResets.id });
    await writeAudit(tx, { userId: found.id, ip: options.ip }, {
      action: "auth.password_reset_requested",
      entity: "users",
      entityId: found.id,
      detail: { sent: true },
    });
    const { html, text } = await renderEmail(
      createElement(PasswordResetEmail, {
        lang: options.lang,
        url,
        strings: {
          preview: t("resetEmail.preview"),
          heading: t("resetEmail.heading"),
          greeting: t("resetEmail.greeting", { name: found.name }),
          intro: t("resetEmail.intro"),
          linkText: t("resetEmail.linkText"),
          expiry: t("resetEmail.expiry"),
          ignore: t("resetEmail.ignore"),
          footer: t("resetEmail.footer"),
        },
      }),
    );
    // The reset row's id is the token's hash: one email per reset link.
    await queueEmail(tx, { kind: "password_reset", to: email, subject: t("resetEmail.subject"), html, text, idempotencyKey: `password_reset:${reset.id}` });
  });
}

/** The account a reset link belongs to, or null when it is unknown, used or expired. */
export async function findPasswordReset(options: { token: string; db?: Db }): Promise<{ userId: string } | null> {
  const db = options.db ?? getDb();
  const [reset] = await db.select().from(passwordResets).where(eq(passwordResets.id, hashToken(options.token)));
  if (!reset || reset.usedAt || reset.expiresAt <= new Date()) return null;
  return { userId: reset.userId };
}

function refuseEmailAsPassword(email: string, password: string) {
  if (password.trim().toLowerCase() === email.toLowerCase()) {
    throw new AppError("INVALID", "auth:errors.passwordIsEmail", { field: "password" });
  }
}

/**
 * Set a new password from an emailed link. The link (and any other
 * outstanding link) stops working, the lockout is cleared, and every session
 * of the account ends. Returns false for an unknown, used or expired link.
 */
export async function resetPassword(options: { token: string; password: string; ip?: string | null; db?: Db }): Promise<{ ok: boolean }> {
  const id = hashToken(options.token);
  return inTransaction(options.db, async (tx) => {
    const [reset] = await tx.select().from(passwordResets).where(eq(passwordResets.id, id)).for("update");
    const now = new Date();
    if (!reset || reset.usedAt || reset.expiresAt <= now) return { ok: false };
    const [user] = await tx.select().from(users).where(eq(users.id, reset.userId)).for("update");
    if (!user || user.disabled) return { ok: false };
    refuseEmailAsPassword(user.email, options.password);
    await tx.update(users).set({ passwordHash: await hashPassword(options.password) }).where(eq(users.id, user.id));
    await clearFailedAttempts(tx, user.id);
    await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt)));
    await tx.delete(sessions).where(eq(sessions.userId, user.id));
    await writeAudit(tx, { userId: user.id, ip: options.ip }, { action: "auth.password_reset", entity: "users", entityId: user.id });
    return { ok: true };
  });
}

export type ChangePasswordResult = { ok: true } | { ok: false; reason: "wrong_password" } | { ok: false; reason: "locked"; lockedUntil: Date };

/**
 * A signed-in person changes their password. Their other sessions end; this
 * one stays. A wrong current password counts towards the sign-in lockout.
 */
export async function changePassword(options: {
  actor: Actor;
  userId: string;
  sessionId: string;
  currentPassword: string;
  newPassword: string;
  db?: Db;
}): Promise<ChangePasswordResult> {
  return inTransaction(options.db, async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, options.userId)).for("update");
    if (!user) throw new AppError("NOT_FOUND", "errors.notFound");
    const lockedUntil = activeLock(user);
    if (lockedUntil) return { ok: false, reason: "locked", lockedUntil } as const;
    if (!user.passwordHash || !(await verifyPassword(user.passwordHash, options.currentPassword))) {
      const failed = await recordFailedAttempt(tx, options.actor, user, { action: "auth.password_change_failed", reason: "wrong_password" });
      return failed.locked ? ({ ok: false, reason: "locked", lockedUntil: failed.lockedUntil } as const) : ({ ok: false, reason: "wrong_password" } as const);
    }
    refuseEmailAsPassword(user.email, options.newPassword);
    await tx.update(users).set({ passwordHash: await hashPassword(options.newPassword) }).where(eq(users.id, user.id));
    await clearFailedAttempts(tx, user.id);
    await tx.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.id, options.sessionId)));
    await writeAudit(tx, options.actor, { action: "auth.password_changed", entity: "users", entityId: user.id });
    return { ok: true } as const;
  });
}
