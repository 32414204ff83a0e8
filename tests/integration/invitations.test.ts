import { runOutboxOnce } from "~/models/outbox.server";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { auditEvents, invitations, memberships, users, type Role } from "#db/schema";
import { hashToken, verifyPassword } from "~/lib/crypto.server";
import { validateSessionToken } from "~/models/auth/sessions.server";
import { inviteUser, revokeInvitation } from "~/models/users.server";
import * as route from "~/routes/invitations.$token/route";
import { buildWorld, invoke, makeRequest, sessionCookieFor, type World } from "../support/world";

let world: World;
beforeAll(async () => {
  world = await buildWorld();
});

const NEW_PASSWORD = "a long enough passphrase";
let counter = 0;

/** Invite through the domain function and read the token back out of the emailed link. */
async function invite(options: { email?: string; role?: Role; agencyId?: string | null } = {}) {
  const email = options.email ?? `invitee.${++counter}.${Date.now()}@example.org`;
  const invitation = await inviteUser({
    actor: { userId: world.home.users.admin.id },
    areaId: world.home.area.id,
    values: { name: "Ifor Invitee", email, role: options.role ?? "agency_rep", agencyId: options.agencyId === undefined ? world.home.agencies.police.id : options.agencyId },
    lang: "en",
  });
  await runOutboxOnce();
  const dir = process.env.MAIL_DIR!;
  const mail = readdirSync(dir)
    .filter((f) => f.endsWith(".eml"))
    .sort()
    .map((f) => readFileSync(path.join(dir, f), "utf8"))
    .filter((raw) => raw.includes(`To: ${email}`))
    .pop()!;
  const token = /\/invitations\/([a-z2-7]+)/.exec(mail.replace(/=\r?\n/g, ""))![1];
  return { invitation, token, email };
}

const load = (token: string, cookie?: string) => invoke(route.loader, makeRequest(`/invitations/${token}`, { cookie }), { token });
const submit = (token: string, form: Record<string, string>, cookie?: string) =>
  invoke(route.action, makeRequest(`/invitations/${token}`, { form, cookie }), { token });
const createAccount = (token: string, overrides: Record<string, string> = {}) =>
  submit(token, { intent: "create", name: "Ifor Invitee", password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD, ...overrides });

async function userByEmail(email: string) {
  const [row] = await getDb().select().from(users).where(eq(users.email, email));
  return row;
}

async function invitationRow(id: string) {
  const [row] = await getDb().select().from(invitations).where(eq(invitations.id, id));
  return row;
}

describe("opening an invitation link", () => {
  it("shows the panel and role for a new email", async () => {
    const { token, email } = await invite();
    const result = await load(token);
    expect(result.status).toBe(200);
    expect(result.data).toMatchObject({ state: "new", offer: { area: world.home.area.name, role: "agency_rep", agency: "Police", email, name: "Ifor Invitee" } });
  });

  it("answers 404 for a token that was never issued", async () => {
    const result = await load("a".repeat(32));
    expect(result.status).toBe(404);
    expect(result.data.state).toBe("unknown");
    expect(result.data.offer).toBeNull();
  });

  it("says an expired, revoked or used link is no longer valid, without showing the offer", async () => {
    const expired = await invite();
    await getDb().update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.id, expired.invitation.id));
    const revoked = await invite();
    await revokeInvitation({ actor: { userId: world.home.users.admin.id }, areaId: world.home.area.id, invitationId: revoked.invitation.id });
    const used = await invite();
    expect((await createAccount(used.token)).status).toBe(302);
    for (const [token, state] of [
      [expired.token, "expired"],
      [revoked.token, "revoked"],
      [used.token, "used"],
    ]) {
      const result = await load(token);
      expect(result.status).toBe(410);
      expect(result.data).toMatchObject({ state, offer: null });
    }
  });
});

describe("accepting as a new user", () => {
  it("creates the user and membership together, audits it, and signs them in", async () => {
    const { token, email, invitation } = await invite({ role: "idva", agencyId: world.home.agencies.idvaService.id });
    const result = await createAccount(token, { name: "Ifor Jones" });
    expect(result.status).toBe(302);
    expect(result.location).toBe(`/areas/${world.home.area.code.toLowerCase()}`);
    const user = await userByEmail(email);
    expect(user).toMatchObject({ name: "Ifor Jones", disabled: false, totpEnabledAt: null });
    expect(user.passwordHash).not.toContain(NEW_PASSWORD);
    expect(await verifyPassword(user.passwordHash!, NEW_PASSWORD)).toBe(true);
    const rows = await getDb().select().from(memberships).where(eq(memberships.userId, user.id));
    expect(rows).toEqual([expect.objectContaining({ areaId: world.home.area.id, role: "idva", agencyId: world.home.agencies.idvaService.id, active: true })]);
    expect((await invitationRow(invitation.id)).acceptedAt).not.toBeNull();
    const audit = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "invitation.accepted"), eq(auditEvents.entityId, invitation.id)));
    expect(audit).toEqual([expect.objectContaining({ userId: user.id, areaId: world.home.area.id })]);
    const cookie = result.response!.headers.getSetCookie().find((c) => c.startsWith("panel_session="))!;
    const sessionToken = /panel_session=([^;]+)/.exec(cookie)![1];
    expect((await validateSessionToken(sessionToken))?.user.id).toBe(user.id);
  });

  it("refuses to use the same link twice", async () => {
    const { token, email } = await invite();
    expect((await createAccount(token)).status).toBe(302);
    const again = await createAccount(token, { name: "Someone Else" });
    expect(again.status).toBe(410);
    expect(again.data.state).toBe("used");
    expect((await userByEmail(email)).name).toBe("Ifor Invitee");
  });

  it("refuses an expired or revoked link and creates no account", async () => {
    const expired = await invite();
    await getDb().update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.id, expired.invitation.id));
    expect((await createAccount(expired.token)).status).toBe(410);
    const revoked = await invite();
    await revokeInvitation({ actor: { userId: world.home.users.admin.id }, areaId: world.home.area.id, invitationId: revoked.invitation.id });
    expect((await createAccount(revoked.token)).status).toBe(410);
    expect(await userByEmail(expired.email)).toBeUndefined();
    expect(await userByEmail(revoked.email)).toBeUndefined();
  });

  it("answers 404 to a form posted with a token that was never issued", async () => {
    expect((await createAccount("b".repeat(32))).status).toBe(404);
  });

  it.each([
    ["a password under 12 characters", { password: "elevenchars", confirmPassword: "elevenchars" }, "password", "admin:errors.passwordTooShort"],
    ["a password over 256 characters", { password: "p".repeat(257), confirmPassword: "p".repeat(257) }, "password", "admin:errors.passwordTooLong"],
    ["an empty password", { password: "", confirmPassword: "" }, "password", "admin:errors.passwordTooShort"],
    ["a confirmation that does not match", { confirmPassword: `${NEW_PASSWORD}!` }, "confirmPassword", "admin:errors.passwordMismatch"],
    ["an empty name", { name: "" }, "name", "admin:errors.nameRequired"],
    ["a name that is too long", { name: "n".repeat(121) }, "name", 'errors.tooLong|{"max":120}'],
    ["markup in the name", { name: "<script>alert(1)</script>" }, "name", "errors.noMarkup"],
  ])("rejects %s with 400 on the field, creates nothing and keeps the link usable", async (_label, overrides, field, message) => {
    const { token, email, invitation } = await invite();
    const result = await createAccount(token, overrides);
    expect(result.status).toBe(400);
    expect(result.data.result.error[field]).toContain(message);
    // The password is never sent back into the page.
    expect(result.data.result.initialValue?.password).toBeUndefined();
    expect(result.data.result.initialValue?.confirmPassword).toBeUndefined();
    expect(await userByEmail(email)).toBeUndefined();
    expect((await invitationRow(invitation.id)).acceptedAt).toBeNull();
    expect((await load(token)).data.state).toBe("new");
  });

  it("keeps exactly 12 and 256 characters as the limits", async () => {
    const short = await invite();
    expect((await createAccount(short.token, { password: "twelve chars", confirmPassword: "twelve chars" })).status).toBe(302);
    const long = await invite();
    expect((await createAccount(long.token, { password: "p".repeat(256), confirmPassword: "p".repeat(256) })).status).toBe(302);
  });
});

describe("accepting as an existing user", () => {
  it("sends a signed-out visitor to sign in, then back to the link", async () => {
    const existing = world.other.users.chair;
    const { token } = await invite({ email: existing.email, role: "coordinator", agencyId: null });
    const result = await load(token);
    expect(result.status).toBe(302);
    expect(result.location).toBe(`/sign-in?redirectTo=${encodeURIComponent(`/invitations/${token}`)}`);
    const posted = await submit(token, { intent: "accept" });
    expect(posted.status).toBe(302);
    expect(posted.location).toMatch(/^\/sign-in\?redirectTo=/);
    // Choosing a password instead is not a way round signing in.
    const created = await createAccount(token);
    expect(created.status).toBe(302);
    expect(created.location).toMatch(/^\/sign-in\?redirectTo=/);
    const rows = await getDb()
      .select()
      .from(memberships)
      .where(and(eq(memberships.userId, existing.id), eq(memberships.areaId, world.home.area.id)));
    expect(rows).toHaveLength(0);
  });

  it("refuses someone signed in as a different account", async () => {
    const { token, invitation } = await invite({ email: world.other.users.idva.email, role: "chair", agencyId: null });
    const cookie = await sessionCookieFor(world.home.users.coordinator.id);
    const shown = await load(token, cookie);
    expect(shown.status).toBe(403);
    expect(shown.data.state).toBe("wrongAccount");
    expect((await submit(token, { intent: "accept" }, cookie)).status).toBe(403);
    expect((await invitationRow(invitation.id)).acceptedAt).toBeNull();
  });

  it("adds the membership for the signed-in invitee and audits it", async () => {
    const existing = world.other.users.agency_rep;
    const { token, invitation } = await invite({ email: existing.email, role: "agency_rep", agencyId: world.home.agencies.health.id });
    const cookie = await sessionCookieFor(existing.id);
    const shown = await load(token, cookie);
    expect(shown.status).toBe(200);
    expect(shown.data.state).toBe("existing");
    const result = await submit(token, { intent: "accept" }, cookie);
    expect(result.status).toBe(302);
    expect(result.location).toBe(`/areas/${world.home.area.code.toLowerCase()}`);
    const rows = await getDb().select().from(memberships).where(eq(memberships.userId, existing.id));
    expect(rows.map((r) => [r.areaId, r.role]).sort()).toEqual(
      [
        [world.other.area.id, "agency_rep"],
        [world.home.area.id, "agency_rep"],
      ].sort(),
    );
    expect((await invitationRow(invitation.id)).acceptedAt).not.toBeNull();
    const [audit] = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "invitation.accepted"), eq(auditEvents.entityId, invitation.id)));
    expect(audit).toMatchObject({ userId: existing.id, areaId: world.home.area.id, detail: { newUser: false } });
    expect((await submit(token, { intent: "accept" }, cookie)).status).toBe(410);
  });

  it("stores only the hash of the token", async () => {
    const { token, invitation } = await invite();
    const row = await invitationRow(invitation.id);
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(existsSync(process.env.MAIL_DIR!)).toBe(true);
  });
});
