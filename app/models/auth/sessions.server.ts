import { eq, lt, or } from "drizzle-orm";
import type { Db } from "#db/client";
import { getDb } from "#db/client";
import { type Placeholders, statement } from "#db/statements";
import { sessions, users, type Session, type User } from "#db/schema";
import { getEnv, isSecureOrigin } from "~/env.server";
import { generateToken, hashToken } from "~/lib/crypto.server";

export const SESSION_COOKIE = "panel_session";
const DAY = 24 * 60 * 60 * 1000;
/** lastSeenAt is written at most this often, so reads stay reads. */
const TOUCH_INTERVAL = 60 * 1000;

export interface SessionWithUser {
  session: Session;
  user: Pick<User, "id" | "email" | "name" | "disabled" | "totpEnabledAt">;
}

export async function createSession(options: {
  userId: string;
  twoFactorVerified: boolean;
  ip?: string | null;
  db?: Db;
}): Promise<{ token: string; session: Session }> {
  const db = options.db ?? getDb();
  const token = generateToken();
  const now = new Date();
  const [session] = await db
    .insert(sessions)
    .values({
      id: hashToken(token),
      userId: options.userId,
      expiresAt: new Date(now.getTime() + getEnv().SESSION_DAYS * DAY),
      lastSeenAt: now,
      twoFactorVerified: options.twoFactorVerified,
      ip: options.ip ?? null,
    })
    .returning();
  return { token, session };
}

/** The user's columns a session is read with (`SessionWithUser["user"]`), here and in the policy's read of who is asking. */
export const sessionUserColumns = { id: users.id, email: users.email, name: users.name, disabled: users.disabled, totpEnabledAt: users.totpEnabledAt };

const sessionWithUser = statement((db, p: Placeholders<{ id: string }>) =>
  db
    .select({ session: sessions, user: sessionUserColumns })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, p.id)),
);

/**
 * Look up the session for a cookie token. Expired or idle sessions are deleted;
 * a session past half its life is extended (sliding expiry).
 */
export async function validateSessionToken(token: string, db: Db = getDb()): Promise<SessionWithUser | null> {
  const [row] = await sessionWithUser(db, { id: hashToken(token) });
  return row ? keepSession(row, db) : null;
}

/**
 * A session just read (with its user), if it may go on: an expired or idle session, or a
 * disabled user's, is deleted and gives null; a session past half its life is extended, and
 * its last activity recorded at most once a minute.
 */
export async function keepSession<R extends SessionWithUser>(row: R, db: Db = getDb()): Promise<R | null> {
  const id = row.session.id;
  const env = getEnv();
  const now = Date.now();
  const idleLimit = env.SESSION_IDLE_MINUTES * 60 * 1000;
  if (row.user.disabled || now >= row.session.expiresAt.getTime() || now - row.session.lastSeenAt.getTime() > idleLimit) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  const updates: Partial<Session> = {};
  if (now - row.session.lastSeenAt.getTime() > TOUCH_INTERVAL) updates.lastSeenAt = new Date(now);
  if (row.session.expiresAt.getTime() - now < (env.SESSION_DAYS * DAY) / 2) {
    updates.expiresAt = new Date(now + env.SESSION_DAYS * DAY);
  }
  if (Object.keys(updates).length > 0) {
    await db.update(sessions).set(updates).where(eq(sessions.id, id));
    Object.assign(row.session, updates);
  }
  return row;
}

export async function invalidateSession(sessionId: string, db: Db = getDb()) {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function invalidateUserSessions(userId: string, db: Db = getDb()) {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

export async function markSessionTwoFactorVerified(sessionId: string, db: Db = getDb()) {
  await db.update(sessions).set({ twoFactorVerified: true }).where(eq(sessions.id, sessionId));
}

export async function setSessionArea(sessionId: string, areaId: string, db: Db = getDb()) {
  await db.update(sessions).set({ currentAreaId: areaId }).where(eq(sessions.id, sessionId));
}

export async function deleteExpiredSessions(db: Db = getDb()) {
  const idleCutoff = new Date(Date.now() - getEnv().SESSION_IDLE_MINUTES * 60 * 1000);
  await db.delete(sessions).where(or(lt(sessions.expiresAt, new Date()), lt(sessions.lastSeenAt, idleCutoff)));
}

// A browser-session cookie: the server enforces absolute and idle expiry, and
// the cookie goes when the browser closes (shared office machines).
export function sessionCookie(token: string): string {
  const parts = [`${SESSION_COOKIE}=${token}`, "Path=/", "HttpOnly", "SameSite=Lax"];
  if (isSecureOrigin()) parts.push("Secure");
  return parts.join("; ");
}

export function blankSessionCookie(): string {
  const parts = [`${SESSION_COOKIE}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0"];
  if (isSecureOrigin()) parts.push("Secure");
  return parts.join("; ");
}

export function readSessionToken(request: Request): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === SESSION_COOKIE) return rest.join("=") || null;
  }
  return null;
}

