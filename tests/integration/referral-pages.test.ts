import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { cases } from "#db/schema";
import * as listRoute from "~/routes/areas.$area.referrals._index/route";
import * as taskRoute from "~/routes/areas.$area.referrals.$caseId._index/route";
import * as referrerRoute from "~/routes/areas.$area.referrals.$caseId.referrer/route";
import { buildWorld, invoke, makeRequest, sessionCookieFor, type World } from "../support/world";

let world: World;
let rep: string;
let code: string;
beforeAll(async () => {
  world = await buildWorld();
  rep = await sessionCookieFor(world.home.users.agency_rep.id);
  code = world.home.area.code.toLowerCase();
});

const list = () => `/areas/${code}/referrals`;

async function caseRow(id: string) {
  return (await getDb().select().from(cases).where(eq(cases.id, id)))[0];
}

/** Start a referral through the list page's button, as the health agency's representative. */
async function start(cookie = rep) {
  const result = await invoke(listRoute.action, makeRequest(list(), { cookie, form: {} }), { area: code });
  expect(result.status).toBe(302);
  const id = /referrals\/([0-9a-f-]{36})\/referrer$/.exec(result.location ?? "")?.[1];
  expect(id).toBeDefined();
  return id!;
}

type RouteModule = { loader?: (args: any) => unknown; action?: (args: any) => unknown };

function post(route: RouteModule, caseId: string, section: string, form: Record<string, string | string[]>, extra: Record<string, string> = {}, cookie = rep) {
  return invoke(route.action, makeRequest(`${list()}/${caseId}/${section}`, { cookie, form }), { area: code, caseId, ...extra });
}

function get(route: RouteModule, caseId: string, section: string, extra: Record<string, string> = {}, cookie = rep, query = "") {
  return invoke(route.loader, makeRequest(`${list()}/${caseId}/${section}${query}`, { cookie }), { area: code, caseId, ...extra });
}

/** The first error conform reports for a field. */
function fieldError(result: { data: any }, name: string): string | undefined {
  return result.data?.result?.error?.[name]?.[0];
}

describe("your agency's referrals", () => {
  it("starts a draft with the referrer filled in and lists it for the agency only", async () => {
    const id = await start();
    const row = await caseRow(id);
    expect(row).toMatchObject({ status: "draft", referringAgencyId: world.home.agencies.health.id, referrerEmail: world.home.users.agency_rep.email });
    const mine = await invoke(listRoute.loader, makeRequest(list(), { cookie: rep }), { area: code });
    expect(mine.data.drafts.map((d: { id: string }) => d.id)).toContain(id);
    const idva = await invoke(listRoute.loader, makeRequest(list(), { cookie: await sessionCookieFor(world.home.users.idva.id) }), { area: code });
    expect(idva.data.drafts.map((d: { id: string }) => d.id)).not.toContain(id);
  });

  it("answers 403 to the chair and the admin, who cannot refer", async () => {
    for (const role of ["chair", "admin"] as const) {
      const cookie = await sessionCookieFor(world.home.users[role].id);
      expect((await invoke(listRoute.loader, makeRequest(list(), { cookie }), { area: code })).status).toBe(403);
      expect((await invoke(listRoute.action, makeRequest(list(), { cookie, form: {} }), { area: code })).status).toBe(403);
    }
  });

  it("keeps a draft from the coordinator, another agency and another panel (404)", async () => {
    const id = await start();
    for (const user of [world.home.users.coordinator, world.home.users.idva, world.other.users.agency_rep]) {
      const cookie = await sessionCookieFor(user.id);
      const areaCode = user === world.other.users.agency_rep ? world.other.area.code.toLowerCase() : code;
      const result = await invoke(taskRoute.loader, makeRequest(`/areas/${areaCode}/referrals/${id}`, { cookie }), { area: areaCode, caseId: id });
      expect(result.status).toBe(404);
      const save = await invoke(referrerRoute.action, makeRequest(`/areas/${areaCode}/referrals/${id}/referrer`, { cookie, form: { version: "1", referrerName: "X", referrerEmail: "x@example.org", referralDate: "1/1/2026" } }), {
        area: areaCode,
        caseId: id,
      });
      expect(save.status).toBe(404);
    }
    expect((await caseRow(id)).referrerName).toBe(world.home.users.agency_rep.name);
  });

  it("shows the task list with every section's status", async () => {
    const id = await start();
    const result = await get(taskRoute, id, "");
    expect(result.status).toBe(200);
    expect(result.data.statuses).toMatchObject({ referrer: "completed", victim: "notStarted", perpetrators: "notStarted", dash: "notStarted", consent: "notStarted" });
    expect(result.data.ready).toBe(false);
  });
});

describe("referrer section", () => {
  const good = { referrerName: "Heledd Health", referrerPhone: "01234 567890", referrerEmail: "Heledd@Health.Example", referralDate: "02/01/2026" };

  it("saves the referrer and goes on to the victim", async () => {
    const id = await start();
    const result = await post(referrerRoute, id, "referrer", { ...good, version: "1" });
    expect(result.status).toBe(302);
    expect(result.location).toBe(`${list()}/${id}/victim`);
    expect(await caseRow(id)).toMatchObject({ referrerName: "Heledd Health", referrerEmail: "heledd@health.example", referralDate: "2026-01-02", version: 2 });
    const page = await get(referrerRoute, id, "referrer");
    expect(page.data.values).toMatchObject({ referralDate: "2/1/2026", version: 2 });
  });

  it.each([
    ["an empty name", { referrerName: "" }, "referrerName", "referrals:errors.referrerNameRequired"],
    ["a name that is too long", { referrerName: "x".repeat(101) }, "referrerName", 'errors.tooLong|{"max":100}'],
    ["markup", { referrerName: "<b>Heledd</b>" }, "referrerName", "errors.noMarkup"],
    ["a bad email", { referrerEmail: "not-an-email" }, "referrerEmail", "errors.emailInvalid"],
    ["an impossible date", { referralDate: "31/02/2026" }, "referralDate", "referrals:errors.dateInvalid"],
    ["a future date", { referralDate: "1/1/2999" }, "referralDate", "referrals:errors.dateFuture"],
    ["a version that is not a number", { version: "abc" }, "version", "errors.invalid"],
  ])("refuses %s with 400 and saves nothing", async (_, change, field, message) => {
    const id = await start();
    const before = await caseRow(id);
    const result = await post(referrerRoute, id, "referrer", { ...good, version: "1", ...change });
    expect(result.status).toBe(400);
    expect(fieldError(result, field)).toBe(message);
    expect(await caseRow(id)).toEqual(before);
  });

  it("refuses a stale version with the conflict message and keeps the newer value", async () => {
    const id = await start();
    expect((await post(referrerRoute, id, "referrer", { ...good, version: "1" })).status).toBe(302);
    const stale = await post(referrerRoute, id, "referrer", { ...good, referrerName: "Someone Else", version: "1" });
    expect(stale.status).toBe(409);
    expect(stale.data).toEqual({ conflict: "referrals:errors.stale" });
    expect((await caseRow(id)).referrerName).toBe("Heledd Health");
  });

  it("answers 404 for another panel's case id and an unknown id", async () => {
    const otherRep = await sessionCookieFor(world.other.users.agency_rep.id);
    const otherCode = world.other.area.code.toLowerCase();
    const foreign = /referrals\/([0-9a-f-]{36})\//.exec((await invoke(listRoute.action, makeRequest(`/areas/${otherCode}/referrals`, { cookie: otherRep, form: {} }), { area: otherCode })).location!)![1];
    expect((await post(referrerRoute, foreign, "referrer", { ...good, version: "1" })).status).toBe(404);
    expect((await get(referrerRoute, foreign, "referrer")).status).toBe(404);
    expect((await get(referrerRoute, "not-a-uuid", "referrer")).status).toBe(404);
    expect((await caseRow(foreign)).referrerName).toBe(world.other.users.agency_rep.name);
  });
});

