import { and, desc, eq, gt } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { actions, auditEvents, meetingCases, meetings, type Role } from "#db/schema";
import * as csvRoute from "~/routes/areas.$area.tracker[.]csv";
import * as trackerRoute from "~/routes/areas.$area.tracker._index/route";
import * as meetingRoute from "~/routes/areas.$area.meetings.$meetingId._index/route";
import * as minutesRoute from "~/routes/areas.$area.meetings.$meetingId.minutes[.]pdf";
import { todayInLondon } from "~/lib/london-time";
import { extractPdfPages } from "../support/pdf";
import { CONFIDENTIAL_ADDRESS, SAFE_NUMBER, setUpHeldMeeting } from "../support/held-meeting";
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
const tracker = async (query: string, role: Role = "chair") => invoke(trackerRoute.loader, makeRequest(`/areas/${code}/tracker${query}`, { cookie: await cookieOf(role) }), { area: code });
const csv = async (query: string, role: Role = "chair") => invoke(csvRoute.loader, makeRequest(`/areas/${code}/tracker.csv${query}`, { cookie: await cookieOf(role) }), { area: code });
const minutesPdf = async (role: Role, meetingId = setup.held.id, panel: "home" | "other" = "home") =>
  invoke(minutesRoute.loader, makeRequest(`/areas/${code}/meetings/${meetingId}/minutes.pdf`, { cookie: await cookieOf(role, panel) }), { area: code, meetingId });
const pdfText = async (result: Awaited<ReturnType<typeof minutesPdf>>) => extractPdfPages(new Uint8Array(await result.response!.arrayBuffer()));
const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

beforeAll(async () => {
  world = await buildWorld();
  code = world.home.area.code.toLowerCase();
  setup = await setUpHeldMeeting(world);
  foreign = await setUpHeldMeeting(world, world.other);
});

describe("the action tracker", () => {
  it("shows the chair counts by agency and every action, overdue first", async () => {
    const result = await tracker("");
    expect(result.status).toBe(200);
    expect(result.data.rows[0]).toMatchObject({ id: setup.actions.policeOverdue.id, overdue: true });
    expect(ids(result.data.rows)).toEqual(ids(Object.values(setup.actions)));
    const police = result.data.counts.find((c: { agency: string }) => c.agency === "Police");
    const health = result.data.counts.find((c: { agency: string }) => c.agency === "Health Board");
    expect(police).toMatchObject({ open: 2, overdue: 1, completed: 0, notCompleted: 0 });
    expect(health).toMatchObject({ open: 1, overdue: 0, completed: 0, notCompleted: 0 });
    expect(result.data.escalations).toEqual([]);
    expect(result.data.csv).toBe(`/areas/${code}/tracker.csv`);
    // Counted per agency, then named: in order of name, and only agencies that own an action.
    const names = result.data.counts.map((c: { agency: string }) => c.agency);
    expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b, "en")));
    expect(new Set(names)).toEqual(new Set(["Police", "Health Board"]));
  });

  it("audits both of its lists in one transaction: two rows, in order, with one time", async () => {
    const [before] = await getDb().select({ seq: auditEvents.seq }).from(auditEvents).where(eq(auditEvents.chain, world.home.area.id)).orderBy(desc(auditEvents.seq)).limit(1);
    const result = await tracker("?overdue=on");
    expect(result.status).toBe(200);
    const rows = await getDb().select().from(auditEvents).where(and(eq(auditEvents.chain, world.home.area.id), gt(auditEvents.seq, before?.seq ?? 0))).orderBy(auditEvents.seq);
    expect(rows.map((r) => [r.action, r.userId, r.detail])).toEqual([
      ["actions.read", world.home.users.chair.id, { filter: { overdue: true }, rows: 1 }],
      ["actions.read", world.home.users.chair.id, { filter: { escalated: true }, rows: 0 }],
    ]);
    expect(rows[1].at.getTime()).toBe(rows[0].at.getTime());
    expect(rows[1].seq).toBe(rows[0].seq + 1);
  });

  it("filters by agency, meeting, status and overdue, and keeps the filters on the CSV link", async () => {
    const byAgency = await tracker(`?agency=${world.home.agencies.health.id}`);
    expect(ids(byAgency.data.rows)).toEqual([setup.actions.healthAction.id]);
    expect(byAgency.data.csv).toBe(`/areas/${code}/tracker.csv?agency=${world.home.agencies.health.id}`);
    expect((await tracker(`?overdue=on`)).data.rows.map((r: { id: string }) => r.id)).toEqual([setup.actions.policeOverdue.id]);
    expect((await tracker(`?status=completed`)).data.rows).toEqual([]);
    expect((await tracker(`?meeting=${setup.held.id}`)).data.rows).toHaveLength(3);
    expect((await tracker(`?meeting=${setup.next.id}`)).data.rows).toEqual([]);
    // Another panel's meeting or agency finds nothing here; nonsense values are ignored.
    expect((await tracker(`?meeting=${foreign.held.id}`)).data.rows).toEqual([]);
    expect((await tracker(`?agency=${world.other.agencies.health.id}`)).data.rows).toEqual([]);
    expect((await tracker(`?status=lost&agency=nope&overdue=yes`)).data.rows).toHaveLength(3);
  });

  it("is for the chair and the coordinator only (agency representatives and administrators 403, another panel 404)", async () => {
    expect((await tracker("", "coordinator")).status).toBe(200);
    for (const role of ["agency_rep", "idva", "admin"] as const) {
      expect((await tracker("", role)).status, role).toBe(403);
      expect((await csv("", role)).status, role).toBe(403);
    }
    expect((await invoke(trackerRoute.loader, makeRequest(`/areas/${code}/tracker`, { cookie: await cookieOf("chair", "other") }), { area: code })).status).toBe(404);
  });

  it("downloads the filtered actions as CSV with translated headers and safe headers", async () => {
    const result = await csv(`?agency=${world.home.agencies.police.id}`);
    expect(result.status).toBe(200);
    const headers = result.response!.headers;
    expect(headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(headers.get("Content-Disposition")).toBe(`attachment; filename="${world.home.area.code}-actions-${todayInLondon()}.csv"`);
    expect(headers.get("Cache-Control")).toBe("no-store");
    const lines = (await result.response!.text()).trim().split("\r\n");
    expect(lines[0]).toMatch(/^"Case reference","Meeting date","Action","Owner agency"/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`"${setup.references[0]}"`);
    expect(lines[1]).toContain('"Flag the address for urgent response"');
    expect(lines.join("\n")).not.toContain("GP to arrange");
  });

  it("lists actions not completed at two meetings running in the escalation report", async () => {
    await getDb().update(actions).set({ carriedCount: 2 }).where(eq(actions.id, setup.actions.policeLater.id));
    const result = await tracker("");
    expect(result.data.escalations.map((r: { id: string; carried: number }) => [r.id, r.carried])).toEqual([[setup.actions.policeLater.id, 2]]);
    expect(ids((await tracker("?escalated=on")).data.rows)).toEqual([setup.actions.policeLater.id]);
  });
});

describe("carrying actions forward", () => {
  const meetingPost = async (meetingId: string, form: Record<string, string>, role: Role) =>
    invoke(meetingRoute.action, makeRequest(`/areas/${code}/meetings/${meetingId}`, { form, cookie: await cookieOf(role) }), { area: code, meetingId });

  it("offers the coordinator the button on the next planned meeting and puts the cases on it", async () => {
    const page = await invoke(meetingRoute.loader, makeRequest(`/areas/${code}/meetings/${setup.next.id}`, { cookie: await cookieOf("coordinator") }), { area: code, meetingId: setup.next.id });
    expect(page.data.afterMeeting.carry).toBe(true);
    expect((await meetingPost(setup.next.id, { intent: "carryForward" }, "chair")).status).toBe(403);
    const result = await meetingPost(setup.next.id, { intent: "carryForward" }, "coordinator");
    expect(result.status).toBe(302);
    expect(result.location).toBe(`/areas/${code}/meetings/${setup.next.id}`);
    const listed = await getDb().select().from(meetingCases).where(eq(meetingCases.meetingId, setup.next.id));
    expect(listed).toHaveLength(2);
    const [row] = await getDb().select().from(actions).where(eq(actions.id, setup.actions.healthAction.id));
    expect(row.carriedCount).toBe(1);
  });

  it("refuses to carry forward onto a held meeting (409) and an unknown one (404)", async () => {
    const held = await meetingPost(setup.held.id, { intent: "carryForward" }, "coordinator");
    expect(held.status).toBe(409);
    expect(held.data.problem.key).toBe("cases:actions.errors.nextClosed");
    expect((await meetingPost(crypto.randomUUID(), { intent: "carryForward" }, "coordinator")).status).toBe(404);
  });
});

describe("the minutes and action plan PDF", () => {
  it("gives the coordinator the full version with attendance, minutes, restricted details and the plan", async () => {
    const result = await minutesPdf("coordinator");
    expect(result.status).toBe(200);
    expect(result.response!.headers.get("Content-Type")).toBe("application/pdf");
    expect(result.response!.headers.get("Cache-Control")).toBe("no-store");
    const pages = await pdfText(result);
    pages.forEach((page, i) => {
      expect(page).toContain("OFFICIAL-SENSITIVE");
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
    });
    const text = pages.join(" ");
    for (const expected of [
      "Attendance",
      "Police: DS Jones",
      "Health Board (information sent)",
      "Absent IDVA Service",
      "Student social worker (Llanfair University)",
      "Shared under the Llanfair information sharing protocol.",
      setup.references[0],
      setup.references[1],
      "Sanctuary scheme.",
      "Repeat",
      SAFE_NUMBER,
      CONFIDENTIAL_ADDRESS,
      "Action plan",
      "Flag the address for urgent response",
      "GP to arrange a safe appointment",
    ])
      expect(text).toContain(expected);
    expect(text.indexOf(setup.references[0])).toBeLessThan(text.indexOf(setup.references[1]));
  });

  it("gives the chair the full version too", async () => {
    const text = (await pdfText(await minutesPdf("chair"))).join(" ");
    expect(text).toContain(SAFE_NUMBER);
  });

  it("is not available to agencies before the minutes are circulated", async () => {
    expect((await minutesPdf("agency_rep")).status).toBe(404);
    const page = await invoke(meetingRoute.loader, makeRequest(`/areas/${code}/meetings/${setup.held.id}`, { cookie: await cookieOf("agency_rep") }), { area: code, meetingId: setup.held.id });
    expect(page.data.afterMeeting.minutesPdf).toBeNull();
  });

  it("lets the coordinator mark the minutes circulated, with the due date shown", async () => {
    const page = await invoke(meetingRoute.loader, makeRequest(`/areas/${code}/meetings/${setup.held.id}`, { cookie: await cookieOf("coordinator") }), { area: code, meetingId: setup.held.id });
    expect(page.data.afterMeeting).toMatchObject({ circulateMinutes: true, carry: false, minutesPdf: `/areas/${code}/meetings/${setup.held.id}/minutes.pdf` });
    expect(page.data.afterMeeting.minutesDue).toBeTruthy();
    const post = (form: Record<string, string>) =>
      invoke(meetingRoute.action, makeRequest(`/areas/${code}/meetings/${setup.held.id}`, { form, cookie: cookies.get("home:coordinator")! }), { area: code, meetingId: setup.held.id });
    expect((await post({ intent: "circulateMinutes", version: "nope" })).status).toBe(400);
    expect((await post({ intent: "circulateMinutes", version: String(setup.held.version + 7) })).status).toBe(409);
    const done = await post({ intent: "circulateMinutes", version: String(setup.held.version) });
    expect(done.status).toBe(302);
    const [row] = await getDb().select().from(meetings).where(eq(meetings.id, setup.held.id));
    expect(row.status).toBe("minutes_circulated");
  });

  it("gives an agency the version without restricted details, but with every agency's actions", async () => {
    const page = await invoke(meetingRoute.loader, makeRequest(`/areas/${code}/meetings/${setup.held.id}`, { cookie: await cookieOf("agency_rep") }), { area: code, meetingId: setup.held.id });
    expect(page.data.afterMeeting).toMatchObject({ minutesPdf: `/areas/${code}/meetings/${setup.held.id}/minutes.pdf`, circulateMinutes: false, carry: false });
    const result = await minutesPdf("agency_rep");
    expect(result.status).toBe(200);
    const pages = await pdfText(result);
    pages.forEach((page, i) => {
      expect(page).toContain("OFFICIAL-SENSITIVE");
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
    });
    const text = pages.join(" ");
    expect(text).toContain("Version for Health Board");
    expect(text).toContain("Sanctuary scheme.");
    expect(text).toContain("Flag the address for urgent response");
    expect(text).toContain("GP to arrange a safe appointment");
    expect(text).not.toContain(SAFE_NUMBER);
    expect(text).not.toContain(CONFIDENTIAL_ADDRESS);
    expect(text).not.toContain("Her brother");
    expect(text).not.toContain("Restricted");
    const audit = await getDb().select().from(auditEvents).where(eq(auditEvents.entityId, setup.held.id)).orderBy(auditEvents.seq);
    expect(audit.filter((a) => a.action === "meeting.minutes_read").map((a) => (a.detail as { version: string }).version)).toEqual(["full", "full", "agency"]);
  });

  it("answers 403 to the administrator and 404 for another panel's, a planned or an unknown meeting", async () => {
    expect((await minutesPdf("admin")).status).toBe(403);
    expect((await minutesPdf("coordinator", foreign.held.id)).status).toBe(404);
    expect((await minutesPdf("coordinator", setup.next.id)).status).toBe(404);
    expect((await minutesPdf("coordinator", crypto.randomUUID())).status).toBe(404);
    expect((await minutesPdf("chair", setup.held.id, "other")).status).toBe(404);
  });
});
