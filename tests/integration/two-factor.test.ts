import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP, generateTOTP } from "@oslojs/otp";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "#db/client";
import { areas, auditEvents, mfaRecoveryCodes, sessions, users } from "#db/schema";
import { decrypt, hashToken } from "~/lib/crypto.server";
import { createSession, SESSION_COOKIE } from "~/models/auth/sessions.server";
import { sealPendingKey } from "~/models/auth/two-factor.server";
import { requireUser } from "~/policy/index.server";
import * as accountRoute from "~/routes/account._index/route";
import * as recoveryCodesRoute from "~/routes/account.two-factor.recovery-codes/route";
import * as regenerateRoute from "~/routes/account.two-factor.regenerate/route";
import * as setupRoute from "~/routes/account.two-factor.setup/route";
import * as turnOffRoute from "~/routes/account.two-factor.turn-off/route";
import * as recoverySignInRoute from "~/routes/sign-in.recovery-code/route";
import * as signInRoute from "~/routes/sign-in/route";
import * as twoFactorRoute from "~/routes/sign-in.two-factor/route";
import { buildWorld, invoke, makeRequest, PASSWORD, sessionCookieFor, type World } from "../support/world";

let world: World;

// Codes depend on the clock: freeze it a few seconds into a 30-second step so
// the test knows exactly which steps are current (database timers still run).
beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Math.floor(Date.now() / 30_000) * 30_000 + 5_000);
  world = await buildWorld();
});
afterAll(() => {
  vi.useRealTimers();
});

const step = () => Math.floor(Date.now() / 30_000);
/** The code for the current step plus `offset` (the server accepts -1, 0 and +1). */
const codeAt = (key: Uint8Array, offset = 0) => generateHOTP(key, BigInt(step() + offset), 6);
const wrongCode = (key: Uint8Array) => String((Number(codeAt(key)) + 1) % 1_000_000).padStart(6, "0");
const nextStep = () => vi.setSystemTime(Date.now() + 30_000);

async function userRow(id: string) {
  const [row] = await getDb().select().from(users).where(eq(users.id, id));
  return row;
}

async function recoveryRows(userId: string) {
  return getDb().select().from(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId));
}

async function pendingCookie(userId: string) {
  const { token, session } = await createSession({ userId, twoFactorVerified: false });
  return { cookie: `${SESSION_COOKIE}=${token}`, sessionId: session.id };
}

async function sessionVerified(sessionId: string) {
  const [row] = await getDb().select().from(sessions).where(eq(sessions.id, sessionId));
  return row.twoFactorVerified;
}

async function openSetup(cookie: string) {
  const page = await invoke(setupRoute.loader, makeRequest("/account/two-factor/setup", { cookie }));
  expect(page.status).toBe(200);
  const { pendingKey, keyText, qrSvg } = page.data.enrolment as { pendingKey: string; keyText: string; qrSvg: string };
  return { pendingKey, keyText, qrSvg, key: decodeBase32IgnorePadding(keyText.replace(/ /g, "")), required: page.data.required as boolean };
}

const postSetup = (cookie: string, form: Record<string, string>) =>
  invoke(setupRoute.action, makeRequest("/account/two-factor/setup", { cookie, form }));

/** Turn two-factor on through the pages; returns the key and the recovery codes shown. */
async function enrol(userId: string) {
  const cookie = await sessionCookieFor(userId);
  const { pendingKey, key } = await openSetup(cookie);
  const result = await postSetup(cookie, { pendingKey, code: codeAt(key, -1) });
  expect(result.status).toBe(302);
  const codesCookie = /panel_recovery_codes=[^;]+/.exec(result.response!.headers.get("Set-Cookie")!)![0];
  const shown = await invoke(recoveryCodesRoute.loader, makeRequest("/account/two-factor/recovery-codes", { cookie: `${cookie}; ${codesCookie}` }));
  return { key, cookie, recoveryCodes: shown.data.codes as string[] };
}

async function expectNothingSaved(userId: string) {
  const row = await userRow(userId);
  expect(row.totpKeyEncrypted).toBeNull();
  expect(row.totpEnabledAt).toBeNull();
  expect(await recoveryRows(userId)).toHaveLength(0);
}

describe("two-factor enrolment", () => {
  it("stores the key encrypted, verifies the session and shows ten recovery codes once", async () => {
    const user = world.home.users.coordinator;
    const { cookie, sessionId } = await pendingCookie(user.id);
    const { pendingKey, keyText, key, qrSvg } = await openSetup(cookie);
    expect(keyText).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    expect(qrSvg).toMatch(/^<svg [^>]*viewBox/);
    expect(qrSvg).not.toMatch(/<script|style=/i);
    expect(pendingKey).not.toContain(keyText.replace(/ /g, ""));

    const result = await postSetup(cookie, { pendingKey, code: generateTOTP(key, 30, 6) });
    expect(result.status).toBe(302);
    expect(result.location).toBe("/account/two-factor/recovery-codes?from=setup");
    const setCookie = result.response!.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/^panel_recovery_codes=[^;]+; Path=\/account\/two-factor; HttpOnly; SameSite=Lax; Max-Age=300/);

    const row = await userRow(user.id);
    expect(row.totpEnabledAt).not.toBeNull();
    expect(row.totpKeyEncrypted).not.toContain(keyText.replace(/ /g, ""));
    expect(row.totpKeyEncrypted).not.toBe(Buffer.from(key).toString("base64"));
    expect(decrypt(row.totpKeyEncrypted!)).toEqual(key);
    expect(await sessionVerified(sessionId)).toBe(true);

    const codesCookie = /panel_recovery_codes=[^;]+/.exec(setCookie)![0];
    const response = (await recoveryCodesRoute.loader({
      request: makeRequest("/account/two-factor/recovery-codes?from=setup", { cookie: `${cookie}; ${codesCookie}` }),
      params: {},
      context: {},
    })) as unknown as { data: { codes: string[]; from: string }; init: { headers: Record<string, string> } };
    const codes = response.data.codes;
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(response.init.headers["Set-Cookie"]).toMatch(/^panel_recovery_codes=; .*Max-Age=0/);
    const stored = await recoveryRows(user.id);
    expect(stored.map((r) => r.codeHash).sort()).toEqual(codes.map((c) => hashToken(c.replace(/-/g, ""))).sort());
    expect(stored.every((r) => !codes.some((c) => r.codeHash.includes(c)))).toBe(true);

    // Once only: without the cookie (it was cleared), the page has nothing to show.
    const again = await invoke(recoveryCodesRoute.loader, makeRequest("/account/two-factor/recovery-codes", { cookie }));
    expect(again.data.codes).toBeNull();
    // Another user cannot read them with the same cookie.
    const other = await sessionCookieFor(world.home.users.chair.id);
    const stolen = await invoke(recoveryCodesRoute.loader, makeRequest("/account/two-factor/recovery-codes", { cookie: `${other}; ${codesCookie}` }));
    expect(stolen.data.codes).toBeNull();

    const audit = await getDb().select().from(auditEvents).where(and(eq(auditEvents.userId, user.id), eq(auditEvents.action, "auth.two_factor_enabled")));
    expect(audit).toHaveLength(1);
    expect(audit[0].areaId).toBeNull();
    expect(audit[0].chain).toBe("global");

    // Already on: the set-up page sends the user to their account.
    expect((await invoke(setupRoute.loader, makeRequest("/account/two-factor/setup", { cookie }))).location).toBe("/account");
  });

  it("saves nothing for a wrong code and keeps offering the same key", async () => {
    const user = world.home.users.chair;
    const cookie = await sessionCookieFor(user.id);
    const { pendingKey, key, keyText } = await openSetup(cookie);
    const result = await postSetup(cookie, { pendingKey, code: wrongCode(key) });
    expect(result.status).toBe(400);
    expect(result.data.result.error.code).toEqual(["auth:errors.codeIncorrect"]);
    expect(result.data.enrolment.pendingKey).toBe(pendingKey);
    expect(result.data.enrolment.keyText).toBe(keyText);
    await expectNothingSaved(user.id);
    const failed = await getDb().select().from(auditEvents).where(and(eq(auditEvents.userId, user.id), eq(auditEvents.action, "auth.two_factor_setup_failed")));
    expect(failed).toHaveLength(1);
  });

  it("refuses a hidden key the server did not issue to this user", async () => {
    const user = world.home.users.chair;
    const cookie = await sessionCookieFor(user.id);
    const { pendingKey, key } = await openSetup(cookie);
    const flipped = Buffer.from(pendingKey, "base64");
    flipped[flipped.length - 1] ^= 1;
    const chosenKey = new Uint8Array(20).fill(7);
    const attempts = [
      { pendingKey: flipped.toString("base64"), code: codeAt(key) },
      // A key sealed for someone else (e.g. copied from their page).
      { pendingKey: sealPendingKey(world.home.users.idva.id, chosenKey), code: codeAt(chosenKey) },
      // A key the browser chose, in the clear.
      { pendingKey: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", code: codeAt(chosenKey) },
      // An old key.
      { pendingKey: sealPendingKey(user.id, chosenKey, Date.now() - 31 * 60 * 1000), code: codeAt(chosenKey) },
      { code: codeAt(key) },
    ];
    for (const form of attempts) {
      const result = await postSetup(cookie, form as Record<string, string>);
      expect(result.status).toBe(400);
      expect(result.data.result.error[""]).toEqual(["auth:errors.setupExpired"]);
      // A fresh key is offered instead.
      expect(result.data.enrolment.pendingKey).not.toBe(form.pendingKey);
      await expectNothingSaved(user.id);
    }
  });

  it.each([
    ["", "auth:errors.codeRequired"],
    ["1234567", "auth:errors.codeFormat"],
    ["12ab56", "auth:errors.codeFormat"],
    ["<b>123456</b>", "auth:errors.codeFormat"],
    ["9".repeat(5000), "auth:errors.codeFormat"],
  ])("refuses the code %j at set-up with %s and saves nothing", async (code, message) => {
    const user = world.home.users.chair;
    const cookie = await sessionCookieFor(user.id);
    const { pendingKey } = await openSetup(cookie);
    const result = await postSetup(cookie, { pendingKey, code });
    expect(result.status).toBe(400);
    expect(result.data.result.error.code).toEqual([message]);
    expect(result.data.enrolment.pendingKey).toBe(pendingKey);
    await expectNothingSaved(user.id);
  });
});

describe("signing in with two-factor", () => {
  let key: Uint8Array;
  let recoveryCodes: string[];
  const user = () => world.home.users.agency_rep;

  beforeAll(async () => {
    ({ key, recoveryCodes } = await enrol(user().id));
  });

  it("asks for the code after the password, then accepts the right code once", async () => {
    const signIn = await invoke(signInRoute.action, makeRequest("/sign-in", { form: { email: user().email, password: PASSWORD, redirectTo: "/areas/x" } }));
    expect(signIn.location).toBe("/sign-in/two-factor?redirectTo=%2Fareas%2Fx");
    const token = /panel_session=([^;]+)/.exec(signIn.response!.headers.get("Set-Cookie")!)![1];
    const cookie = `${SESSION_COOKIE}=${token}`;
    const sessionId = hashToken(token);

    // Until the code is entered, pages send the user to the second step.
    const blocked = await invoke(accountRoute.loader, makeRequest("/account", { cookie }));
    expect(blocked.location).toBe("/sign-in/two-factor?redirectTo=%2Faccount");
    expect((await invoke(twoFactorRoute.loader, makeRequest("/sign-in/two-factor", { cookie }))).status).toBe(200);

    const wrong = await invoke(twoFactorRoute.action, makeRequest("/sign-in/two-factor", { cookie, form: { code: wrongCode(key), redirectTo: "/areas/x" } }));
    expect(wrong.status).toBe(400);
    expect(wrong.data.result.error.code).toEqual(["auth:errors.codeIncorrect"]);
    expect(await sessionVerified(sessionId)).toBe(false);

    const right = await invoke(twoFactorRoute.action, makeRequest("/sign-in/two-factor", { cookie, form: { code: codeAt(key, 0), redirectTo: "/areas/x" } }));
    expect(right.status).toBe(302);
    expect(right.location).toBe("/areas/x");
    expect(await sessionVerified(sessionId)).toBe(true);
    expect((await invoke(accountRoute.loader, makeRequest("/account", { cookie }))).status).toBe(200);
    expect((await userRow(user().id)).failedSignIns).toBe(0);

    // The same code again, in another session within its window, is refused.
    const second = await pendingCookie(user().id);
    const replay = await invoke(twoFactorRoute.action, makeRequest("/sign-in/two-factor", { cookie: second.cookie, form: { code: codeAt(key, 0) } }));
    expect(replay.status).toBe(400);
    expect(replay.data.result.error.code).toEqual(["auth:errors.codeIncorrect"]);
    expect(await sessionVerified(second.sessionId)).toBe(false);
    // An earlier step than the last one used is refused too.
    const older = await invoke(twoFactorRoute.action, makeRequest("/sign-in/two-factor", { cookie: second.cookie, form: { code: codeAt(key, -1) } }));
    expect(older.status).toBe(400);
    const replays = await getDb().select().from(auditEvents).where(and(eq(auditEvents.userId, user().id), eq(auditEvents.action, "auth.two_factor_failed")));
    expect(replays.some((r) => r.detail.reason === "replayed_code:sign_in")).toBe(true);

    // The next step's code works.
    const next = await invoke(twoFactorRoute.action, makeRequest("/sign-in/two-factor", { cookie: second.cookie, form: { code: codeAt(key, 1) } }));
    expect(next.location).toBe("/");
    // A verified session is sent on from the second step, to a same-site path only.
    const done = await invoke(twoFactorRoute.loader, makeRequest("/sign-in/two-factor?redirectTo=%2F%2Fevil.example", { cookie: second.cookie }));
    expect(done.location).toBe("/");
    nextStep();
  });

  it("accepts each recovery code once", async () => {
    const first = await pendingCookie(user().id);
    const used = await invoke(
      recoverySignInRoute.action,
      makeRequest("/sign-in/recovery-code", { cookie: first.cookie, form: { code: recoveryCodes[0].toUpperCase().replace(/-/g, " "), redirectTo: "/account" } }),
    );
    expect(used.status).toBe(302);
    expect(used.location).toBe("/account");
    expect(await sessionVerified(first.sessionId)).toBe(true);
    const rows = await recoveryRows(user().id);
    expect(rows.filter((r) => r.usedAt !== null)).toHaveLength(1);

    const second = await pendingCookie(user().id);
    const again = await invoke(recoverySignInRoute.action, makeRequest("/sign-in/recovery-code", { cookie: second.cookie, form: { code: recoveryCodes[0] } }));
    expect(again.status).toBe(400);
    expect(again.data.result.error.code).toEqual(["auth:errors.recoveryCodeIncorrect"]);
    expect(await sessionVerified(second.sessionId)).toBe(false);
    const other = await invoke(recoverySignInRoute.action, makeRequest("/sign-in/recovery-code", { cookie: second.cookie, form: { code: recoveryCodes[1] } }));
    expect(other.status).toBe(302);
    const audit = await getDb().select().from(auditEvents).where(and(eq(auditEvents.userId, user().id), eq(auditEvents.action, "auth.recovery_code_used")));
    expect(audit.map((a) => a.detail.remaining).sort()).toEqual([8, 9]);
  });

  it.each([
    ["", "auth:errors.codeRequired"],
    ["12345", "auth:errors.codeFormat"],
    ["1234567", "auth:errors.codeFormat"],
    ["abcdef", "auth:errors.codeFormat"],
    ["<script>1</script>", "auth:errors.codeFormat"],
  ])("refuses the sign-in code %j with %s, counting nothing", async (code, message) => {
    const { cookie, sessionId } = await pendingCookie(user().id);
    const result = await invoke(twoFactorRoute.action, makeRequest("/sign-in/two-factor", { cookie, form: { code } }));
    expect(result.status).toBe(400);
    expect(result.data.result.error.code).toEqual([message]);
    expect(await sessionVerified(sessionId)).toBe(false);
    expect((await userRow(user().id)).failedSignIns).toBe(0);
  });

  it.each([
    ["", "auth:errors.recoveryCodeRequired"],
    ["k7qm-2xhd", "auth:errors.recoveryCodeFormat"],
    ["k".repeat(41), "auth:errors.recoveryCodeFormat"],
    ["<b>k7qm-2xhd-9tvw</b>", "auth:errors.recoveryCodeFormat"],
  ])("refuses the recovery code %j with %s, counting nothing", async (code, message) => {
    const { cookie, sessionId } = await pendingCookie(user().id);
    const result = await invoke(recoverySignInRoute.action, makeRequest("/sign-in/recovery-code", { cookie, form: { code } }));
    expect(result.status).toBe(400);
    expect(result.data.result.error.code).toEqual([message]);
    expect(await sessionVerified(sessionId)).toBe(false);
    expect((await userRow(user().id)).failedSignIns).toBe(0);
  });

  it("sends a signed-out visitor of the second step to sign-in", async () => {
    const result = await invoke(twoFactorRoute.loader, makeRequest("/sign-in/two-factor"));
    expect(result.location).toMatch(/^\/sign-in\?redirectTo=/);
  });
});

describe("lockout", () => {
  it("locks after repeated wrong codes, even against the right code and the password, and re-entering the password does not reset the count", async () => {
    const user = world.home.users.idva;
    const { key } = await enrol(user.id);
    const { cookie } = await pendingCookie(user.id);
    const post = (code: string) => invoke(twoFactorRoute.action, makeRequest("/sign-in/two-factor", { cookie, form: { code } }));
    for (let i = 0; i < 3; i++) expect((await post(wrongCode(key))).data.result.error.code).toEqual(["auth:errors.codeIncorrect"]);
    // The password again (right) must not clear the three wrong codes.
    const signIn = await invoke(signInRoute.action, makeRequest("/sign-in", { form: { email: user.email, password: PASSWORD } }));
    expect(signIn.location).toBe("/sign-in/two-factor");
    expect((await userRow(user.id)).failedSignIns).toBe(3);
    expect((await post(wrongCode(key))).data.result.error.code).toEqual(["auth:errors.codeIncorrect"]);
    // A wrong recovery code counts towards the same limit.
    const fifth = await invoke(recoverySignInRoute.action, makeRequest("/sign-in/recovery-code", { cookie, form: { code: "aaaa-bbbb-cccc" } }));
    expect(fifth.status).toBe(400);
    expect(fifth.data.result.error[""][0]).toMatch(/^auth:errors\.locked\|\{"minutes":1[45]\}$/);

    const right = await post(codeAt(key, 0));
    expect(right.status).toBe(400);
    expect(right.data.result.error[""][0]).toMatch(/^auth:errors\.locked/);
    const password = await invoke(signInRoute.action, makeRequest("/sign-in", { form: { email: user.email, password: PASSWORD } }));
    expect(password.data.result.error[""][0]).toMatch(/^auth:errors\.locked/);
    expect((await userRow(user.id)).lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    const locks = await getDb().select().from(auditEvents).where(and(eq(auditEvents.userId, user.id), eq(auditEvents.action, "auth.locked")));
    expect(locks).toHaveLength(1);
    expect(locks[0].detail.reason).toBe("wrong_recovery_code");
  });
});

describe("when a panel requires two-factor", () => {
  const user = () => world.other.users.chair;

  beforeAll(async () => {
    await getDb().update(areas).set({ mfaRequired: true }).where(eq(areas.id, world.other.area.id));
  });
  afterAll(async () => {
    await getDb().update(areas).set({ mfaRequired: false }).where(eq(areas.id, world.other.area.id));
  });

  it("sends a member without it to set-up, which explains why", async () => {
    const cookie = await sessionCookieFor(user().id);
    const account = await invoke(accountRoute.loader, makeRequest("/account", { cookie }));
    expect(account.location).toBe("/account/two-factor/setup");
    await expect(requireUser(makeRequest("/areas/x", { cookie }))).rejects.toMatchObject({ status: 302 });
    const setup = await openSetup(cookie);
    expect(setup.required).toBe(true);
  });

  it("refuses to turn it off, then allows it with a current code once no panel requires it", async () => {
    const { key, cookie } = await enrol(user().id);
    const page = await invoke(turnOffRoute.loader, makeRequest("/account/two-factor/turn-off", { cookie }));
    expect(page.data.required).toBe(true);
    const refused = await invoke(turnOffRoute.action, makeRequest("/account/two-factor/turn-off", { cookie, form: { code: codeAt(key, 0) } }));
    expect(refused.status).toBe(403);
    expect((await userRow(user().id)).totpEnabledAt).not.toBeNull();
    expect(await recoveryRows(user().id)).toHaveLength(10);

    await getDb().update(areas).set({ mfaRequired: false }).where(eq(areas.id, world.other.area.id));
    const wrong = await invoke(turnOffRoute.action, makeRequest("/account/two-factor/turn-off", { cookie, form: { code: wrongCode(key) } }));
    expect(wrong.status).toBe(400);
    expect(wrong.data.result.error.code).toEqual(["auth:errors.codeIncorrect"]);
    for (const code of ["", "12", "<i>123456</i>"]) {
      const bad = await invoke(turnOffRoute.action, makeRequest("/account/two-factor/turn-off", { cookie, form: { code } }));
      expect(bad.status).toBe(400);
      expect(bad.data.result.error.code).toHaveLength(1);
    }
    expect((await userRow(user().id)).totpEnabledAt).not.toBeNull();
    const off = await invoke(turnOffRoute.action, makeRequest("/account/two-factor/turn-off", { cookie, form: { code: codeAt(key, 0) } }));
    expect(off.status).toBe(302);
    expect(off.location).toBe("/account");
    await expectNothingSaved(user().id);
    const audit = await getDb().select().from(auditEvents).where(and(eq(auditEvents.userId, user().id), eq(auditEvents.action, "auth.two_factor_disabled")));
    expect(audit).toHaveLength(1);
    await getDb().update(areas).set({ mfaRequired: true }).where(eq(areas.id, world.other.area.id));
  });
});

describe("new recovery codes", () => {
  it("replaces the old codes on a current code, and refuses bad input", async () => {
    const user = world.other.users.idva;
    const { key, cookie, recoveryCodes } = await enrol(user.id);
    const before = await recoveryRows(user.id);
    for (const [code, message] of [
      ["", "auth:errors.codeRequired"],
      ["1234567", "auth:errors.codeFormat"],
      ["abc123", "auth:errors.codeFormat"],
      ["<b>1</b>", "auth:errors.codeFormat"],
      [wrongCode(key), "auth:errors.codeIncorrect"],
    ]) {
      const bad = await invoke(regenerateRoute.action, makeRequest("/account/two-factor/regenerate", { cookie, form: { code } }));
      expect(bad.status).toBe(400);
      expect(bad.data.result.error.code).toEqual([message]);
      expect((await recoveryRows(user.id)).map((r) => r.id).sort()).toEqual(before.map((r) => r.id).sort());
    }
    const result = await invoke(regenerateRoute.action, makeRequest("/account/two-factor/regenerate", { cookie, form: { code: codeAt(key, 0) } }));
    expect(result.status).toBe(302);
    expect(result.location).toBe("/account/two-factor/recovery-codes?from=regenerate");
    const codesCookie = /panel_recovery_codes=[^;]+/.exec(result.response!.headers.get("Set-Cookie")!)![0];
    const shown = await invoke(recoveryCodesRoute.loader, makeRequest("/account/two-factor/recovery-codes", { cookie: `${cookie}; ${codesCookie}` }));
    const fresh = shown.data.codes as string[];
    expect(fresh).toHaveLength(10);
    expect(fresh.some((c) => recoveryCodes.includes(c))).toBe(false);
    const rows = await getDb()
      .select()
      .from(mfaRecoveryCodes)
      .where(and(eq(mfaRecoveryCodes.userId, user.id), isNull(mfaRecoveryCodes.usedAt)));
    expect(rows.map((r) => r.codeHash).sort()).toEqual(fresh.map((c) => hashToken(c.replace(/-/g, ""))).sort());

    const { cookie: pending } = await pendingCookie(user.id);
    const old = await invoke(recoverySignInRoute.action, makeRequest("/sign-in/recovery-code", { cookie: pending, form: { code: recoveryCodes[0] } }));
    expect(old.status).toBe(400);

    const account = await invoke(accountRoute.loader, makeRequest("/account", { cookie }));
    expect(account.data.twoFactor).toMatchObject({ enabled: true, recoveryCodesLeft: 10, required: false });
    expect(account.data.memberships).toEqual([{ areaName: world.other.area.name, role: "idva", agencyName: "IDVA Service" }]);
  });
});
