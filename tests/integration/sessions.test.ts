import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { sessions, users } from "#db/schema";
import { createSession, validateSessionToken } from "~/models/auth/sessions.server";
import { requireAreaMember, requirePermission, requireUser } from "~/policy/index.server";
import { buildWorld, makeRequest, sessionCookieFor, type World } from "../support/world";

let world: World;
beforeAll(async () => {
  world = await buildWorld();
});

async function thrown(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
  throw new Error("expected a thrown response");
}

describe("sessions", () => {
  it("ends a session idle for longer than the idle timeout", async () => {
    const { token, session } = await createSession({ userId: world.home.users.chair.id, twoFactorVerified: true });
    await getDb().update(sessions).set({ lastSeenAt: new Date(Date.now() - 61 * 60 * 1000) }).where(eq(sessions.id, session.id));
    expect(await validateSessionToken(token)).toBeNull();
    expect(await getDb().select().from(sessions).where(eq(sessions.id, session.id))).toHaveLength(0);
  });

  it("ends a session past its absolute expiry", async () => {
    const { token, session } = await createSession({ userId: world.home.users.chair.id, twoFactorVerified: true });
    await getDb().update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, session.id));
    expect(await validateSessionToken(token)).toBeNull();
  });

  it("extends a session past half its life (sliding expiry) and records activity", async () => {
    const { token, session } = await createSession({ userId: world.home.users.chair.id, twoFactorVerified: true });
    const soon = new Date(Date.now() + 2 * 24 * 60 * 60 * 1000);
    await getDb().update(sessions).set({ expiresAt: soon, lastSeenAt: new Date(Date.now() - 5 * 60 * 1000) }).where(eq(sessions.id, session.id));
    const found = await validateSessionToken(token);
    expect(found!.session.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 60 * 60 * 1000);
    expect(Date.now() - found!.session.lastSeenAt.getTime()).toBeLessThan(10_000);
  });

  it("refuses a made-up token and a disabled user's session", async () => {
    expect(await validateSessionToken("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")).toBeNull();
    const user = world.home.users.agency_rep;
    const { token } = await createSession({ userId: user.id, twoFactorVerified: true });
    await getDb().update(users).set({ disabled: true }).where(eq(users.id, user.id));
    expect(await validateSessionToken(token)).toBeNull();
    await getDb().update(users).set({ disabled: false }).where(eq(users.id, user.id));
  });
});

describe("policy guards", () => {
  it("sends a user with two-factor who has not passed it to the second step", async () => {
    const user = world.home.users.idva;
    await getDb().update(users).set({ totpEnabledAt: new Date(), totpKeyEncrypted: "x" }).where(eq(users.id, user.id));
    const { token } = await createSession({ userId: user.id, twoFactorVerified: false });
    const res = await thrown(requireUser(makeRequest("/areas/x", { cookie: `panel_session=${token}` })));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/sign-in/two-factor?redirectTo=%2Fareas%2Fx");
    await getDb().update(users).set({ totpEnabledAt: null, totpKeyEncrypted: null }).where(eq(users.id, user.id));
  });

  it("sends a user without two-factor to enrolment when a panel of theirs requires it", async () => {
    const { areas } = await import("#db/schema");
    await getDb().update(areas).set({ mfaRequired: true }).where(eq(areas.id, world.other.area.id));
    const cookie = await sessionCookieFor(world.other.users.chair.id);
    const res = await thrown(requireUser(makeRequest("/", { cookie })));
    expect(res.headers.get("Location")).toBe("/account/two-factor/setup");
    await getDb().update(areas).set({ mfaRequired: false }).where(eq(areas.id, world.other.area.id));
  });

  it("gives 404 for a panel the user is not in and 403 for a permission their role lacks", async () => {
    const cookie = await sessionCookieFor(world.home.users.agency_rep.id);
    const code = world.home.area.code.toLowerCase();
    expect((await thrown(requireAreaMember(makeRequest("/", { cookie }), world.other.area.code))).status).toBe(404);
    expect((await thrown(requirePermission(makeRequest("/", { cookie }), "area:admin", { area: code }))).status).toBe(403);
    const ctx = await requirePermission(makeRequest("/", { cookie }), "research:submit", { area: code });
    expect(ctx.agencyId).toBe(world.home.agencies.health.id);
    expect(ctx.roles).toEqual(["agency_rep"]);
  });
});
