import { runOutboxOnce } from "~/models/outbox.server";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { and, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { auditEvents, passwordResets, sessions, users } from "#db/schema";
import { hashToken, verifyPassword } from "~/lib/crypto.server";
import { createSession, SESSION_COOKIE } from "~/models/auth/sessions.server";
import { CLIENT_IP_HEADER } from "~/policy/index.server";
import * as changePasswordRoute from "~/routes/account.password/route";
import * as forgotRoute from "~/routes/password.forgot/route";
import * as resetRoute from "~/routes/password.reset.$token/route";
import * as signInRoute from "~/routes/sign-in/route";
import { buildWorld, invoke, makeRequest, PASSWORD, sessionCookieFor, type World } from "../support/world";

let world: World;
beforeAll(async () => {
  world = await buildWorld();
});

const NEW_PASSWORD = "a new and long passphrase";
let ipCounter = 10;
/** Each test asks from its own address so the per-address limit is its own. */
const nextIp = () => `10.0.0.${ipCounter++}`;

function fromIp(request: Request, ip: string) {
  request.headers.set(CLIENT_IP_HEADER, ip);
  return request;
}

/** Ask for a reset, then let the outbox worker deliver what was queued. */
async function forgot(email: string, ip: string) {
  const result = await invoke(forgotRoute.action, fromIp(makeRequest("/password/forgot", { form: { email } }), ip));
  await runOutboxOnce();
  return result;
}

function mailFiles(): string[] {
  const dir = process.env.MAIL_DIR!;
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".eml")).sort().map((f) => path.join(dir, f)) : [];
}

/** The newest email to `email`: its subject and its body (every part, quoted-printable decoded). */
function latestMailTo(email: string) {
  for (const file of mailFiles().reverse()) {
    const raw = readFileSync(file, "utf8");
    if (!raw.includes(`To: ${email}`)) continue;
    const split = raw.search(/\r?\n\r?\n/);
    const headers = raw.slice(0, split);
    const body = Buffer.from(
      raw
        .slice(split)
        .replace(/=\r?\n/g, "")
        .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      "latin1",
    ).toString("utf8");
    return { headers, subject: /^Subject: (.*)$/m.exec(headers)![1], body };
  }
  throw new Error(`no email to ${email}`);
}

function tokenFor(email: string) {
  return /http:\/\/127\.0\.0\.1:3000\/password\/reset\/([a-z2-7]+)/.exec(latestMailTo(email).body)![1];
}

async function userRow(id: string) {
  const [row] = await getDb().select().from(users).where(eq(users.id, id));
  return row;
}

const reset = (token: string, form: Record<string, string>) =>
  invoke(resetRoute.action, makeRequest(`/password/reset/${token}`, { form }), { token });
const resetPage = (token: string) => invoke(resetRoute.loader, makeRequest(`/password/reset/${token}`), { token });

describe("asking for a reset link", () => {
  it("answers the same for a known and an unknown email, and emails only the known one", async () => {
    const before = mailFiles().length;
    const known = await forgot(world.home.users.chair.email.toUpperCase(), nextIp());
    const unknown = await forgot("nobody@example.org", nextIp());
    expect(known.status).toBe(302);
    expect(unknown.status).toBe(302);
    expect(known.location).toBe("/password/forgot?sent=1");
    expect(unknown.location).toBe(known.location);
    expect(mailFiles().length).toBe(before + 1);
    const page = await invoke(forgotRoute.loader, makeRequest("/password/forgot?sent=1"));
    expect(page.data).toEqual({ sent: true });
    const audit = await getDb().select().from(auditEvents).where(eq(auditEvents.action, "auth.password_reset_requested"));
    expect(audit.map((a) => a.detail.sent).sort()).toEqual([false, true]);
    expect(audit.every((a) => a.areaId === null)).toBe(true);
  });

  it("emails a one-hour link and no personal data beyond the greeting name", async () => {
    const user = world.home.users.agency_rep;
    await forgot(user.email, nextIp());
    const mail = latestMailTo(user.email);
    expect(mail.subject).toBe("Reset your Panel password");
    const token = tokenFor(user.email);
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(mail.body).toContain(`href="http://127.0.0.1:3000/password/reset/${token}"`);
    expect(mail.body).toContain(`Hello ${user.name},`);
    // The name appears in the greeting and nowhere else.
    const body = `${mail.subject}\n${mail.body}`.replaceAll(`Hello ${user.name},`, "");
    for (const personal of [user.name, user.email, world.home.area.name, world.home.area.code, world.home.agencies.health.name, "agency_rep", user.id]) {
      expect(body).not.toContain(personal);
    }
    const [row] = await getDb().select().from(passwordResets).where(eq(passwordResets.id, hashToken(token)));
    expect(row.userId).toBe(user.id);
    expect(Math.abs(row.expiresAt.getTime() - (Date.now() + 60 * 60 * 1000))).toBeLessThan(60_000);
    // Only the hash is stored.
    expect(await getDb().select().from(passwordResets).where(eq(passwordResets.id, token))).toHaveLength(0);
  });

  it.each([
    ["", "errors.emailRequired"],
    ["not-an-email", "errors.emailInvalid"],
    [`${"a".repeat(260)}@example.org`, 'errors.tooLong|{"max":254}'],
    ["<script>alert(1)</script>@example.org", "errors.emailInvalid"],
  ])("refuses the email %j with %s and sends nothing", async (email, message) => {
    const before = mailFiles().length;
    const result = await forgot(email, nextIp());
    expect(result.status).toBe(400);
    expect(result.data.result.error.email).toContain(message);
    expect(mailFiles().length).toBe(before);
  });

  it("limits requests per address and per email with a 429 message", async () => {
    const ip = nextIp();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await forgot(`flood${i}@example.org`, ip)).status);
    expect(statuses).toEqual([302, 302, 302, 302, 302, 429]);
    const limited = await forgot("flood-next@example.org", ip);
    expect(limited.status).toBe(429);
    expect(limited.data.result.error[""]).toEqual(["errors.tooManyRequests"]);

    const email = world.other.users.coordinator.email;
    const before = mailFiles().length;
    for (let i = 0; i < 5; i++) expect((await forgot(email, nextIp())).status).toBe(302);
    const byEmail = await forgot(email, nextIp());
    expect(byEmail.status).toBe(429);
    expect(byEmail.data.result.error[""]).toEqual(["errors.tooManyRequests"]);
    expect(mailFiles().length).toBe(before + 5);
  });
});

describe("choosing a new password from the link", () => {
  it("works once: changes the password, clears the lockout, ends every session and says so on sign-in", async () => {
    const user = world.home.users.idva;
    await forgot(user.email, nextIp());
    const token = tokenFor(user.email);
    await createSession({ userId: user.id, twoFactorVerified: true });
    await createSession({ userId: user.id, twoFactorVerified: false });
    await getDb().update(users).set({ failedSignIns: 3, lockedUntil: new Date(Date.now() + 10 * 60 * 1000) }).where(eq(users.id, user.id));

    expect((await resetPage(token)).status).toBe(200);
    const result = await reset(token, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    expect(result.status).toBe(302);
    expect(result.location).toBe("/sign-in");
    expect(result.response!.headers.get("Set-Cookie")).toContain("panel_flash=");

    const row = await userRow(user.id);
    expect(await verifyPassword(row.passwordHash!, NEW_PASSWORD)).toBe(true);
    expect(row.failedSignIns).toBe(0);
    expect(row.lockedUntil).toBeNull();
    expect(await getDb().select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
    expect(await getDb().select().from(passwordResets).where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt)))).toHaveLength(0);
    const audit = await getDb().select().from(auditEvents).where(and(eq(auditEvents.userId, user.id), eq(auditEvents.action, "auth.password_reset")));
    expect(audit).toHaveLength(1);

    const signIn = await invoke(signInRoute.action, makeRequest("/sign-in", { form: { email: user.email, password: NEW_PASSWORD } }));
    expect(signIn.status).toBe(302);

    // The link is spent.
    expect((await resetPage(token)).status).toBe(410);
    expect((await resetPage(token)).data).toEqual({ valid: false });
    const again = await reset(token, { password: "yet another passphrase", confirmPassword: "yet another passphrase" });
    expect(again.status).toBe(410);
    expect(await verifyPassword((await userRow(user.id)).passwordHash!, NEW_PASSWORD)).toBe(true);
  });

  it("refuses an expired link and an unknown one", async () => {
    const user = world.other.users.chair;
    await forgot(user.email, nextIp());
    const token = tokenFor(user.email);
    await getDb().update(passwordResets).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(passwordResets.id, hashToken(token)));
    expect((await resetPage(token)).status).toBe(410);
    expect((await reset(token, { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })).status).toBe(410);
    expect(await verifyPassword((await userRow(user.id)).passwordHash!, PASSWORD)).toBe(true);
    expect((await resetPage("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")).status).toBe(410);
    expect((await reset("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })).status).toBe(410);
  });

  it.each([
    [{ password: "", confirmPassword: "" }, "password", "auth:errors.newPasswordRequired"],
    [{ password: "short", confirmPassword: "short" }, "password", "auth:errors.passwordTooShort"],
    [{ password: "x".repeat(257), confirmPassword: "x".repeat(257) }, "password", "auth:errors.passwordTooLong"],
    [{ password: NEW_PASSWORD, confirmPassword: "something else entirely" }, "confirmPassword", "auth:errors.passwordsDiffer"],
    [{ password: NEW_PASSWORD, confirmPassword: "" }, "confirmPassword", "auth:errors.confirmRequired"],
    [{ password: "EMAIL", confirmPassword: "EMAIL" }, "password", "auth:errors.passwordIsEmail"],
  ])("refuses %j with a message on %s and changes nothing", async (form, field, message) => {
    const user = world.other.users.agency_rep;
    await forgot(user.email, nextIp());
    const token = tokenFor(user.email);
    const values = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v === "EMAIL" ? user.email.toUpperCase() : v]));
    const result = await reset(token, values);
    expect(result.status).toBe(400);
    expect(result.data.result.error[field]).toEqual([message]);
    // Secrets are not sent back to the page.
    expect(result.data.result.initialValue.password).toBeUndefined();
    expect(await verifyPassword((await userRow(user.id)).passwordHash!, PASSWORD)).toBe(true);
    expect((await resetPage(token)).status).toBe(200);
  });
});

describe("changing the password when signed in", () => {
  it("needs the current password, keeps this session and ends the others", async () => {
    const user = world.other.users.admin;
    const cookie = await sessionCookieFor(user.id);
    const other = await createSession({ userId: user.id, twoFactorVerified: true });
    const post = (form: Record<string, string>) => invoke(changePasswordRoute.action, makeRequest("/account/password", { cookie, form }));

    const cases: [Record<string, string>, string, string][] = [
      [{ currentPassword: "", password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, "currentPassword", "auth:errors.currentPasswordRequired"],
      [{ currentPassword: PASSWORD, password: "short", confirmPassword: "short" }, "password", "auth:errors.passwordTooShort"],
      [{ currentPassword: PASSWORD, password: NEW_PASSWORD, confirmPassword: "different" }, "confirmPassword", "auth:errors.passwordsDiffer"],
      [{ currentPassword: PASSWORD, password: user.email, confirmPassword: user.email }, "password", "auth:errors.passwordIsEmail"],
      [{ currentPassword: "not it", password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, "currentPassword", "auth:errors.currentPasswordWrong"],
    ];
    for (const [form, field, message] of cases) {
      const result = await post(form);
      expect(result.status).toBe(400);
      expect(result.data.result.error[field]).toEqual([message]);
      expect(await verifyPassword((await userRow(user.id)).passwordHash!, PASSWORD)).toBe(true);
    }
    expect((await userRow(user.id)).failedSignIns).toBe(1);

    const done = await post({ currentPassword: PASSWORD, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    expect(done.status).toBe(302);
    expect(done.location).toBe("/account");
    const row = await userRow(user.id);
    expect(await verifyPassword(row.passwordHash!, NEW_PASSWORD)).toBe(true);
    expect(row.failedSignIns).toBe(0);
    const left = await getDb().select().from(sessions).where(eq(sessions.userId, user.id));
    expect(left.map((s) => s.id)).toEqual([hashToken(cookie.replace(`${SESSION_COOKIE}=`, ""))]);
    expect(left.some((s) => s.id === other.session.id)).toBe(false);
  });
});
