import { runOutboxOnce } from "~/models/outbox.server";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { makeAgency, makeUser } from "#db/factories";
import { agencies, auditEvents, invitations, memberships, mfaRecoveryCodes, sessions, users } from "#db/schema";
import { hashToken } from "~/lib/crypto.server";
import { setMemberActive } from "~/models/users.server";
import * as memberRoute from "~/routes/areas.$area.admin.users.$userId/route";
import * as listRoute from "~/routes/areas.$area.admin.users._index";
import * as inviteRoute from "~/routes/areas.$area.admin.users.invite/route";
import { buildWorld, invoke, makeRequest, sessionCookieFor, type World } from "../support/world";

let world: World;
let adminCookie: string;
let code: string;
beforeAll(async () => {
  world = await buildWorld();
  adminCookie = await sessionCookieFor(world.home.users.admin.id);
  code = world.home.area.code.toLowerCase();
});

const base = () => `/areas/${code}/admin/users`;

/** Post the invite form, then let the outbox worker deliver whatever was queued. */
async function invite(form: Record<string, string>, cookie = adminCookie) {
  const result = await invoke(inviteRoute.action, makeRequest(`${base()}/invite`, { form, cookie }), { area: code });
  await runOutboxOnce();
  return result;
}

function post(userId: string, form: Record<string, string>, cookie = adminCookie) {
  return invoke(memberRoute.action, makeRequest(`${base()}/${userId}`, { form, cookie }), { area: code, userId });
}

async function invitationsFor(email: string) {
  return getDb().select().from(invitations).where(eq(invitations.email, email));
}

async function membershipsOf(userId: string) {
  return getDb()
    .select()
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.areaId, world.home.area.id)));
}

async function audits(action: string, entityId?: string) {
  const rows = await getDb().select().from(auditEvents).where(eq(auditEvents.action, action));
  return entityId ? rows.filter((r) => r.entityId === entityId) : rows;
}

function allEmails(): string[] {
  const dir = process.env.MAIL_DIR!;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".eml"))
    .sort()
    .map((f) => readFileSync(path.join(dir, f), "utf8"));
}

const emailsTo = (to: string) => allEmails().filter((raw) => raw.includes(`To: ${to}`));

/** Decode quoted-printable soft breaks so the link reads as one line. */
const unfold = (raw: string) => raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");

async function newMember(role: "agency_rep" | "idva" | "coordinator" | "chair" | "admin", agencyId?: string) {
  return makeUser(getDb(), {
    email: `member.${Math.random().toString(36).slice(2)}@example.org`,
    name: "Morgan Member",
    memberships: [{ areaId: world.home.area.id, role, agencyId }],
  });
}

describe("user list", () => {
  it("lists the panel's members with roles, agency, status and two-factor, and no one from another panel", async () => {
    const result = await invoke(listRoute.loader, makeRequest(base(), { cookie: adminCookie }), { area: code });
    expect(result.status).toBe(200);
    const rep = result.data.members.find((m: { userId: string }) => m.userId === world.home.users.agency_rep.id);
    expect(rep).toMatchObject({ active: true, twoFactor: false, roles: [{ role: "agency_rep", agencyName: "Health Board" }] });
    const ids = result.data.members.map((m: { userId: string }) => m.userId);
    expect(ids).not.toContain(world.other.users.admin.id);
  });
});

describe("inviting a user", () => {
  const good = () => ({ name: "Nia Newcomer", email: "Nia.Newcomer@Example.org", role: "agency_rep", agencyId: world.home.agencies.health.id });

  it("stores only the token's hash, expires in 7 days, audits, and emails just the link", async () => {
    const result = await invite(good());
    expect(result.status).toBe(302);
    expect(result.location).toBe(base());
    const [row] = await invitationsFor("nia.newcomer@example.org");
    expect(row).toMatchObject({ role: "agency_rep", agencyId: world.home.agencies.health.id, name: "Nia Newcomer", invitedBy: world.home.users.admin.id });
    const days = (row.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    expect(await audits("invitation.created", row.id)).toHaveLength(1);

    const mails = emailsTo("nia.newcomer@example.org");
    expect(mails).toHaveLength(1);
    const mail = unfold(mails[0]);
    expect(mail).toContain("Subject: You have been invited to Panel");
    const token = /http:\/\/127\.0\.0\.1:3000\/invitations\/([a-z2-7]+)/.exec(mail)![1];
    expect(hashToken(token)).toBe(row.tokenHash);
    expect(row.tokenHash).not.toContain(token);
    for (const secret of ["Nia Newcomer", world.home.area.name, "Health Board", world.home.users.admin.name, "Agency representative"]) {
      expect(mail).not.toContain(secret);
    }
    const listed = await invoke(listRoute.loader, makeRequest(base(), { cookie: adminCookie }), { area: code });
    expect(listed.data.invitations.map((i: { email: string }) => i.email)).toContain("nia.newcomer@example.org");
  });

  it.each([
    ["an empty name", { name: "" }, "name", "admin:errors.nameRequired"],
    ["a name that is too long", { name: "n".repeat(121) }, "name", 'errors.tooLong|{"max":120}'],
    ["markup in the name", { name: "<script>alert(1)</script>" }, "name", "errors.noMarkup"],
    ["an empty email", { email: "" }, "email", "errors.emailRequired"],
    ["a malformed email", { email: "someone" }, "email", "errors.emailInvalid"],
    ["an unknown role", { role: "superuser" }, "role", "admin:errors.roleRequired"],
    ["no agency for an agency representative", { role: "agency_rep", agencyId: "" }, "agencyId", "admin:errors.agencyRequired"],
    ["no agency for an IDVA", { role: "idva", agencyId: "" }, "agencyId", "admin:errors.agencyRequired"],
    ["an agency id that is not an id", { agencyId: "police" }, "agencyId", "errors.invalid"],
    ["someone who already has the role", { email: "PLACEHOLDER", role: "agency_rep" }, "email", "admin:errors.alreadyMember"],
  ])("rejects %s with 400, the message on the field, and sends nothing", async (_label, change, field, message) => {
    const form = { ...good(), email: `bad.${Math.random().toString(36).slice(2)}@example.org`, ...change };
    if (form.email === "PLACEHOLDER") form.email = world.home.users.agency_rep.email;
    const before = (await getDb().select().from(invitations)).length;
    const mailBefore = allEmails().length;
    const result = await invite(form);
    expect(result.status).toBe(400);
    expect(result.data.result.error[field]).toContain(message);
    expect((await getDb().select().from(invitations)).length).toBe(before);
    expect(allEmails()).toHaveLength(mailBefore);
  });

  it("refuses a second pending invitation to the same address", async () => {
    const form = { ...good(), email: "twice@example.org" };
    expect((await invite(form)).status).toBe(302);
    const again = await invite(form);
    expect(again.status).toBe(400);
    expect(again.data.result.error.email).toContain("admin:errors.alreadyInvited");
    expect(await invitationsFor("twice@example.org")).toHaveLength(1);
  });

  it("allows an admin, coordinator or chair without an agency", async () => {
    expect((await invite({ name: "Cai Coordinator", email: "cai@example.org", role: "coordinator", agencyId: "" })).status).toBe(302);
    const [row] = await invitationsFor("cai@example.org");
    expect(row.agencyId).toBeNull();
  });

  it("answers 404 for another panel's agency or an unknown agency, and saves nothing", async () => {
    for (const agencyId of [world.other.agencies.health.id, "2b1f9a55-7d0e-4c1a-8f3e-5a6b7c8d9e0f"]) {
      const result = await invite({ ...good(), email: "foreign.agency@example.org", agencyId });
      expect(result.status).toBe(404);
    }
    expect(await invitationsFor("foreign.agency@example.org")).toHaveLength(0);
    expect(emailsTo("foreign.agency@example.org")).toHaveLength(0);
  });

  it("refuses an inactive agency", async () => {
    const closed = await makeAgency(getDb(), { areaId: world.home.area.id, name: "Closed Service", kind: "other" });
    await getDb().update(agencies).set({ active: false }).where(eq(agencies.id, closed.id));
    const result = await invite({ ...good(), email: "closed@example.org", agencyId: closed.id });
    expect(result.status).toBe(400);
    expect(result.data.result.error.agencyId).toContain("admin:errors.agencyInactive");
  });
});

describe("revoking an invitation", () => {
  it("revokes a pending invitation and audits it; a second revoke is 404", async () => {
    expect((await invite({ name: "Rhys Revoked", email: "rhys@example.org", role: "chair", agencyId: "" })).status).toBe(302);
    const [row] = await invitationsFor("rhys@example.org");
    const form = { invitationId: row.id };
    const result = await invoke(listRoute.action, makeRequest(base(), { form, cookie: adminCookie }), { area: code });
    expect(result.status).toBe(302);
    const [after] = await invitationsFor("rhys@example.org");
    expect(after.revokedAt).not.toBeNull();
    expect(await audits("invitation.revoked", row.id)).toHaveLength(1);
    expect((await invoke(listRoute.action, makeRequest(base(), { form, cookie: adminCookie }), { area: code })).status).toBe(404);
  });

  it("answers 404 for another panel's invitation, an unknown id or a malformed id", async () => {
    const otherCookie = await sessionCookieFor(world.other.users.admin.id);
    const otherCode = world.other.area.code.toLowerCase();
    const made = await invoke(
      inviteRoute.action,
      makeRequest(`/areas/${otherCode}/admin/users/invite`, { form: { name: "Elsewhere", email: "elsewhere@example.org", role: "chair" }, cookie: otherCookie }),
      { area: otherCode },
    );
    expect(made.status).toBe(302);
    const [foreign] = await invitationsFor("elsewhere@example.org");
    for (const invitationId of [foreign.id, "0f1e2d3c-4b5a-4969-8877-665544332211", "nope", ""]) {
      const result = await invoke(listRoute.action, makeRequest(base(), { form: { invitationId }, cookie: adminCookie }), { area: code });
      expect(result.status).toBe(404);
    }
    const [still] = await invitationsFor("elsewhere@example.org");
    expect(still.revokedAt).toBeNull();
  });
});

describe("member detail", () => {
  it("shows a member, and answers 404 for someone who is not a member of this panel", async () => {
    const rep = world.home.users.agency_rep;
    const shown = await invoke(memberRoute.loader, makeRequest(`${base()}/${rep.id}`, { cookie: adminCookie }), { area: code, userId: rep.id });
    expect(shown.status).toBe(200);
    expect(shown.data.member).toMatchObject({ userId: rep.id, email: rep.email, roles: [{ role: "agency_rep" }] });
    for (const userId of [world.other.users.agency_rep.id, "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", "x"]) {
      const result = await invoke(memberRoute.loader, makeRequest(`${base()}/${userId}`, { cookie: adminCookie }), { area: code, userId });
      expect(result.status).toBe(404);
      expect((await post(userId, { intent: "disable" })).status).toBe(404);
    }
    const [other] = await getDb().select().from(memberships).where(eq(memberships.userId, world.other.users.agency_rep.id));
    expect(other.active).toBe(true);
  });

  it("changes a role and agency, audits it, and refuses a second change from the same version", async () => {
    const user = await newMember("agency_rep", world.home.agencies.health.id);
    const [m] = await membershipsOf(user.id);
    const first = await post(user.id, { intent: "change-role", membershipId: m.id, role: "idva", agencyId: world.home.agencies.idvaService.id, version: "1" });
    expect(first.status).toBe(302);
    const second = await post(user.id, { intent: "change-role", membershipId: m.id, role: "chair", agencyId: "", version: "1" });
    expect(second.status).toBe(409);
    expect(second.data.conflict).toBe("errors.stale");
    const [after] = await membershipsOf(user.id);
    expect(after).toMatchObject({ role: "idva", agencyId: world.home.agencies.idvaService.id, version: 2 });
    const [audit] = await audits("membership.changed", m.id);
    expect(audit.detail).toMatchObject({ from: { role: "agency_rep" }, to: { role: "idva" } });
  });

  it.each([
    ["an agency role without an agency", { role: "agency_rep", agencyId: "" }, "agencyId", "admin:errors.agencyRequired"],
    ["an unknown role", { role: "owner" }, "role", "admin:errors.roleRequired"],
    ["a malformed version", { version: "latest" }, "version", "errors.invalid"],
  ])("rejects a role change with %s (400, nothing saved)", async (_label, change, field, message) => {
    const user = await newMember("agency_rep", world.home.agencies.health.id);
    const [m] = await membershipsOf(user.id);
    const result = await post(user.id, { intent: "change-role", membershipId: m.id, role: "idva", agencyId: world.home.agencies.idvaService.id, version: "1", ...change });
    expect(result.status).toBe(400);
    expect(result.data.result.error[field]).toContain(message);
    expect((await membershipsOf(user.id))[0]).toMatchObject({ role: "agency_rep", version: 1 });
  });

  it("answers 404 for another panel's agency or membership in a role change", async () => {
    const user = await newMember("agency_rep", world.home.agencies.health.id);
    const [m] = await membershipsOf(user.id);
    const foreignAgency = await post(user.id, { intent: "change-role", membershipId: m.id, role: "agency_rep", agencyId: world.other.agencies.police.id, version: "1" });
    expect(foreignAgency.status).toBe(404);
    const [foreignMembership] = await getDb().select().from(memberships).where(eq(memberships.userId, world.other.users.chair.id));
    const foreign = await post(user.id, { intent: "change-role", membershipId: foreignMembership.id, role: "admin", agencyId: "", version: "1" });
    expect(foreign.status).toBe(404);
    // A membership of someone else in this panel cannot be changed through this person's page either.
    const [chairs] = await membershipsOf(world.home.users.chair.id);
    expect((await post(user.id, { intent: "change-role", membershipId: chairs.id, role: "admin", agencyId: "", version: "1" })).status).toBe(404);
    expect((await getDb().select().from(memberships).where(eq(memberships.id, foreignMembership.id)))[0].role).toBe("chair");
    expect((await membershipsOf(world.home.users.chair.id))[0].role).toBe("chair");
  });

  it("adds another role, and refuses one the member already has", async () => {
    const user = await newMember("chair");
    const added = await post(user.id, { intent: "add-role", role: "coordinator", agencyId: world.home.agencies.police.id });
    expect(added.status).toBe(302);
    const rows = await membershipsOf(user.id);
    expect(rows.map((r) => r.role).sort()).toEqual(["chair", "coordinator"]);
    expect(await audits("membership.added", rows.find((r) => r.role === "coordinator")!.id)).toHaveLength(1);
    const again = await post(user.id, { intent: "add-role", role: "chair" });
    expect(again.status).toBe(400);
    expect(again.data.result.error.role).toContain("admin:errors.roleHeld");
    const noAgency = await post(user.id, { intent: "add-role", role: "idva" });
    expect(noAgency.status).toBe(400);
    expect(noAgency.data.result.error.agencyId).toContain("admin:errors.agencyRequired");
    expect(await membershipsOf(user.id)).toHaveLength(2);
  });

  it("disables a member's access here and signs them out; re-enabling restores it; both audited", async () => {
    const user = await newMember("agency_rep", world.home.agencies.police.id);
    await sessionCookieFor(user.id);
    expect(await getDb().select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1);
    expect((await post(user.id, { intent: "disable" })).status).toBe(302);
    expect((await membershipsOf(user.id)).every((m) => !m.active)).toBe(true);
    expect(await getDb().select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
    expect(await audits("user.disabled", user.id)).toHaveLength(1);
    const shown = await invoke(memberRoute.loader, makeRequest(`${base()}/${user.id}`, { cookie: adminCookie }), { area: code, userId: user.id });
    expect(shown.data.member.active).toBe(false);
    expect((await post(user.id, { intent: "enable" })).status).toBe(302);
    expect((await membershipsOf(user.id)).every((m) => m.active)).toBe(true);
    expect(await audits("user.enabled", user.id)).toHaveLength(1);
  });

  it("will not let an admin disable themselves or remove the last active admin", async () => {
    const self = await post(world.home.users.admin.id, { intent: "disable" });
    expect(self.status).toBe(400);
    expect(self.data.result.error[""]).toContain("admin:errors.cannotDisableSelf");
    const [mine] = await membershipsOf(world.home.users.admin.id);
    const demote = await post(world.home.users.admin.id, { intent: "change-role", membershipId: mine.id, role: "coordinator", agencyId: "", version: String(mine.version) });
    expect(demote.status).toBe(400);
    expect(demote.data.result.error[""]).toContain("admin:errors.lastAdmin");
    await expect(
      setMemberActive({ actor: { userId: world.home.users.coordinator.id }, areaId: world.home.area.id, userId: world.home.users.admin.id, active: false }),
    ).rejects.toMatchObject({ code: "INVALID", messageKey: "admin:errors.lastAdmin" });
    expect((await membershipsOf(world.home.users.admin.id))[0]).toMatchObject({ role: "admin", active: true });
  });

  it("lets an admin step down once another admin is active", async () => {
    const deputy = await newMember("admin");
    const [m] = await membershipsOf(deputy.id);
    const cookie = await sessionCookieFor(deputy.id);
    const result = await post(deputy.id, { intent: "change-role", membershipId: m.id, role: "chair", agencyId: "", version: "1" }, cookie);
    expect(result.status).toBe(302);
    expect((await membershipsOf(deputy.id))[0].role).toBe("chair");
  });

  it("resets two-factor: clears the key, recovery codes and sessions, and audits it", async () => {
    const user = await newMember("coordinator", world.home.agencies.police.id);
    await getDb().update(users).set({ totpKeyEncrypted: "encrypted", totpEnabledAt: new Date() }).where(eq(users.id, user.id));
    await getDb().insert(mfaRecoveryCodes).values([{ userId: user.id, codeHash: "a" }, { userId: user.id, codeHash: "b" }]);
    await sessionCookieFor(user.id);
    expect((await post(user.id, { intent: "reset-two-factor" })).status).toBe(302);
    const [row] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect(row).toMatchObject({ totpKeyEncrypted: null, totpEnabledAt: null });
    expect(await getDb().select().from(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, user.id))).toHaveLength(0);
    expect(await getDb().select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
    expect(await audits("user.two_factor_reset", user.id)).toHaveLength(1);
  });

  it("rejects an unknown intent with 400", async () => {
    const result = await post(world.home.users.chair.id, { intent: "promote" });
    expect(result.status).toBe(400);
  });
});

describe("who may manage users", () => {
  for (const role of ["coordinator", "chair", "agency_rep", "idva"] as const) {
    it(`answers 403 to a ${role} of the same panel on every user page and form`, async () => {
      const cookie = await sessionCookieFor(world.home.users[role].id);
      const target = world.home.users.chair.id;
      const p = { area: code, userId: target };
      expect((await invoke(listRoute.loader, makeRequest(base(), { cookie }), p)).status).toBe(403);
      expect((await invoke(listRoute.action, makeRequest(base(), { cookie, form: { invitationId: "x" } }), p)).status).toBe(403);
      expect((await invoke(inviteRoute.loader, makeRequest(`${base()}/invite`, { cookie }), p)).status).toBe(403);
      expect((await invite({ name: "Sneaky", email: `sneaky.${role}@example.org`, role: "admin" }, cookie)).status).toBe(403);
      expect((await invoke(memberRoute.loader, makeRequest(`${base()}/${target}`, { cookie }), p)).status).toBe(403);
      expect((await post(target, { intent: "disable" }, cookie)).status).toBe(403);
      expect((await post(target, { intent: "reset-two-factor" }, cookie)).status).toBe(403);
      expect((await post(target, { intent: "add-role", role: "admin" }, cookie)).status).toBe(403);
      expect(await invitationsFor(`sneaky.${role}@example.org`)).toHaveLength(0);
      expect((await membershipsOf(target)).map((m) => [m.role, m.active])).toEqual([["chair", true]]);
    });
  }
});
