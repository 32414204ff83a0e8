import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { areas, memberships, sessions, users } from "#db/schema";
import { makeUser } from "#db/factories";
import { runInRequestScope } from "~/lib/request-scope.server";
import { createSession, validateSessionToken } from "~/models/auth/sessions.server";
import { getOptionalUser, requireAreaMember, requirePermission, requireUser } from "~/policy/index.server";
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

describe("who is asking (one read of the session, the user and their memberships)", () => {
  it("lists active memberships by panel name, then role, with their agencies, and none for a user in no panel", async () => {
    const db = getDb();
    const user = await makeUser(db, {
      email: `several.${Date.now()}@example.org`,
      name: "Sam Several",
      memberships: [
        { areaId: world.other.area.id, role: "chair", agencyId: world.other.agencies.police.id },
        { areaId: world.home.area.id, role: "coordinator", agencyId: world.home.agencies.police.id },
        { areaId: world.home.area.id, role: "admin" },
      ],
    });
    await db.insert(memberships).values({ userId: user.id, areaId: world.other.area.id, role: "idva", agencyId: world.other.agencies.idvaService.id, active: false });
    const cookie = await sessionCookieFor(user.id);
    const found = await getOptionalUser(makeRequest("/", { cookie }));
    expect(found).toMatchObject({ id: user.id, name: "Sam Several", hasTwoFactor: false, twoFactorVerified: true });
    expect(found!.memberships).toEqual([
      { areaId: world.home.area.id, areaCode: world.home.area.code, areaName: "Home MARAC", mfaRequired: false, role: "admin", agencyId: null, agencyName: null },
      { areaId: world.home.area.id, areaCode: world.home.area.code, areaName: "Home MARAC", mfaRequired: false, role: "coordinator", agencyId: world.home.agencies.police.id, agencyName: "Police" },
      { areaId: world.other.area.id, areaCode: world.other.area.code, areaName: "Other MARAC", mfaRequired: false, role: "chair", agencyId: world.other.agencies.police.id, agencyName: "Police" },
    ]);
    const loner = await makeUser(db, { email: `loner.${Date.now()}@example.org`, name: "Lee Loner" });
    const alone = await getOptionalUser(makeRequest("/", { cookie: await sessionCookieFor(loner.id) }));
    expect(alone).toMatchObject({ id: loner.id, memberships: [] });
  });

  it("ends an idle session and a disabled user's even though they have memberships", async () => {
    const { token, session } = await createSession({ userId: world.home.users.coordinator.id, twoFactorVerified: true });
    await getDb().update(sessions).set({ lastSeenAt: new Date(Date.now() - 61 * 60 * 1000) }).where(eq(sessions.id, session.id));
    expect(await getOptionalUser(makeRequest("/", { cookie: `panel_session=${token}` }))).toBeNull();
    expect(await getDb().select().from(sessions).where(eq(sessions.id, session.id))).toHaveLength(0);
    const user = world.other.users.agency_rep;
    const cookie = await sessionCookieFor(user.id);
    await getDb().update(users).set({ disabled: true }).where(eq(users.id, user.id));
    expect(await getOptionalUser(makeRequest("/", { cookie }))).toBeNull();
    await getDb().update(users).set({ disabled: false }).where(eq(users.id, user.id));
  });

  it("gives a page view the panel as read with the session, and a later view reads it again", async () => {
    const cookie = await sessionCookieFor(world.home.users.chair.id);
    const code = world.home.area.code.toLowerCase();
    const view = () =>
      runInRequestScope(async () => {
        await getOptionalUser(makeRequest("/", { cookie }));
        // A change between the session's read and the panel guard's is not seen within the view...
        await getDb().update(areas).set({ name: "Home MARAC (renamed)" }).where(eq(areas.id, world.home.area.id));
        return (await requireAreaMember(makeRequest("/", { cookie }), code)).area.name;
      });
    expect(await view()).toBe("Home MARAC");
    // ...and is by the next one.
    expect(await view()).toBe("Home MARAC (renamed)");
    await getDb().update(areas).set({ name: "Home MARAC" }).where(eq(areas.id, world.home.area.id));
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
