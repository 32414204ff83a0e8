import { and, asc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { createElement } from "react";
import type { Db } from "#db/client";
import { getDb } from "#db/client";
import { agencies, areas, invitations, memberships, mfaRecoveryCodes, users, type Invitation, type Role } from "#db/schema";
import { renderEmail } from "#emails/render.server";
import { InvitationEmail } from "#emails/invitation";
import { getEnv } from "~/env.server";
import { roleNeedsAgency } from "~/policy/permissions";
import { createI18n, type Language } from "~/i18n/config";
import { generateToken, hashPassword, hashToken } from "~/lib/crypto.server";
import { inTransaction, writeAudit, type Actor } from "./audit.server";
import { assertUuid, getAgency } from "./agencies.server";
import { invalidateUserSessions } from "./auth/sessions.server";
import { queueEmail } from "./outbox.server";
import { AppError } from "./errors.server";

export const INVITATION_DAYS = 7;
const DAY = 24 * 60 * 60 * 1000;


export interface MemberRole {
  membershipId: string;
  role: Role;
  agencyId: string | null;
  agencyName: string | null;
  active: boolean;
  version: number;
}

export interface Member {
  userId: string;
  name: string;
  email: string;
  /** Disabled for the whole deployment (not only this panel). */
  accountDisabled: boolean;
  twoFactor: boolean;
  /** Active here: at least one active membership and the account is not disabled. */
  active: boolean;
  roles: MemberRole[];
}

async function selectMembers(db: Db, areaId: string, userId?: string): Promise<Member[]> {
  const where = [eq(memberships.areaId, areaId)];
  if (userId) where.push(eq(memberships.userId, userId));
  const rows = await db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      accountDisabled: users.disabled,
      totpEnabledAt: users.totpEnabledAt,
      membershipId: memberships.id,
      role: memberships.role,
      agencyId: memberships.agencyId,
      agencyName: agencies.name,
      active: memberships.active,
      version: memberships.version,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(agencies, and(eq(agencies.id, memberships.agencyId), eq(agencies.areaId, areaId)))
    .where(and(...where))
    .orderBy(asc(users.name), asc(users.email), asc(memberships.role));
  const byUser = new Map<string, Member>();
  for (const r of rows) {
    let member = byUser.get(r.userId);
    if (!member) {
      member = {
        userId: r.userId,
        name: r.name,
        email: r.email,
        accountDisabled: r.accountDisabled,
        twoFactor: r.totpEnabledAt !== null,
        active: false,
        roles: [],
      };
      byUser.set(r.userId, member);
    }
    member.roles.push({ membershipId: r.membershipId, role: r.role, agencyId: r.agencyId, agencyName: r.agencyName, active: r.active, version: r.version });
    if (r.active && !r.accountDisabled) member.active = true;
  }
  return [...byUser.values()];
}

/** Everyone with a membership (active or not) in this area, by name. */
export async function listMembers(options: { actor: Actor; areaId: string; tx?: Db }): Promise<Member[]> {
  return selectMembers(options.tx ?? getDb(), options.areaId);
}

/** One member of this area; a user with no membership here is NOT_FOUND. */
export async function getMember(options: { actor: Actor; areaId: string; userId: string; tx?: Db }): Promise<Member> {
  assertUuid(options.userId);
  const [member] = await selectMembers(options.tx ?? getDb(), options.areaId, options.userId);
  if (!member) throw new AppError("NOT_FOUND", "errors.notFound");
  return member;
}

export async function listPendingInvitations(options: { actor: Actor; areaId: string; tx?: Db }) {
  const db = options.tx ?? getDb();
  return db
    .select({
      id: invitations.id,
      name: invitations.name,
      email: invitations.email,
      role: invitations.role,
      agencyName: agencies.name,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .leftJoin(agencies, eq(agencies.id, invitations.agencyId))
    .where(
      and(
        eq(invitations.areaId, options.areaId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    )
    .orderBy(asc(invitations.expiresAt));
}

/**
 * The agency a role will act for: required for agency roles, and it must be an
 * active agency of this area (another area's id is NOT_FOUND).
 */
async function resolveAgency(tx: Db, actor: Actor, areaId: string, role: Role, agencyId: string | null | undefined): Promise<string | null> {
  if (!agencyId) {
    if (roleNeedsAgency(role)) throw new AppError("INVALID", "admin:errors.agencyRequired", { field: "agencyId" });
    return null;
  }
  const agency = await getAgency({ actor, areaId, agencyId, tx });
  if (!agency.active) throw new AppError("INVALID", "admin:errors.agencyInactive", { field: "agencyId" });
  return agency.id;
}

/**
 * A panel must keep at least one active administrator. Locks the area's admin
 * memberships so two admins cannot remove each other at the same moment.
 */
async function assertAdminRemains(tx: Db, areaId: string, losing: { membershipIds?: string[]; userId?: string }) {
  const admins = await tx
    .select({ id: memberships.id, userId: memberships.userId, active: memberships.active, disabled: users.disabled })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.areaId, areaId), eq(memberships.role, "admin")))
    .for("update", { of: memberships });
  const remaining = admins.filter(
    (a) => a.active && !a.disabled && !(losing.membershipIds ?? []).includes(a.id) && a.userId !== losing.userId,
  );
  if (remaining.length === 0) throw new AppError("INVALID", "admin:errors.lastAdmin");
}

export interface InviteValues {
  name: string;
  email: string;
  role: Role;
  agencyId?: string | null;
}

/**
 * Invite someone to this panel by email. Only the token's hash is stored. The
 * email goes after the transaction commits, so no link is ever sent for an
 * invitation that does not exist; for that reason this function takes no `tx`.
 */
export async function inviteUser(options: { actor: Actor; areaId: string; values: InviteValues; lang: Language }): Promise<Invitation> {
  const email = options.values.email.trim().toLowerCase();
  const token = generateToken();
  const invitation = await inTransaction(undefined, async (tx) => {
    const agencyId = await resolveAgency(tx, options.actor, options.areaId, options.values.role, options.values.agencyId);
    const [held] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(users.email, email),
          eq(memberships.areaId, options.areaId),
          eq(memberships.role, options.values.role),
          eq(memberships.active, true),
        ),
      );
    if (held) throw new AppError("INVALID", "admin:errors.alreadyMember", { field: "email" });
    const [pending] = await tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(
        and(
          eq(invitations.areaId, options.areaId),
          eq(invitations.email, email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, new Date()),
        ),
      );
    if (pending) throw new AppError("INVALID", "admin:errors.alreadyInvited", { field: "email" });
    const [row] = await tx
      .insert(invitations)
      .values({
        tokenHash: hashToken(token),
        areaId: options.areaId,
        agencyId,
        role: options.values.role,
        email,
        name: options.values.name,
        invitedBy: options.actor.userId,
        expiresAt: new Date(Date.now() + INVITATION_DAYS * DAY),
      })
      .returning();
    await writeAudit(tx, options.actor, {
      areaId: options.areaId,
      action: "invitation.created",
      entity: "invitations",
      entityId: row.id,
      detail: { role: row.role, agencyId },
    });
    await queueInvitationEmail(tx, { to: email, token, invitationId: row.id, areaId: options.areaId, lang: options.lang });
    return row;
  });
  return invitation;
}

/** The email holds only the link: no panel, role, agency or names (DESIGN.md section 7). */
async function queueInvitationEmail(tx: Db, options: { to: string; token: string; invitationId: string; areaId: string; lang: Language }) {
  const t = createI18n(options.lang).getFixedT(options.lang, "admin", "invitationEmail");
  const link = `${getEnv().APP_URL}/invitations/${options.token}`;
  const { html, text } = await renderEmail(
    createElement(InvitationEmail, {
      lang: options.lang,
      link,
      strings: {
        preview: t("preview"),
        heading: t("heading"),
        intro: t("intro"),
        button: t("button"),
        expiry: t("expiry", { days: INVITATION_DAYS }),
        ignore: t("ignore"),
        footer: t("footer"),
      },
    }),
  );
  // Only a link: fine for any address, accredited or not.
  return queueEmail(tx, { kind: "invitation", to: options.to, subject: t("subject"), html, text, idempotencyKey: `invitation:${options.invitationId}`, areaId: options.areaId });
}

export async function revokeInvitation(options: { actor: Actor; areaId: string; invitationId: string; tx?: Db }) {
  assertUuid(options.invitationId);
  return inTransaction(options.tx, async (tx) => {
    const [row] = await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(invitations.id, options.invitationId),
          eq(invitations.areaId, options.areaId),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      )
      .returning();
    if (!row) throw new AppError("NOT_FOUND", "errors.notFound");
    await writeAudit(tx, options.actor, {
      areaId: options.areaId,
      action: "invitation.revoked",
      entity: "invitations",
      entityId: row.id,
    });
    return row;
  });
}

export type InvitationState = "valid" | "expired" | "used" | "revoked";

export interface InvitationView {
  state: InvitationState;
  invitation: Invitation;
  areaName: string;
  areaCode: string;
  agencyName: string | null;
  /** Set when an account with the invited email already exists. */
  existingUserId: string | null;
}

function stateOf(invitation: Invitation): InvitationState {
  if (invitation.acceptedAt) return "used";
  if (invitation.revokedAt) return "revoked";
  if (invitation.expiresAt.getTime() <= Date.now()) return "expired";
  return "valid";
}

/** What an emailed invitation link points at, or null for a token we never issued. */
export async function findInvitation(options: { token: string; tx?: Db; forUpdate?: boolean }): Promise<InvitationView | null> {
  const db = options.tx ?? getDb();
  const query = db
    .select({ invitation: invitations, areaName: areas.name, areaCode: areas.code, agencyName: agencies.name })
    .from(invitations)
    .innerJoin(areas, eq(areas.id, invitations.areaId))
    .leftJoin(agencies, eq(agencies.id, invitations.agencyId))
    .where(eq(invitations.tokenHash, hashToken(options.token)));
  const [row] = options.forUpdate ? await query.for("update", { of: invitations }) : await query;
  if (!row) return null;
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, row.invitation.email));
  return { ...row, state: stateOf(row.invitation), existingUserId: existing?.id ?? null };
}

async function loadUsableInvitation(tx: Db, token: string): Promise<InvitationView> {
  const view = await findInvitation({ token, tx, forUpdate: true });
  if (!view) throw new AppError("NOT_FOUND", "errors.notFound");
  if (view.state !== "valid") throw new AppError("INVALID", `admin:invitation.${view.state}`);
  return view;
}

async function grantMembership(tx: Db, userId: string, invitation: Invitation) {
  const [existing] = await tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.areaId, invitation.areaId), eq(memberships.role, invitation.role)))
    .for("update");
  if (existing) {
    await tx
      .update(memberships)
      .set({ active: true, agencyId: invitation.agencyId, version: existing.version + 1 })
      .where(eq(memberships.id, existing.id));
    return existing.id;
  }
  const [created] = await tx
    .insert(memberships)
    .values({ userId, areaId: invitation.areaId, role: invitation.role, agencyId: invitation.agencyId })
    .returning({ id: memberships.id });
  return created.id;
}

/**
 * Accept an invitation for an email with no account yet: creates the user and
 * the membership together. The caller signs the new user in.
 */
export async function acceptInvitationAsNewUser(options: {
  actor: Actor;
  token: string;
  name: string;
  password: string;
  tx?: Db;
}): Promise<{ userId: string; areaCode: string }> {
  const passwordHash = await hashPassword(options.password);
  return inTransaction(options.tx, async (tx) => {
    const view = await loadUsableInvitation(tx, options.token);
    if (view.existingUserId) throw new AppError("CONFLICT", "admin:invitation.signInFirst");
    const [user] = await tx
      .insert(users)
      .values({ email: view.invitation.email, name: options.name, passwordHash })
      .returning({ id: users.id });
    const membershipId = await grantMembership(tx, user.id, view.invitation);
    await tx.update(invitations).set({ acceptedAt: new Date() }).where(eq(invitations.id, view.invitation.id));
    const actor = { userId: user.id, ip: options.actor.ip };
    await writeAudit(tx, actor, { action: "user.created", entity: "users", entityId: user.id, detail: { via: "invitation" } });
    await writeAudit(tx, actor, {
      areaId: view.invitation.areaId,
      action: "invitation.accepted",
      entity: "invitations",
      entityId: view.invitation.id,
      detail: { membershipId, role: view.invitation.role, newUser: true },
    });
    return { userId: user.id, areaCode: view.areaCode };
  });
}

/** Accept an invitation as the signed-in user it was sent to: adds the membership. */
export async function acceptInvitationAsExistingUser(options: { actor: Actor; token: string; tx?: Db }): Promise<{ areaCode: string }> {
  return inTransaction(options.tx, async (tx) => {
    const view = await loadUsableInvitation(tx, options.token);
    if (!options.actor.userId || view.existingUserId !== options.actor.userId) {
      throw new AppError("FORBIDDEN", "admin:invitation.wrongAccount");
    }
    const membershipId = await grantMembership(tx, options.actor.userId, view.invitation);
    await tx.update(invitations).set({ acceptedAt: new Date() }).where(eq(invitations.id, view.invitation.id));
    await writeAudit(tx, options.actor, {
      areaId: view.invitation.areaId,
      action: "invitation.accepted",
      entity: "invitations",
      entityId: view.invitation.id,
      detail: { membershipId, role: view.invitation.role, newUser: false },
    });
    return { areaCode: view.areaCode };
  });
}

async function loadMembership(tx: Db, areaId: string, membershipId: string) {
  assertUuid(membershipId);
  const [row] = await tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.id, membershipId), eq(memberships.areaId, areaId)))
    .for("update");
  if (!row) throw new AppError("NOT_FOUND", "errors.notFound");
  return row;
}

/** Change one membership's role and agency, read at `version`. */
export async function changeMembership(options: {
  actor: Actor;
  areaId: string;
  membershipId: string;
  version: number;
  role: Role;
  agencyId?: string | null;
  tx?: Db;
}) {
  return inTransaction(options.tx, async (tx) => {
    const current = await loadMembership(tx, options.areaId, options.membershipId);
    if (current.version !== options.version) throw new AppError("CONFLICT", "errors.stale");
    const agencyId = await resolveAgency(tx, options.actor, options.areaId, options.role, options.agencyId);
    if (options.role !== current.role) {
      const [clash] = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(and(eq(memberships.userId, current.userId), eq(memberships.areaId, options.areaId), eq(memberships.role, options.role)));
      if (clash) throw new AppError("INVALID", "admin:errors.roleHeld", { field: "role" });
      if (current.role === "admin") await assertAdminRemains(tx, options.areaId, { membershipIds: [current.id] });
    }
    const [row] = await tx
      .update(memberships)
      .set({ role: options.role, agencyId, version: current.version + 1 })
      .where(and(eq(memberships.id, current.id), eq(memberships.version, options.version)))
      .returning();
    if (!row) throw new AppError("CONFLICT", "errors.stale");
    await writeAudit(tx, options.actor, {
      areaId: options.areaId,
      action: "membership.changed",
      entity: "memberships",
      entityId: row.id,
      detail: { userId: row.userId, from: { role: current.role, agencyId: current.agencyId }, to: { role: row.role, agencyId: row.agencyId } },
    });
    return row;
  });
}

/** Give a member of this area another role here. */
export async function addMembership(options: { actor: Actor; areaId: string; userId: string; role: Role; agencyId?: string | null; tx?: Db }) {
  return inTransaction(options.tx, async (tx) => {
    await getMember({ actor: options.actor, areaId: options.areaId, userId: options.userId, tx });
    const agencyId = await resolveAgency(tx, options.actor, options.areaId, options.role, options.agencyId);
    const [clash] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.userId, options.userId), eq(memberships.areaId, options.areaId), eq(memberships.role, options.role)));
    if (clash) throw new AppError("INVALID", "admin:errors.roleHeld", { field: "role" });
    const [row] = await tx
      .insert(memberships)
      .values({ userId: options.userId, areaId: options.areaId, role: options.role, agencyId })
      .returning();
    await writeAudit(tx, options.actor, {
      areaId: options.areaId,
      action: "membership.added",
      entity: "memberships",
      entityId: row.id,
      detail: { userId: row.userId, role: row.role, agencyId },
    });
    return row;
  });
}

/**
 * Disable or re-enable every membership the user has in this area. Disabling
 * also ends all their sessions, so the change takes effect at once.
 */
export async function setMemberActive(options: { actor: Actor; areaId: string; userId: string; active: boolean; tx?: Db }) {
  return inTransaction(options.tx, async (tx) => {
    const member = await getMember({ actor: options.actor, areaId: options.areaId, userId: options.userId, tx });
    if (!options.active) {
      if (options.userId === options.actor.userId) throw new AppError("INVALID", "admin:errors.cannotDisableSelf");
      await assertAdminRemains(tx, options.areaId, { userId: options.userId });
    }
    const changing = member.roles.filter((r) => r.active !== options.active).map((r) => r.membershipId);
    if (changing.length > 0) {
      await tx
        .update(memberships)
        .set({ active: options.active, version: sql`${memberships.version} + 1` })
        .where(and(eq(memberships.areaId, options.areaId), inArray(memberships.id, changing)));
    }
    if (!options.active) await invalidateUserSessions(options.userId, tx);
    await writeAudit(tx, options.actor, {
      areaId: options.areaId,
      action: options.active ? "user.enabled" : "user.disabled",
      entity: "users",
      entityId: options.userId,
      detail: { membershipIds: changing },
    });
  });
}

/**
 * Clear a member's authenticator and recovery codes, and end their sessions,
 * so they enrol again at their next sign-in (e.g. after losing their phone).
 */
export async function resetTwoFactor(options: { actor: Actor; areaId: string; userId: string; tx?: Db }) {
  return inTransaction(options.tx, async (tx) => {
    await getMember({ actor: options.actor, areaId: options.areaId, userId: options.userId, tx });
    await tx
      .update(users)
      .set({ totpKeyEncrypted: null, totpEnabledAt: null })
      .where(eq(users.id, options.userId));
    await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, options.userId));
    await invalidateUserSessions(options.userId, tx);
    await writeAudit(tx, options.actor, {
      areaId: options.areaId,
      action: "user.two_factor_reset",
      entity: "users",
      entityId: options.userId,
    });
  });
}
