import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { actions, actionUpdates, type Action } from "#db/schema";
import type { Role } from "#db/schema";
import * as homeRoute from "~/routes/areas.$area._index";
import * as listRoute from "~/routes/areas.$area.actions._index/route";
import * as actionRoute from "~/routes/areas.$area.actions.$actionId/route";
import { todayInLondon } from "~/lib/london-time";
import { addDays, setUpHeldMeeting } from "../support/held-meeting";
import { buildWorld, invoke, makeRequest, sessionCookieFor, type World } from "../support/world";

let world: World;
let code: string;
let setup: Awaited<ReturnType<typeof setUpHeldMeeting>>;
let foreign: Awaited<ReturnType<typeof setUpHeldMeeting>>;
const cookies = new Map<string, string>();

async function cookieOf(role: Role, panel: "home" | "other" = "home") {
  const key = `${panel}:${role}`;
  if (!cookies.has(key)) cookies.set(key, await sessionCookieFor(world[panel].users[role].id));
  return cookies.get(key)!;
}
const actionRow = async (id: string): Promise<Action> => (await getDb().select().from(actions).where(eq(actions.id, id)))[0];
const path = (id: string) => `/areas/${code}/actions/${id}`;
const load = async (id: string, cookie: string) => invoke(actionRoute.loader, makeRequest(path(id), { cookie }), { area: code, actionId: id });
const post = async (id: string, form: Record<string, string>, cookie: string) => invoke(actionRoute.action, makeRequest(path(id), { cookie, form }), { area: code, actionId: id });

beforeAll(async () => {
  world = await buildWorld();
  code = world.home.area.code.toLowerCase();
  setup = await setUpHeldMeeting(world);
  foreign = await setUpHeldMeeting(world, world.other);
});

describe("the actions list", () => {
  it("shows an agency representative only their agency's actions", async () => {
    const result = await invoke(listRoute.loader, makeRequest(`/areas/${code}/actions`, { cookie: await cookieOf("agency_rep") }), { area: code });
    expect(result.status).toBe(200);
    expect(result.data.rows.map((r: { id: string }) => r.id)).toEqual([setup.actions.healthAction.id]);
    // One agency's list does not repeat the agency on every row.
    expect(result.data.everyAgency).toBe(false);
    expect(result.data.rows[0].agency).toBeNull();
  });

  it("shows the chair every action, overdue first with its tag", async () => {
    const result = await invoke(listRoute.loader, makeRequest(`/areas/${code}/actions`, { cookie: await cookieOf("chair") }), { area: code });
    expect(result.data.rows).toHaveLength(3);
    expect(result.data.rows[0]).toMatchObject({ id: setup.actions.policeOverdue.id, overdue: true, status: "open" });
    // Rows of several agencies each name their owner.
    expect(result.data.everyAgency).toBe(true);
    expect(result.data.rows.map((r: { agency: string }) => r.agency).sort()).toEqual(["Health Board", "Police", "Police"].sort());
    expect(result.data.rows.slice(1).every((r: { overdue: boolean }) => !r.overdue)).toBe(true);
  });

  it("lists current actions by default, and older closed ones only when asked", async () => {
    const id = setup.actions.healthAction.id;
    const before = await actionRow(id);
    const list = async (query = "") =>
      (await invoke(listRoute.loader, makeRequest(`/areas/${code}/actions${query}`, { cookie: await cookieOf("agency_rep") }), { area: code })).data;
    try {
      // Closed 200 days ago: history, not work.
      await getDb().update(actions).set({ status: "completed", completedOn: addDays(todayInLondon(), -200), updatedAt: new Date(Date.now() - 200 * 86_400_000) }).where(eq(actions.id, id));
      const current = await list();
      expect(current.rows).toEqual([]);
      expect(current).toMatchObject({ all: false, toggle: `/areas/${code}/actions?all=1` });
      const all = await list("?all=1");
      expect(all.rows.map((r: { id: string }) => r.id)).toEqual([id]);
      expect(all).toMatchObject({ all: true, toggle: `/areas/${code}/actions` });
      // Closed yesterday: still on the working list.
      await getDb().update(actions).set({ updatedAt: new Date(Date.now() - 86_400_000) }).where(eq(actions.id, id));
      expect((await list()).rows.map((r: { id: string }) => r.id)).toEqual([id]);
    } finally {
      await getDb().update(actions).set({ status: before.status, completedOn: before.completedOn, updatedAt: before.updatedAt }).where(eq(actions.id, id));
    }
  });

  it("counts the agency's open actions on the panel home, and not for the chair", async () => {
    const home = async (role: Role) => invoke(homeRoute.loader, makeRequest(`/areas/${code}`, { cookie: await cookieOf(role) }), { area: code });
    expect((await home("agency_rep")).data.actionsDue).toEqual({ open: 1, overdue: 0, href: `/areas/${code}/actions` });
    expect((await home("idva")).data.actionsDue).toMatchObject({ open: 0, overdue: 0 });
    expect((await home("chair")).data.actionsDue).toBeNull();
  });

  it("is closed to the administrator (403) and to members of another panel (404)", async () => {
    expect((await invoke(listRoute.loader, makeRequest(`/areas/${code}/actions`, { cookie: await cookieOf("admin") }), { area: code })).status).toBe(403);
    expect((await invoke(listRoute.loader, makeRequest(`/areas/${code}/actions`, { cookie: await cookieOf("chair", "other") }), { area: code })).status).toBe(404);
  });
});

describe("an action's page", () => {
  it("shows the owner agency the action with its history", async () => {
    const result = await load(setup.actions.healthAction.id, await cookieOf("agency_rep"));
    expect(result.status).toBe(200);
    expect(result.data.action).toMatchObject({ reference: setup.references[0], description: "GP to arrange a safe appointment", agency: "Health Board", status: "open", priority: "medium" });
    expect(result.data.history).toHaveLength(1);
    expect(result.data.editable).toBe(true);
  });

  it("answers 404 for another agency's action, another panel's action and an unknown id", async () => {
    expect((await load(setup.actions.policeOverdue.id, await cookieOf("agency_rep"))).status).toBe(404);
    expect((await load(setup.actions.healthAction.id, await cookieOf("idva"))).status).toBe(404);
    expect((await load(foreign.actions.healthAction.id, await cookieOf("chair"))).status).toBe(404);
    expect((await load("not-an-id", await cookieOf("chair"))).status).toBe(404);
    expect((await load(crypto.randomUUID(), await cookieOf("chair"))).status).toBe(404);
    const { version } = await actionRow(setup.actions.policeOverdue.id);
    expect((await post(setup.actions.policeOverdue.id, { version: String(version), status: "in_progress" }, await cookieOf("agency_rep"))).status).toBe(404);
    expect((await post(crypto.randomUUID(), { version: "1", status: "in_progress" }, await cookieOf("agency_rep"))).status).toBe(404);
    expect((await actionRow(setup.actions.policeOverdue.id)).version).toBe(version);
  });

  it("is closed to the administrator (403) and to another panel's users (404)", async () => {
    expect((await load(setup.actions.healthAction.id, await cookieOf("admin"))).status).toBe(403);
    expect((await post(setup.actions.healthAction.id, { version: "1", status: "in_progress" }, await cookieOf("admin"))).status).toBe(403);
    expect((await load(setup.actions.healthAction.id, await cookieOf("agency_rep", "other"))).status).toBe(404);
  });

  it("refuses bad input with the message on the field and saves nothing", async () => {
    const id = setup.actions.healthAction.id;
    const before = await actionRow(id);
    const v = String(before.version);
    const cases: [Record<string, string>, string, string][] = [
      [{ version: v }, "status", "actions:errors.status"],
      [{ version: v, status: "done" }, "status", "actions:errors.status"],
      [{ version: v, status: "completed", completedOn: addDays(todayInLondon(), 1), note: "Seen." }, "completedOn", "actions:errors.completedOnFuture"],
      [{ version: v, status: "completed", completedOn: "yesterday", note: "Seen." }, "completedOn", "actions:errors.completedOn"],
      [{ version: v, status: "completed", completedOn: "2026-02-30", note: "Seen." }, "completedOn", "actions:errors.completedOn"],
      [{ version: v, status: "completed", completedOn: todayInLondon() }, "note", "actions:errors.note"],
      [{ version: v, status: "not_completed", note: "Moved away." }, "reason", "actions:errors.reason"],
      [{ version: v, status: "not_completed", reason: "lost", note: "Moved away." }, "reason", "actions:errors.reason"],
      [{ version: v, status: "not_completed", reason: "not_undertaken" }, "note", "actions:errors.note"],
      [{ version: v, status: "in_progress", note: "x".repeat(2001) }, "note", 'errors.tooLong|{"max":2000}'],
      [{ version: v, status: "in_progress", note: "<script>alert(1)</script>" }, "note", "errors.noMarkup"],
      [{ version: "abc", status: "in_progress" }, "version", "errors.invalid"],
    ];
    for (const [form, field, message] of cases) {
      const result = await post(id, form, await cookieOf("agency_rep"));
      expect(result.status, JSON.stringify(form).slice(0, 80)).toBe(400);
      expect(result.data.result.error[field]).toContain(message);
    }
    const after = await actionRow(id);
    expect(after).toMatchObject({ version: before.version, status: "open", note: "" });
    expect(await getDb().select().from(actionUpdates).where(eq(actionUpdates.actionId, id))).toHaveLength(1);
  });

  it("lets the owner agency mark its action in progress and then completed", async () => {
    const id = setup.actions.healthAction.id;
    let row = await actionRow(id);
    const progress = await post(id, { version: String(row.version), status: "in_progress", note: "Appointment being arranged." }, await cookieOf("agency_rep"));
    expect(progress.status).toBe(302);
    expect(progress.location).toBe(`/areas/${code}/actions`);
    row = await actionRow(id);
    expect(row).toMatchObject({ status: "in_progress", note: "Appointment being arranged." });
    const done = await post(id, { version: String(row.version), status: "completed", completedOn: todayInLondon(), note: "Seen at the surgery." }, await cookieOf("agency_rep"));
    expect(done.status).toBe(302);
    expect(await actionRow(id)).toMatchObject({ status: "completed", completedOn: todayInLondon(), note: "Seen at the surgery." });
    const page = await load(id, await cookieOf("agency_rep"));
    expect(page.data.history.map((h: { to: string }) => h.to)).toEqual(["open", "in_progress", "completed"]);
    // Closed: the agency can no longer change it.
    expect(page.data.editable).toBe(false);
    const reopen = await post(id, { version: String((await actionRow(id)).version), status: "in_progress" }, await cookieOf("agency_rep"));
    expect(reopen.status).toBe(409);
    expect(reopen.data.conflict).toBe("cases:actions.errors.closed");
  });

  it("lets the chair and the coordinator update any agency's action, with a reason when not completed", async () => {
    const id = setup.actions.policeLater.id;
    let row = await actionRow(id);
    expect((await post(id, { version: String(row.version), status: "in_progress" }, await cookieOf("chair"))).status).toBe(302);
    row = await actionRow(id);
    const result = await post(id, { version: String(row.version), status: "not_completed", reason: "circumstances_changed", note: "Bail conditions lapsed." }, await cookieOf("coordinator"));
    expect(result.status).toBe(302);
    expect(await actionRow(id)).toMatchObject({ status: "not_completed", notCompletedReason: "circumstances_changed", note: "Bail conditions lapsed." });
  });

  it("refuses a stale update with 409, showing the newer status, and keeps the newer update", async () => {
    const id = setup.actions.policeOverdue.id;
    const { version } = await actionRow(id);
    const first = await post(id, { version: String(version), status: "completed", completedOn: todayInLondon(), note: "Flag added." }, await cookieOf("chair"));
    expect(first.status).toBe(302);
    const stale = await post(id, { version: String(version), status: "in_progress", note: "Working on it." }, await cookieOf("coordinator"));
    expect(stale.status).toBe(409);
    expect(stale.data).toMatchObject({ conflict: "errors.stale", currentStatus: "completed" });
    expect(await actionRow(id)).toMatchObject({ status: "completed", note: "Flag added.", version: version + 1 });
  });
});
