import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { auditEvents, sessions, users } from "#db/schema";
import * as signInRoute from "~/routes/sign-in/route";
import { buildWorld, invoke, makeRequest, PASSWORD, type World } from "../support/world";

let world: World;
beforeAll(async () => {
  world = await buildWorld();
});

const post = (form: Record<string, string>) => invoke(signInRoute.action, makeRequest("/sign-in", { form }));

describe("sign-in", () => {
  it("signs in with the right password, sets an HttpOnly SameSite=Lax cookie and stores only the token's hash", async () => {
    const user = world.home.users.coordinator;
    const result = await post({ email: user.email.toUpperCase(), password: PASSWORD, redirectTo: "/areas/x" });
    expect(result.status).toBe(302);
    expect(result.location).toBe("/areas/x");
    const cookie = result.response!.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^panel_session=[a-z2-7]{32}; Path=\/; HttpOnly; SameSite=Lax$/);
    const token = /panel_session=([^;]+)/.exec(cookie)![1];
    const stored = await getDb().select().from(sessions).where(eq(sessions.userId, user.id));
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((s) => s.id !== token && /^[0-9a-f]{64}$/.test(s.id))).toBe(true);
  });

  it("refuses an off-site redirect after sign-in", async () => {
    const user = world.home.users.chair;
    const result = await post({ email: user.email, password: PASSWORD, redirectTo: "//evil.example/x" });
    expect(result.location).toBe("/");
  });

  it("says the same thing for a wrong password and an unknown email, and audits both", async () => {
    const wrong = await post({ email: world.home.users.chair.email, password: "wrong" });
    const unknown = await post({ email: "nobody@example.org", password: "wrong" });
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(wrong.data.result.error[""]).toEqual(["auth:errors.invalidCredentials"]);
    expect(unknown.data.result.error[""]).toEqual(["auth:errors.invalidCredentials"]);
    const failures = await getDb().select().from(auditEvents).where(eq(auditEvents.action, "auth.sign_in_failed"));
    expect(failures.some((f) => f.detail.reason === "unknown_email")).toBe(true);
    expect(failures.some((f) => f.userId === world.home.users.chair.id && f.detail.reason === "wrong_password")).toBe(true);
  });

  it.each([
    [{ email: "", password: "" }, "email", "errors.emailRequired"],
    [{ email: "not-an-email", password: "x" }, "email", "errors.emailInvalid"],
    [{ email: `${"a".repeat(260)}@example.org`, password: "x" }, "email", "errors.tooLong|{\"max\":254}"],
    [{ email: "a@example.org", password: "" }, "password", "auth:errors.passwordRequired"],
  ])("rejects bad input %j with a message on %s and no session", async (form, field, message) => {
    const before = (await getDb().select().from(sessions)).length;
    const result = await post(form);
    expect(result.status).toBe(400);
    expect(result.data.result.error[field]).toContain(message);
    expect((await getDb().select().from(sessions)).length).toBe(before);
  });

  it("locks the account after five wrong passwords, even against the right one, with a clear message", async () => {
    const user = world.home.users.idva;
    for (let i = 0; i < 4; i++) expect((await post({ email: user.email, password: `wrong-${i}` })).data.result.error[""]).toEqual(["auth:errors.invalidCredentials"]);
    const fifth = await post({ email: user.email, password: "wrong-5" });
    expect(fifth.data.result.error[""][0]).toMatch(/^auth:errors\.locked\|\{"minutes":1[45]\}$/);
    const right = await post({ email: user.email, password: PASSWORD });
    expect(right.status).toBe(400);
    expect(right.data.result.error[""][0]).toMatch(/^auth:errors\.locked/);
    const [row] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    const locks = await getDb().select().from(auditEvents).where(eq(auditEvents.action, "auth.locked"));
    expect(locks.some((l) => l.userId === user.id)).toBe(true);
  });

  it("rate-limits sign-in attempts from one address", async () => {
    let last = 0;
    for (let i = 0; i < 40 && last !== 429; i++) last = (await post({ email: "flood@example.org", password: "x" })).status;
    expect(last).toBe(429);
  });
});
