import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { makeReferral } from "#db/factories";
import { areas, cases, meetingCases, meetings, type Meeting } from "#db/schema";
import { utcToLondon } from "~/lib/london-time";
import { decideReferral } from "~/models/cases/referrals.server";
import { ensureMeetingSeries, placeCaseOnNextMeeting } from "~/models/meetings.server";
import * as pdfRoute from "~/routes/areas.$area.meetings.$meetingId.agenda[.]pdf";
import * as editRoute from "~/routes/areas.$area.meetings.$meetingId.edit/route";
import * as meetingRoute from "~/routes/areas.$area.meetings.$meetingId._index/route";
import * as listRoute from "~/routes/areas.$area.meetings._index/route";
import { extractPdfPages } from "../support/pdf";
import { actorFor, buildWorld, invoke, makeRequest, sessionCookieFor, type World } from "../support/world";

let world: World;
let code: string;
let coordinator: string;
let meeting: Meeting;
let later: Meeting;
let foreignMeeting: Meeting;
const references: string[] = [];

function nextThursday() {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + ((4 - d.getUTCDay() + 7) % 7 || 7));
  return d.toISOString().slice(0, 10);
}

async function listCase(panel: World["home"], firstName: string, dashYes: number) {
  const { case: row } = await makeReferral(getDb(), {
    areaId: panel.area.id,
    areaCode: panel.area.code,
    agencyId: panel.agencies.health.id,
    userId: panel.users.agency_rep.id,
    status: "referred",
    dashYes,
    victim: { firstName, lastName: "Jones" },
  });
  const actor = actorFor(panel, "coordinator");
  let placed: Meeting | null = null;
  await decideReferral({ actor, caseId: row.id, version: row.version, decision: "accept", placeOnMeeting: async (tx, r) => (placed = await placeCaseOnNextMeeting(tx, actor, r)) });
  return { row, meeting: placed! as Meeting };
}

beforeAll(async () => {
  world = await buildWorld();
  code = world.home.area.code.toLowerCase();
  coordinator = await sessionCookieFor(world.home.users.coordinator.id);
  for (const panel of [world.home, world.other]) {
    await getDb().update(areas).set({ firstMeetingOn: nextThursday(), meetingTime: "10:00", nation: "wales", defaultVenue: "Room 2", confidentialityStatement: "Shared under the MARAC information sharing protocol." }).where(eq(areas.id, panel.area.id));
    await ensureMeetingSeries({ areaId: panel.area.id });
  }
  for (const [name, yes] of [["Alaw", 5], ["Begw", 16], ["Cari", 11]] as const) {
    const { row, meeting: m } = await listCase(world.home, name, yes);
    references.push(row.reference!);
    meeting = m;
  }
  const foreign = await listCase(world.other, "Dwynwen", 15);
  foreignMeeting = foreign.meeting;
  [later] = await getDb().select().from(meetings).where(eq(meetings.areaId, world.home.area.id)).orderBy(asc(meetings.startsAt)).then((rows) => rows.filter((m) => m.startsAt > meeting.startsAt));
});

const base = () => `/areas/${code}/meetings/${meeting.id}`;
const params = (meetingId = meeting.id) => ({ area: code, meetingId });
const loadMeeting = (cookie = coordinator, meetingId = meeting.id) => invoke(meetingRoute.loader, makeRequest(`/areas/${code}/meetings/${meetingId}`, { cookie }), params(meetingId));
const post = (form: Record<string, string>, cookie = coordinator, meetingId = meeting.id) =>
  invoke(meetingRoute.action, makeRequest(`/areas/${code}/meetings/${meetingId}`, { cookie, form }), params(meetingId));
const cookieOf = (role: "chair" | "agency_rep" | "idva" | "admin") => sessionCookieFor(world.home.users[role].id);

async function current() {
  const [m] = await getDb().select().from(meetings).where(eq(meetings.id, meeting.id));
  const rows = await getDb()
    .select({ id: meetingCases.id, position: meetingCases.position, minutes: meetingCases.plannedMinutes, version: meetingCases.version, reference: cases.reference })
    .from(meetingCases)
    .innerJoin(cases, eq(cases.id, meetingCases.caseId))
    .where(eq(meetingCases.meetingId, meeting.id))
    .orderBy(asc(meetingCases.position));
  return { meeting: m, rows };
}

describe("meetings list", () => {
  it("shows the coordinator upcoming meetings with case counts, and agency representatives none until circulated", async () => {
    const result = await invoke(listRoute.loader, makeRequest(`/areas/${code}/meetings`, { cookie: coordinator }), { area: code });
    expect(result.status).toBe(200);
    const row = result.data.meetings.find((m: { id: string }) => m.id === meeting.id);
    expect(row).toMatchObject({ caseCount: 3, venue: "Room 2", status: "planned", time: "10:00" });
    expect(row.timetable.referralCutoff).toMatch(/\d{1,2} \w+ \d{4}/);
    const rep = await invoke(listRoute.loader, makeRequest(`/areas/${code}/meetings`, { cookie: await cookieOf("agency_rep") }), { area: code });
    expect(rep.status).toBe(200);
    expect(rep.data.meetings.map((m: { id: string }) => m.id)).not.toContain(meeting.id);
    expect((await invoke(listRoute.loader, makeRequest(`/areas/${code}/meetings`, { cookie: await cookieOf("admin") }), { area: code })).status).toBe(403);
  });
});

describe("the meeting page", () => {
  it("shows the timetable and the numbered case list with time slots", async () => {
    const result = await loadMeeting();
    expect(result.status).toBe(200);
    expect(result.data.compile).toBe(true);
    expect(result.data.agenda.map((r: { reference: string }) => r.reference)).toEqual(references);
    expect(result.data.agenda.map((r: { startsAt: string }) => r.startsAt)).toEqual(["10:00", "10:12", "10:24"]);
    expect(result.data.agenda[0].victimInitials).toBe("A.J.");
    expect(result.data.targets.map((t: { value: string }) => t.value)).toContain(later.id);
    expect(result.data.targets.map((t: { value: string }) => t.value)).not.toContain(meeting.id);
  });

  it("answers 404 to an agency representative before circulation, and another panel's meeting to anyone here", async () => {
    expect((await loadMeeting(await cookieOf("agency_rep"))).status).toBe(404);
    expect((await loadMeeting(await cookieOf("idva"))).status).toBe(404);
    expect((await loadMeeting(await cookieOf("chair"))).status).toBe(200);
    expect((await loadMeeting(coordinator, foreignMeeting.id)).status).toBe(404);
    expect((await loadMeeting(coordinator, "not-a-meeting")).status).toBe(404);
  });

  it("moves a case up, guarded by the meeting version", async () => {
    const before = await current();
    const second = before.rows[1];
    const result = await post({ intent: "move", meetingCaseId: second.id, direction: "up", version: String(before.meeting.version) });
    expect(result.status).toBe(302);
    expect(result.location).toBe(base());
    const after = await current();
    expect(after.rows.map((r) => r.id)).toEqual([second.id, before.rows[0].id, before.rows[2].id]);
    // The same form again, with the version it read: a conflict, nothing changed.
    const stale = await post({ intent: "move", meetingCaseId: second.id, direction: "down", version: String(before.meeting.version) });
    expect(stale.status).toBe(409);
    expect(stale.data.problem.key).toBe("errors.stale");
    expect((await current()).rows.map((r) => r.id)).toEqual(after.rows.map((r) => r.id));
  });

  it("orders by risk and puts repeats first", async () => {
    let { meeting: m } = await current();
    expect((await post({ intent: "reorder", mode: "risk", version: String(m.version) })).status).toBe(302);
    expect((await current()).rows.map((r) => r.reference)).toEqual([references[1], references[2], references[0]]);
    ({ meeting: m } = await current());
    expect((await post({ intent: "reorder", mode: "repeats_first", version: String(m.version) })).status).toBe(302);
    expect((await post({ intent: "reorder", mode: "alphabetical", version: String(m.version + 1) })).status).toBe(400);
    expect((await post({ intent: "reorder", mode: "risk", version: "x" })).status).toBe(400);
    expect((await post({ intent: "nonsense" })).status).toBe(400);
  });

  it("sets planned minutes from 1 to 60 and refuses anything else", async () => {
    const { rows } = await current();
    const row = rows[0];
    for (const minutes of ["", "0", "61", "abc", "1.5", "<b>5</b>"]) {
      const result = await post({ intent: "minutes", meetingCaseId: row.id, version: String(row.version), minutes });
      expect(result.status, minutes).toBe(400);
      expect(result.data.problem).toMatchObject({ key: "cases:agenda.errors.minutes", meetingCaseId: row.id });
    }
    expect((await post({ intent: "minutes", meetingCaseId: crypto.randomUUID(), version: "1", minutes: "20" })).status).toBe(404);
    expect((await post({ intent: "minutes", meetingCaseId: row.id, version: String(row.version + 5), minutes: "20" })).status).toBe(409);
    expect((await current()).rows[0].minutes).toBe(12);
    expect((await post({ intent: "minutes", meetingCaseId: row.id, version: String(row.version), minutes: "25" })).status).toBe(302);
    expect((await current()).rows[0].minutes).toBe(25);
    const page = await loadMeeting();
    expect(page.data.agenda.map((r: { startsAt: string }) => r.startsAt)).toEqual(["10:00", "10:25", "10:37"]);
  });

  it("refuses to move a case to another panel's meeting or an unknown one (404)", async () => {
    const { rows } = await current();
    expect((await post({ intent: "moveToMeeting", meetingCaseId: rows[2].id, targetMeetingId: foreignMeeting.id })).status).toBe(404);
    expect((await post({ intent: "moveToMeeting", meetingCaseId: rows[2].id, targetMeetingId: crypto.randomUUID() })).status).toBe(404);
    expect((await post({ intent: "moveToMeeting", meetingCaseId: rows[2].id, targetMeetingId: "" })).status).toBe(400);
    expect((await post({ intent: "moveToMeeting", meetingCaseId: crypto.randomUUID(), targetMeetingId: later.id })).status).toBe(404);
    expect((await current()).rows).toHaveLength(3);
  });

  it("is closed to the chair, agency representatives and IDVAs for every change (403)", async () => {
    const { meeting: m, rows } = await current();
    for (const role of ["chair", "agency_rep", "idva"] as const) {
      const cookie = await cookieOf(role);
      expect((await post({ intent: "reorder", mode: "risk", version: String(m.version) }, cookie)).status).toBe(403);
      expect((await post({ intent: "circulate", version: String(m.version) }, cookie)).status).toBe(403);
      expect((await post({ intent: "minutes", meetingCaseId: rows[0].id, version: String(rows[0].version), minutes: "5" }, cookie)).status).toBe(403);
    }
    expect((await current()).meeting.version).toBe(m.version);
  });

  it("produces the agenda PDF with every reference and the marking on every page", async () => {
    const result = await invoke(pdfRoute.loader, makeRequest(`${base()}/agenda.pdf`, { cookie: coordinator }), params());
    expect(result.status).toBe(200);
    const response = result.response!;
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${world.home.area.code}-agenda-${utcToLondon(meeting.startsAt).date}.pdf"`);
    const pages = await extractPdfPages(Buffer.from(await response.arrayBuffer()));
    const text = pages.join(" ");
    // Long test area codes wrap inside the reference column.
    for (const ref of references) expect(text.replace(/\s/g, "")).toContain(ref);
    expect(text).toContain("Shared under the MARAC information sharing protocol.");
    for (const page of pages) expect(page).toContain("OFFICIAL-SENSITIVE");
    expect((await invoke(pdfRoute.loader, makeRequest(`${base()}/agenda.pdf`, { cookie: await cookieOf("agency_rep") }), params())).status).toBe(404);
  });

  it("protects the PDF with a password of at least 8 characters", async () => {
    const short = await invoke(pdfRoute.action, makeRequest(`${base()}/agenda.pdf`, { cookie: coordinator, form: { password: "short" } }), params());
    expect(short.status).toBe(303);
    expect(short.location).toMatch(new RegExp(`^${base()}\\?pdfError=`));
    const result = await invoke(pdfRoute.action, makeRequest(`${base()}/agenda.pdf`, { cookie: coordinator, form: { password: "river-otter-42" } }), params());
    expect(result.status).toBe(200);
    const bytes = Buffer.from(await result.response!.arrayBuffer());
    await expect(extractPdfPages(bytes)).rejects.toThrow();
    expect((await extractPdfPages(bytes, "river-otter-42")).join("").replace(/\s/g, "")).toContain(references[0]);
  });

  it("moves a case to a later open meeting", async () => {
    const { rows } = await current();
    const result = await post({ intent: "moveToMeeting", meetingCaseId: rows[2].id, targetMeetingId: later.id });
    expect(result.status).toBe(302);
    expect((await current()).rows).toHaveLength(2);
    const moved = await getDb().select().from(meetingCases).where(eq(meetingCases.meetingId, later.id));
    expect(moved).toHaveLength(1);
  });

  it("circulates the list: the agency representative can then see it, and it cannot be circulated twice", async () => {
    const { meeting: m } = await current();
    expect((await post({ intent: "circulate", version: String(m.version) })).status).toBe(302);
    expect((await loadMeeting(await cookieOf("agency_rep"))).status).toBe(200);
    const rep = await loadMeeting(await cookieOf("agency_rep"));
    expect(rep.data.compile).toBe(false);
    expect(rep.data.agenda).toHaveLength(2);
    const again = await post({ intent: "circulate", version: String(m.version + 1) });
    expect(again.status).toBe(409);
    expect(again.data.problem.key).toBe("cases:meetings.errors.alreadyCirculated");
    expect((await invoke(pdfRoute.loader, makeRequest(`${base()}/agenda.pdf`, { cookie: await cookieOf("agency_rep") }), params())).status).toBe(200);
  });
});

describe("rescheduling and cancelling", () => {
  const edit = (form: Record<string, string>, cookie = coordinator) =>
    invoke(editRoute.action, makeRequest(`/areas/${code}/meetings/${later.id}/edit`, { cookie, form }), params(later.id));
  const laterRow = async () => (await getDb().select().from(meetings).where(eq(meetings.id, later.id)))[0];

  it("refuses bad dates, times and venues with 400 and changes nothing", async () => {
    const m = await laterRow();
    const good = { intent: "reschedule", version: String(m.version), date: utcToLondon(m.startsAt).date, time: "14:30", venue: "Room 4" };
    const bad: [Record<string, string>, string][] = [
      [{ date: "" }, "date"],
      [{ date: "2027-02-30" }, "date"],
      [{ date: "next week" }, "date"],
      [{ date: "2020-01-02" }, "date"],
      [{ time: "25:00" }, "time"],
      [{ time: "" }, "time"],
      [{ venue: "<script>alert(1)</script>" }, "venue"],
      [{ venue: "x".repeat(301) }, "venue"],
    ];
    for (const [change, field] of bad) {
      const result = await edit({ ...good, ...change });
      expect(result.status, JSON.stringify(change)).toBe(400);
      expect(result.data.result.error[field]).toBeTruthy();
    }
    expect((await edit({ ...good, version: String(m.version + 3) })).status).toBe(409);
    expect((await laterRow()).startsAt.getTime()).toBe(m.startsAt.getTime());
    expect((await edit(good, await cookieOf("chair"))).status).toBe(403);
  });

  it("reschedules a meeting to a new time and venue", async () => {
    const m = await laterRow();
    const date = utcToLondon(m.startsAt).date;
    const result = await edit({ intent: "reschedule", version: String(m.version), date, time: "14:30", venue: "Room 4" });
    expect(result.status).toBe(302);
    const after = await laterRow();
    expect(utcToLondon(after.startsAt)).toEqual({ date, time: "14:30" });
    expect(after.venue).toBe("Room 4");
  });

  it("cancelling needs a reason, then moves the cases on", async () => {
    const m = await laterRow();
    const empty = await edit({ intent: "cancel", version: String(m.version), reason: " " });
    expect(empty.status).toBe(400);
    expect(empty.data.result.error.reason).toEqual(["cases:meetings.errors.reasonRequired"]);
    expect((await laterRow()).status).toBe("planned");
    const result = await edit({ intent: "cancel", version: String(m.version), reason: "Chair unavailable" });
    expect(result.status).toBe(302);
    expect(result.location).toBe(`/areas/${code}/meetings`);
    expect(await laterRow()).toMatchObject({ status: "cancelled", cancelledReason: "Chair unavailable" });
    expect(await getDb().select().from(meetingCases).where(eq(meetingCases.meetingId, later.id))).toHaveLength(0);
  });

  it("shows the edit page only to the coordinator", async () => {
    const url = `/areas/${code}/meetings/${meeting.id}/edit`;
    expect((await invoke(editRoute.loader, makeRequest(url, { cookie: coordinator }), params())).status).toBe(200);
    expect((await invoke(editRoute.loader, makeRequest(url, { cookie: await cookieOf("chair") }), params())).status).toBe(403);
  });
});
