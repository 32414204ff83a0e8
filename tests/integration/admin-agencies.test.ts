import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { agencies, auditEvents } from "#db/schema";
import { createAgency, updateAgency } from "~/models/agencies.server";
import * as adminIndex from "~/routes/areas.$area.admin._index";
import * as editRoute from "~/routes/areas.$area.admin.agencies.$agencyId/route";
import * as listRoute from "~/routes/areas.$area.admin.agencies._index";
import * as newRoute from "~/routes/areas.$area.admin.agencies.new/route";
import { buildWorld, invoke, makeRequest, sessionCookieFor, type World } from "../support/world";

let world: World;
let adminCookie: string;
let code: string;
beforeAll(async () => {
  world = await buildWorld();
  adminCookie = await sessionCookieFor(world.home.users.admin.id);
  code = world.home.area.code.toLowerCase();
});

const base = () => `/areas/${code}/admin/agencies`;
const good = { name: "Llanfair Housing", kind: "housing", secureEmail: "Housing@Gov.Example", isVerifier: "on" };

async function agencyRows(areaId = world.home.area.id) {
  return getDb().select().from(agencies).where(eq(agencies.areaId, areaId));
}

async function auditFor(entityId: string, action: string) {
  return getDb()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityId, entityId), eq(auditEvents.action, action)));
}

function create(form: Record<string, string>, cookie = adminCookie) {
  return invoke(newRoute.action, makeRequest(`${base()}/new`, { form, cookie }), { area: code });
}

function edit(agencyId: string, form: Record<string, string>, cookie = adminCookie) {
  return invoke(editRoute.action, makeRequest(`${base()}/${agencyId}`, { form, cookie }), { area: code, agencyId });
}

describe("agency list", () => {
  it("lists this panel's agencies and none of another panel's", async () => {
    const result = await invoke(listRoute.loader, makeRequest(base(), { cookie: adminCookie }), { area: code });
    expect(result.status).toBe(200);
    const names = result.data.agencies.map((a: { name: string }) => a.name);
    expect(names).toEqual(["Health Board", "IDVA Service", "Police"]);
    const health = result.data.agencies.find((a: { name: string }) => a.name === "Health Board");
    expect(health).toMatchObject({ kind: "health", isVerifier: true, active: true });
    expect(result.data.agencies.map((a: { id: string }) => a.id)).not.toContain(world.other.agencies.police.id);
  });

  it("counts active agencies, active users and pending invitations on the admin index", async () => {
    const result = await invoke(adminIndex.loader, makeRequest(`/areas/${code}/admin`, { cookie: adminCookie }), { area: code });
    expect(result.status).toBe(200);
    expect(result.data.counts.activeUsers).toBe(5);
    expect(result.data.counts.agencies).toBeGreaterThanOrEqual(3);
    expect(result.data.counts.pendingInvitations).toBe(0);
  });
});

describe("adding an agency", () => {
  it("saves the agency with a lower-cased secure email and writes an audit row", async () => {
    const result = await create(good);
    expect(result.status).toBe(302);
    expect(result.location).toBe(base());
    const [row] = (await agencyRows()).filter((a) => a.name === "Llanfair Housing");
    expect(row).toMatchObject({ kind: "housing", secureEmail: "housing@gov.example", isVerifier: true, active: true, version: 1 });
    const audit = await auditFor(row.id, "agency.created");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ areaId: world.home.area.id, userId: world.home.users.admin.id, entity: "agencies" });
  });

  it("leaves the verifier box unticked when it is not sent", async () => {
    const result = await create({ name: "Fire Service", kind: "fire" });
    expect(result.status).toBe(302);
    const [row] = (await agencyRows()).filter((a) => a.name === "Fire Service");
    expect(row).toMatchObject({ isVerifier: false, secureEmail: null });
  });

  it.each([
    ["an empty name", { ...good, name: "" }, "name", "admin:errors.nameRequired"],
    ["a blank name", { ...good, name: "   " }, "name", "admin:errors.nameRequired"],
    ["a name that is too long", { ...good, name: "x".repeat(121) }, "name", 'errors.tooLong|{"max":120}'],
    ["markup in the name", { ...good, name: "<script>alert(1)</script>" }, "name", "errors.noMarkup"],
    ["no kind", { ...good, kind: "" }, "kind", "admin:errors.kindRequired"],
    ["an unknown kind", { ...good, kind: "spaceship" }, "kind", "admin:errors.kindRequired"],
    ["a malformed email", { ...good, secureEmail: "not an email" }, "secureEmail", "errors.emailInvalid"],
    ["a verifier value that is not a checkbox", { ...good, isVerifier: "maybe" }, "isVerifier", "errors.invalid"],
    ["a name already used (in any case)", { ...good, name: "POLICE" }, "name", "admin:errors.agencyNameTaken"],
  ])("rejects %s with 400, the message on the field, and saves nothing", async (_label, form, field, message) => {
    const before = await agencyRows();
    const result = await create(form);
    expect(result.status).toBe(400);
    expect(result.data.result.error[field]).toContain(message);
    expect(await agencyRows()).toHaveLength(before.length);
  });
});

describe("changing an agency", () => {
  it("saves changes, bumps the version and audits which fields changed", async () => {
    const agency = await createAgency({
      actor: { userId: world.home.users.admin.id },
      areaId: world.home.area.id,
      values: { name: "Probation", kind: "probation", secureEmail: null, isVerifier: false },
    });
    const loaded = await invoke(editRoute.loader, makeRequest(`${base()}/${agency.id}`, { cookie: adminCookie }), { area: code, agencyId: agency.id });
    expect(loaded.data.agency).toMatchObject({ name: "Probation", version: 1 });
    const result = await edit(agency.id, { name: "Probation Service", kind: "probation", secureEmail: "marac@probation.example", version: "1" });
    expect(result.status).toBe(302);
    const [row] = await getDb().select().from(agencies).where(eq(agencies.id, agency.id));
    expect(row).toMatchObject({ name: "Probation Service", secureEmail: "marac@probation.example", version: 2 });
    const [audit] = await auditFor(agency.id, "agency.updated");
    expect(audit.detail).toEqual({ changed: ["name", "secureEmail"] });
  });

  it("refuses a second edit made from the same version, keeping the first", async () => {
    const agency = await createAgency({
      actor: { userId: world.home.users.admin.id },
      areaId: world.home.area.id,
      values: { name: "Education", kind: "education", secureEmail: null, isVerifier: false },
    });
    const first = await edit(agency.id, { name: "Education Safeguarding", kind: "education", version: "1" });
    expect(first.status).toBe(302);
    const second = await edit(agency.id, { name: "Schools", kind: "education", version: "1" });
    expect(second.status).toBe(409);
    expect(second.data.conflict).toBe("errors.stale");
    const [row] = await getDb().select().from(agencies).where(eq(agencies.id, agency.id));
    expect(row).toMatchObject({ name: "Education Safeguarding", version: 2 });
    await expect(
      updateAgency({
        actor: { userId: world.home.users.admin.id },
        areaId: world.home.area.id,
        agencyId: agency.id,
        version: 1,
        values: { name: "Schools", kind: "education", secureEmail: null, isVerifier: false },
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("rejects bad input on edit with 400 and changes nothing", async () => {
    const police = world.home.agencies.police;
    for (const form of [
      { name: "", kind: "police", version: "1" },
      { name: "<b>Police</b>", kind: "police", version: "1" },
      { name: "Police", kind: "police", version: "one" },
      { name: "Health Board", kind: "police", version: "1" },
    ]) {
      const result = await edit(police.id, form);
      expect(result.status).toBe(400);
    }
    const [row] = await getDb().select().from(agencies).where(eq(agencies.id, police.id));
    expect(row).toMatchObject({ name: "Police", version: 1 });
  });

  it("answers 404 for another panel's agency, an unknown id and a malformed id, and changes nothing", async () => {
    const foreign = world.other.agencies.police;
    for (const agencyId of [foreign.id, "7a0c2b8e-3c0d-4a55-9c55-2d7a0e0f9b11", "not-a-uuid"]) {
      const loaded = await invoke(editRoute.loader, makeRequest(`${base()}/${agencyId}`, { cookie: adminCookie }), { area: code, agencyId });
      expect(loaded.status).toBe(404);
      const posted = await edit(agencyId, { name: "Taken over", kind: "police", version: "1" });
      expect(posted.status).toBe(404);
    }
    const [row] = await getDb().select().from(agencies).where(eq(agencies.id, foreign.id));
    expect(row.name).toBe("Police");
  });

  it("deactivates and reactivates an agency, auditing both", async () => {
    const agency = await createAgency({
      actor: { userId: world.home.users.admin.id },
      areaId: world.home.area.id,
      values: { name: "Mental Health Team", kind: "mental_health", secureEmail: null, isVerifier: false },
    });
    expect((await edit(agency.id, { intent: "deactivate", version: "1" })).status).toBe(302);
    let [row] = await getDb().select().from(agencies).where(eq(agencies.id, agency.id));
    expect(row).toMatchObject({ active: false, version: 2 });
    expect(await auditFor(agency.id, "agency.deactivated")).toHaveLength(1);
    // A stale button press does nothing.
    expect((await edit(agency.id, { intent: "reactivate", version: "1" })).status).toBe(409);
    expect((await edit(agency.id, { intent: "reactivate", version: "2" })).status).toBe(302);
    [row] = await getDb().select().from(agencies).where(eq(agencies.id, agency.id));
    expect(row).toMatchObject({ active: true, version: 3 });
    expect(await auditFor(agency.id, "agency.reactivated")).toHaveLength(1);
  });
});

describe("who may manage agencies", () => {
  const roles = ["coordinator", "chair", "agency_rep", "idva"] as const;

  for (const role of roles) {
    it(`answers 403 to a ${role} of the same panel on every agency page and form`, async () => {
      const cookie = await sessionCookieFor(world.home.users[role].id);
      const agencyId = world.home.agencies.police.id;
      const p = { area: code, agencyId };
      expect((await invoke(adminIndex.loader, makeRequest(`/areas/${code}/admin`, { cookie }), p)).status).toBe(403);
      expect((await invoke(listRoute.loader, makeRequest(base(), { cookie }), p)).status).toBe(403);
      expect((await invoke(newRoute.loader, makeRequest(`${base()}/new`, { cookie }), p)).status).toBe(403);
      expect((await create({ ...good, name: `By ${role}` }, cookie)).status).toBe(403);
      expect((await invoke(editRoute.loader, makeRequest(`${base()}/${agencyId}`, { cookie }), p)).status).toBe(403);
      expect((await edit(agencyId, { name: "Renamed", kind: "police", version: "1" }, cookie)).status).toBe(403);
      expect((await edit(agencyId, { intent: "deactivate", version: "1" }, cookie)).status).toBe(403);
      const [row] = await getDb().select().from(agencies).where(eq(agencies.id, agencyId));
      expect(row).toMatchObject({ name: "Police", active: true });
      expect((await agencyRows()).some((a) => a.name === `By ${role}`)).toBe(false);
    });
  }

  it("answers 404 to the admin of another panel", async () => {
    const cookie = await sessionCookieFor(world.other.users.admin.id);
    expect((await create({ ...good, name: "Intruder" }, cookie)).status).toBe(404);
    expect((await agencyRows()).some((a) => a.name === "Intruder")).toBe(false);
  });
});
