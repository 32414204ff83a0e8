import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { auditEvents } from "#db/schema";
import { inTransaction, listAuditEvents, verifyAuditChains, writeAudit, type AuditInput } from "~/models/audit.server";
import { loader } from "~/routes/areas.$area.audit/route";
import { buildWorld, invoke, makeRequest, sessionCookieFor, type World } from "../support/world";

let world: World;
let adminCookie: string;
let path: string;

async function record(userId: string | null, input: AuditInput) {
  await inTransaction(undefined, (tx) => writeAudit(tx, { userId, ip: "192.0.2.7" }, input));
  // The log lists newest first by time; events of two chains in the same millisecond have no order
  // between them, and an append is quick enough for two to share one. Each event gets its own.
  await new Promise((resolve) => setTimeout(resolve, 2));
}

async function view(query = "", cookie = adminCookie) {
  const result = await invoke(loader, makeRequest(`${path}${query}`, { cookie }), { area: world.home.area.code.toLowerCase() });
  return result;
}

const actions = (data: any): string[] => data.events.map((e: any) => e.action);

beforeAll(async () => {
  world = await buildWorld();
  adminCookie = await sessionCookieFor(world.home.users.admin.id);
  path = `/areas/${world.home.area.code.toLowerCase()}/audit`;
  const home = world.home;
  await record(home.users.admin.id, { areaId: home.area.id, action: "agency.created", entity: "agencies", entityId: home.agencies.police.id, detail: { name: "Police" } });
  await record(home.users.coordinator.id, { areaId: home.area.id, action: "case.referred", entity: "cases", detail: { reference: "HOME-1" } });
  await record(null, { areaId: home.area.id, action: "area.settings_changed", entity: "areas", entityId: home.area.id });
  // Account events live in the global chain; a member's sign-in belongs in their panel's log.
  await record(home.users.chair.id, { action: "auth.sign_in", entity: "users", entityId: home.users.chair.id });
  await record(home.users.idva.id, { action: "auth.sign_in_failed", entity: "users", entityId: home.users.idva.id, detail: { reason: "wrong_password" } });
  // Literal pattern characters must not act as wildcards.
  await record(home.users.admin.id, { areaId: home.area.id, action: "oddXname", entity: "things" });
  await record(home.users.admin.id, { areaId: home.area.id, action: "odd_name", entity: "things" });
  // Another panel's events, and the sign-in of someone who is only in that panel.
  await record(world.other.users.admin.id, { areaId: world.other.area.id, action: "agency.created", entity: "agencies", detail: { name: "Secret agency" } });
  await record(world.other.users.chair.id, { action: "auth.sign_in", entity: "users", entityId: world.other.users.chair.id });
});

describe("audit log page", () => {
  it("shows the panel's events and its members' sign-ins, newest first, and nothing of another panel", async () => {
    const { status, data } = await view();
    expect(status).toBe(200);
    expect(actions(data)).toEqual(["odd_name", "oddXname", "auth.sign_in_failed", "auth.sign_in", "area.settings_changed", "case.referred", "agency.created"]);
    const people = data.events.map((e: any) => e.who);
    expect(people).toContainEqual({ kind: "user", name: world.home.users.chair.name, email: world.home.users.chair.email });
    expect(people).toContainEqual({ kind: "system" });
    expect(JSON.stringify(data.events)).not.toContain("Secret agency");
    expect(JSON.stringify(data.events)).not.toContain(world.other.users.chair.id);
    const created = data.events.find((e: any) => e.action === "agency.created");
    expect(created).toMatchObject({ entity: "agencies", entityId: world.home.agencies.police.id, ip: "192.0.2.7", chain: "panel", detail: [["name", "Police"]] });
    expect(created.time).toMatch(/^\d{1,2} \w{3,4} \d{4}, \d{2}:\d{2}:\d{2}$/);
    expect(data.events.find((e: any) => e.action === "auth.sign_in").chain).toBe("accounts");
  });

  it("offers the panel's members, and only them, as the user filter", async () => {
    const { data } = await view();
    const ids = data.userOptions.map((o: any) => o.value);
    expect(ids).toEqual(expect.arrayContaining(Object.values(world.home.users).map((u) => u.id)));
    expect(ids).not.toContain(world.other.users.admin.id);
  });

  it("filters by user", async () => {
    const { status, data } = await view(`?user=${world.home.users.coordinator.id}`);
    expect(status).toBe(200);
    expect(actions(data)).toEqual(["case.referred"]);
  });

  it("filters by action prefix, taking % and _ literally", async () => {
    expect(actions((await view("?action=auth.")).data)).toEqual(["auth.sign_in_failed", "auth.sign_in"]);
    expect(actions((await view("?action=agency")).data)).toEqual(["agency.created"]);
    expect(actions((await view("?action=odd_")).data)).toEqual(["odd_name"]);
    expect(actions((await view("?action=_")).data)).toEqual([]);
    // The page refuses %, but the domain function is safe with it too.
    const direct = await listAuditEvents({ actor: { userId: world.home.users.admin.id }, filter: { areaId: world.home.area.id, action: "%" } });
    expect(direct.events).toEqual([]);
  });

  it("filters by record type", async () => {
    expect(actions((await view("?entity=areas")).data)).toEqual(["area.settings_changed"]);
  });

  it("filters by date, counting the whole of the 'to' day", async () => {
    const today = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London" }).format(new Date());
    const [d, m, y] = today.split("/").map(Number);
    const todayUk = `${d}/${m}/${y}`;
    expect(actions((await view(`?from=${todayUk}&to=${todayUk}`)).data)).toContain("agency.created");
    expect(actions((await view(`?from=${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`)).data)).toContain("agency.created");
    expect(actions((await view("?to=1/1/2020")).data)).toEqual([]);
    expect(actions((await view(`?from=1/1/${y + 1}`)).data)).toEqual([]);
  });

  it("keeps filters on the 'Older events' link and pages without repeats or gaps", async () => {
    for (let i = 0; i < 55; i++) {
      await record(world.home.users.admin.id, { areaId: world.home.area.id, action: "bulk.event", entity: "things", detail: { i } });
    }
    const first = await view("?action=bulk.");
    expect(first.data.events).toHaveLength(50);
    expect(first.data.newestHref).toBeNull();
    const older = new URL(first.data.olderHref, "http://x");
    expect(older.searchParams.get("action")).toBe("bulk.");
    const second = await view(older.search);
    expect(second.status).toBe(200);
    expect(second.data.events).toHaveLength(5);
    expect(second.data.olderHref).toBeNull();
    expect(second.data.newestHref).toBe(`${path}?action=bulk.`);
    const seen = [...first.data.events, ...second.data.events].map((e: any) => JSON.parse(`{"${e.detail[0][0]}":${e.detail[0][1]}}`).i);
    expect(seen).toEqual(Array.from({ length: 55 }, (_, i) => 54 - i));
  });

  it.each([
    ["an impossible date", "?from=31/2/2026", "from", "audit:errors.fromInvalid"],
    ["a date that is not a date", "?to=yesterday", "to", "audit:errors.toInvalid"],
    ["a from date after the to date", "?from=2/3/2026&to=1/3/2026", "to", "audit:errors.toBeforeFrom"],
    ["a user id that is not an id", "?user=nobody", "user", "audit:errors.userInvalid"],
    ["a user from another panel", "", "user", "audit:errors.userInvalid"],
    ["an action with pattern syntax", "?action=a%20or%201=1", "action", "audit:errors.actionInvalid"],
  ])("answers 400 with a message for %s", async (_name, query, field, message) => {
    const q = query || `?user=${world.other.users.admin.id}`;
    const before = await getDb().select().from(auditEvents).where(and(eq(auditEvents.chain, world.home.area.id), eq(auditEvents.action, "audit.read")));
    const { status, data } = await view(q);
    expect(status).toBe(400);
    expect(data.result.error[field]).toEqual([message]);
    expect(data.events).toEqual([]);
    const after = await getDb().select().from(auditEvents).where(and(eq(auditEvents.chain, world.home.area.id), eq(auditEvents.action, "audit.read")));
    expect(after.length).toBe(before.length);
  });

  it("answers 400 for a tampered 'Older events' cursor", async () => {
    const { status, data } = await view("?before=not-a-cursor");
    expect(status).toBe(400);
    expect(data.result.error[""]).toEqual(["audit:errors.cursorInvalid"]);
  });

  it.each(["coordinator", "chair", "agency_rep", "idva"] as const)("refuses a %s of the panel with 403", async (role) => {
    const { status } = await view("", await sessionCookieFor(world.home.users[role].id));
    expect(status).toBe(403);
  });

  it("answers 404 to another panel's admin", async () => {
    const { status } = await view("", await sessionCookieFor(world.other.users.admin.id));
    expect(status).toBe(404);
  });

  it("records each reading of the log, with the filters used, in the panel's chain", async () => {
    await view(`?action=auth.&user=${world.home.users.chair.id}`);
    const [latest] = await getDb()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.chain, world.home.area.id))
      .orderBy(auditEvents.seq)
      .then((rows) => rows.slice(-1));
    expect(latest).toMatchObject({
      action: "audit.read",
      entity: "audit_events",
      userId: world.home.users.admin.id,
      detail: { filter: { action: "auth.", userId: world.home.users.chair.id } },
    });
    // The next reading shows the previous one.
    expect(actions((await view("?action=audit.")).data)[0]).toBe("audit.read");
    expect((await verifyAuditChains()).problems).toEqual([]);
  });
});
