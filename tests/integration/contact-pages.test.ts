import { and, asc, eq, gt } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { makeReferral } from "#db/factories";
import { areas, auditEvents, meetingCases, meetings, safeContacts, victimContacts, victimViews } from "#db/schema";
import { AppError } from "~/models/errors.server";
import { ensureMeetingSeries } from "~/models/meetings.server";
import { listContactCases, logVictimContact } from "~/models/preparation/victim-contact.server";
import * as homeRoute from "~/routes/areas.$area._index";
import * as listRoute from "~/routes/areas.$area.cases._index/route";
import * as contactRoute from "~/routes/areas.$area.cases.$caseId.contact/route";
import { actorFor, buildWorld, invoke, makeRequest, sessionCookieFor, type World } from "../support/world";

let world: World;
let code: string;
let caseId: string;
let reference: string;
let quietCaseId: string;
let foreignCaseId: string;
const SAFE_NUMBER = "07700 900456";
const cookies: Record<string, string> = {};

function nextThursday() {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + ((4 - d.getUTCDay() + 7) % 7 || 7));
  return d.toISOString().slice(0, 10);
}

async function listOnNextMeeting(panel: World["home"], firstName: string) {
  const { case: row } = await makeReferral(getDb(), {
    areaId: panel.area.id,
    areaCode: panel.area.code,
    agencyId: panel.agencies.police.id,
    userId: panel.users.coordinator.id,
    status: "listed",
    victim: { firstName, lastName: "Pryce" },
  });
  const [meeting] = await getDb()
    .select()
    .from(meetings)
    .where(and(eq(meetings.areaId, panel.area.id), gt(meetings.startsAt, new Date())))
    .orderBy(asc(meetings.startsAt))
    .limit(1);
  await getDb().insert(meetingCases).values({ meetingId: meeting.id, caseId: row.id, position: 1 + Math.floor(Math.random() * 1000) });
  return { row, meeting };
}

const contactPath = (id: string) => `/areas/${code}/cases/${id}/contact`;
const load = (role: string, id = caseId) => invoke(contactRoute.loader, makeRequest(contactPath(id), { cookie: cookies[role] }), { area: code, caseId: id });
const post = (role: string, form: Record<string, string>, id = caseId) =>
  invoke(contactRoute.action, makeRequest(contactPath(id), { cookie: cookies[role], form }), { area: code, caseId: id });
const contactCount = async () => (await getDb().select().from(victimContacts).where(eq(victimContacts.caseId, caseId))).length;

const valid = { intent: "log", date: "2026-11-20", time: "10:15", method: "phone", outcome: "spoke", phase: "before", notes: "Spoke at a safe time." };

beforeAll(async () => {
  world = await buildWorld();
  code = world.home.area.code.toLowerCase();
  for (const panel of [world.home, world.other]) {
    await getDb().update(areas).set({ firstMeetingOn: nextThursday(), meetingTime: "10:00", nation: "wales" }).where(eq(areas.id, panel.area.id));
    await ensureMeetingSeries({ areaId: panel.area.id });
  }
  const listed = await listOnNextMeeting(world.home, "Mair");
  caseId = listed.row.id;
  reference = listed.row.reference!;
  await getDb().insert(safeContacts).values({ caseId, safeNumber: SAFE_NUMBER, safeTimes: "Weekdays 9–11", noMessages: true, mustNotKnow: "Her brother", notes: "Use the work mobile." });
  quietCaseId = (await listOnNextMeeting(world.home, "Nia")).row.id;
  foreignCaseId = (await listOnNextMeeting(world.other, "Osian")).row.id;
  for (const role of ["idva", "coordinator", "chair", "agency_rep", "admin"] as const) cookies[role] = await sessionCookieFor(world.home.users[role].id);
  cookies.otherIdva = await sessionCookieFor(world.other.users.idva.id);
});

describe("listContactCases", () => {
  it("lists cases on upcoming meetings of the actor's panel with contact and views state, and audits the read", async () => {
    const idva = actorFor(world.home, "idva");
    const before = await listContactCases({ actor: idva });
    expect(before.map((r) => r.caseId).sort()).toEqual([caseId, quietCaseId].sort());
    expect(before.find((r) => r.caseId === caseId)).toMatchObject({ reference, victimInitials: "M.P.", contact: "none", viewsRecorded: false });
    await logVictimContact({ actor: idva, caseId, contact: { at: new Date(Date.now() - 3600_000), method: "phone", outcome: "no_answer", phase: "before", notes: "", feedbackGiven: false } });
    expect((await listContactCases({ actor: idva })).find((r) => r.caseId === caseId)?.contact).toBe("attempted");
    await logVictimContact({ actor: idva, caseId: quietCaseId, contact: { at: new Date(Date.now() - 3600_000), method: "phone", outcome: "spoke", phase: "after", notes: "", feedbackGiven: false } });
    // Contact after the meeting does not count as contact before it.
    expect((await listContactCases({ actor: idva })).find((r) => r.caseId === quietCaseId)?.contact).toBe("none");
    const reads = await getDb().select().from(auditEvents).where(and(eq(auditEvents.action, "contact.list_read"), eq(auditEvents.userId, world.home.users.idva.id)));
    expect(reads.length).toBeGreaterThanOrEqual(3);
  });

  it("leaves out meetings that are held or in the past, and refuses those without contact permissions", async () => {
    const idva = actorFor(world.home, "idva");
    const far = new Date(Date.now() + 400 * 86400_000).toISOString().slice(0, 10);
    expect(await listContactCases({ actor: idva, today: far })).toEqual([]);
    const [row] = await getDb().select().from(meetingCases).where(eq(meetingCases.caseId, quietCaseId));
    await getDb().update(meetings).set({ status: "held" }).where(eq(meetings.id, row.meetingId));
    expect(await listContactCases({ actor: idva })).toEqual([]);
    await getDb().update(meetings).set({ status: "planned" }).where(eq(meetings.id, row.meetingId));
    const refused = await listContactCases({ actor: actorFor(world.home, "agency_rep") }).catch((e) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused.code).toBe("FORBIDDEN");
    expect((await listContactCases({ actor: actorFor(world.other, "idva") })).map((r) => r.caseId)).toEqual([foreignCaseId]);
  });
});

describe("victim contact page", () => {
  it("shows an IDVA the safe-contact rules and the log form", async () => {
    const page = await load("idva");
    expect(page.status).toBe(200);
    expect(page.data.safeContact).toMatchObject({ safeNumber: SAFE_NUMBER, noMessages: true, mustNotKnow: "Her brother", notes: "Use the work mobile." });
    expect(page.data.canLog).toBe(true);
    expect(page.data.reference).toBe(reference);
  });

  it("logs a contact attempt in London time and shows it in the log", async () => {
    const countBefore = await contactCount();
    const res = await post("idva", valid);
    expect(res.status).toBe(302);
    expect(res.location).toBe(contactPath(caseId));
    const [saved] = await getDb().select().from(victimContacts).where(and(eq(victimContacts.caseId, caseId), eq(victimContacts.outcome, "spoke")));
    expect(saved.at.toISOString()).toBe("2026-11-20T10:15:00.000Z"); // GMT in November
    expect(await contactCount()).toBe(countBefore + 1);
    const page = await load("idva");
    const shown = page.data.contacts.find((c: { id: string }) => c.id === saved.id);
    expect(shown).toMatchObject({ method: "phone", outcome: "spoke", phase: "before", who: world.home.users.idva.name, notes: "Spoke at a safe time.", feedbackGiven: false });
    expect(shown.when).toBe("20 November 2026, 10:15");
  });

  it("answers 404 to an agency representative and the admin, and never shows them the safe number", async () => {
    for (const role of ["agency_rep", "admin"]) {
      const page = await load(role);
      expect(page.status).toBe(404);
      expect(JSON.stringify(page.data ?? "") + (await page.response?.text())).not.toContain(SAFE_NUMBER);
      const res = await post(role, valid);
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.data ?? "") + (await res.response?.text())).not.toContain(SAFE_NUMBER);
    }
  });

  it("lets the chair read the page but not log a contact", async () => {
    const page = await load("chair");
    expect(page.status).toBe(200);
    expect(page.data.safeContact.safeNumber).toBe(SAFE_NUMBER);
    expect(page.data.canLog).toBe(false);
    const before = await contactCount();
    expect((await post("chair", valid)).status).toBe(403);
    expect(await contactCount()).toBe(before);
  });

  it("answers 404 for another panel's case and for unknown ids", async () => {
    expect((await load("idva", foreignCaseId)).status).toBe(404);
    expect((await load("idva", "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await load("idva", "not-an-id")).status).toBe(404);
    expect((await post("idva", valid, foreignCaseId)).status).toBe(404);
    const foreignPage = await invoke(contactRoute.loader, makeRequest(contactPath(caseId), { cookie: cookies.otherIdva }), { area: code, caseId });
    expect(foreignPage.status).toBe(404);
    expect((await getDb().select().from(victimContacts).where(eq(victimContacts.caseId, foreignCaseId))).length).toBe(0);
  });

  const bad: [string, Record<string, string>, string, string][] = [
    ["empty", { intent: "log" }, "date", "contact:errors.dateRequired"],
    ["no method", { ...valid, method: "" }, "method", "contact:errors.methodRequired"],
    ["an unknown method", { ...valid, method: "carrier_pigeon" }, "method", "contact:errors.methodRequired"],
    ["an unknown outcome", { ...valid, outcome: "shouted" }, "outcome", "contact:errors.outcomeRequired"],
    ["a wrong phase", { ...valid, phase: "during" }, "phase", "contact:errors.phaseRequired"],
    ["an impossible date", { ...valid, date: "2026-02-31" }, "date", "contact:errors.dateInvalid"],
    ["a date of the wrong type", { ...valid, date: "yesterday" }, "date", "contact:errors.dateInvalid"],
    ["a bad time", { ...valid, time: "25:00" }, "time", "contact:errors.timeInvalid"],
    ["notes that are too long", { ...valid, notes: "x".repeat(2001) }, "notes", 'errors.tooLong|{"max":2000}'],
    ["markup in the notes", { ...valid, notes: "<script>alert(1)</script>" }, "notes", "errors.noMarkup"],
    ["a bad feedback value", { ...valid, feedbackGiven: "maybe" }, "feedbackGiven", "errors.invalid"],
    ["a future date", { ...valid, date: new Date(Date.now() + 3 * 86400_000).toISOString().slice(0, 10) }, "date", "cases:contact.errors.future"],
    ["a message left when messages are not allowed", { ...valid, outcome: "message_left" }, "outcome", "cases:contact.errors.noMessages"],
    ["feedback before the meeting", { ...valid, feedbackGiven: "on" }, "feedbackGiven", "cases:contact.errors.feedbackAfter"],
  ];
  for (const [name, form, field, message] of bad) {
    it(`refuses ${name} with a message on the field and saves nothing`, async () => {
      const before = await contactCount();
      const res = await post("idva", form);
      expect(res.status).toBe(400);
      expect(res.data.result.error[field]).toEqual([message]);
      expect(await contactCount()).toBe(before);
    });
  }

  it("accepts feedback after the meeting", async () => {
    const res = await post("coordinator", { ...valid, phase: "after", outcome: "spoke", feedbackGiven: "on", notes: "" });
    expect(res.status).toBe(302);
    const rows = await getDb().select().from(victimContacts).where(and(eq(victimContacts.caseId, caseId), eq(victimContacts.feedbackGiven, true)));
    expect(rows).toHaveLength(1);
  });
});

describe("victim's views", () => {
  const views = async () => (await getDb().select().from(victimViews).where(eq(victimViews.caseId, caseId)))[0];

  it("records views, then updates them with the version read", async () => {
    expect((await post("idva", { intent: "views", views: "Wants the perpetrator kept away from the school run." })).status).toBe(302);
    const first = await views();
    expect(first.views).toBe("Wants the perpetrator kept away from the school run.");
    expect((await load("idva")).data.views).toEqual({ text: first.views, version: first.version });
    expect((await post("idva", { intent: "views", views: "Updated views.", version: String(first.version) })).status).toBe(302);
    expect((await views()).views).toBe("Updated views.");
  });

  it("shows a conflict for a stale version and keeps the newer views", async () => {
    const current = await views();
    const res = await post("idva", { intent: "views", views: "Stale edit.", version: String(current.version - 1) });
    expect(res.status).toBe(409);
    expect(res.data.conflict).toBe("errors.stale");
    // Views saved by someone else since the form was opened without a version.
    expect((await post("idva", { intent: "views", views: "Also stale." })).status).toBe(409);
    expect((await views()).views).toBe("Updated views.");
  });

  const bad: [string, Record<string, string>, string, string][] = [
    ["empty views", { intent: "views", views: "  " }, "views", "contact:errors.viewsRequired"],
    ["views that are too long", { intent: "views", views: "x".repeat(5001) }, "views", 'errors.tooLong|{"max":5000}'],
    ["markup in the views", { intent: "views", views: "<script>alert(1)</script>" }, "views", "errors.noMarkup"],
    ["a version of the wrong type", { intent: "views", views: "Fine.", version: "abc" }, "version", "errors.invalid"],
  ];
  for (const [name, form, field, message] of bad) {
    it(`refuses ${name}`, async () => {
      const before = await views();
      const res = await post("idva", form);
      expect(res.status).toBe(400);
      expect(res.data.result.error[field]).toEqual([message]);
      expect(await views()).toEqual(before);
    });
  }

  it("does not let the chair or an agency representative record views", async () => {
    expect((await post("chair", { intent: "views", views: "Chair's note." })).status).toBe(403);
    expect((await post("agency_rep", { intent: "views", views: "Rep's note." })).status).toBe(403);
    expect((await views()).views).toBe("Updated views.");
  });
});

describe("case list page", () => {
  it("lists the panel's upcoming cases for the IDVA with links to the contact page", async () => {
    const page = await invoke(listRoute.loader, makeRequest(`/areas/${code}/cases`, { cookie: cookies.idva }), { area: code });
    expect(page.status).toBe(200);
    const row = page.data.rows.find((r: { reference: string }) => r.reference === reference);
    expect(row).toMatchObject({ contact: "spoke", viewsRecorded: true, href: contactPath(caseId), initials: "M.P." });
    expect(page.data.rows.some((r: { href: string }) => r.href.includes(foreignCaseId))).toBe(false);
  });

  it("is refused to an agency representative and answers 404 to another panel", async () => {
    expect((await invoke(listRoute.loader, makeRequest(`/areas/${code}/cases`, { cookie: cookies.agency_rep }), { area: code })).status).toBe(403);
    expect((await invoke(listRoute.loader, makeRequest(`/areas/${code}/cases`, { cookie: cookies.otherIdva }), { area: code })).status).toBe(404);
  });
});

describe("panel home", () => {
  it("tells an IDVA how many cases on the next meeting have no contact yet", async () => {
    const home = await invoke(homeRoute.loader, makeRequest(`/areas/${code}`, { cookie: cookies.idva }), { area: code });
    // Mair has been spoken to; Nia has only had contact after the meeting.
    expect(home.data.contact).toMatchObject({ noContact: 1, href: `/areas/${code}/cases` });
    const asRep = await invoke(homeRoute.loader, makeRequest(`/areas/${code}`, { cookie: cookies.agency_rep }), { area: code });
    expect(asRep.data.contact).toBeNull();
  });
});
