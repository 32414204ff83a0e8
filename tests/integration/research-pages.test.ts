import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { makeReferral, makeUser } from "#db/factories";
import { areas, meetingCases, meetings, researchReturns, type Meeting } from "#db/schema";
import { ensureMeetingSeries } from "~/models/meetings.server";
import * as caseResearchRoute from "~/routes/areas.$area.meetings.$meetingId.cases.$meetingCaseId.research/route";
import * as meetingRoute from "~/routes/areas.$area.meetings.$meetingId._index/route";
import * as formRoute from "~/routes/areas.$area.research.$meetingCaseId/route";
import * as homeRoute from "~/routes/areas.$area._index";
import * as tasksRoute from "~/routes/areas.$area.research._index/route";
import { buildWorld, invoke, makeRequest, PASSWORD, sessionCookieFor, type World } from "../support/world";

let world: World;
let code: string;
let meeting: Meeting;
let mcId: string;
let foreignMcId: string;
const cookies: Record<string, string> = {};
const WITHHELD = "Sealed family court papers about the children";

function thursdayAhead() {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + 28 + ((4 - d.getUTCDay() + 7) % 7));
  return d.toISOString().slice(0, 10);
}

/** The panel's first meeting, circulated, with one case listed on it. */
async function circulatedCase(panel: World["home"]) {
  await getDb().update(areas).set({ firstMeetingOn: thursdayAhead() }).where(eq(areas.id, panel.area.id));
  await ensureMeetingSeries({ areaId: panel.area.id });
  const [m] = await getDb().select().from(meetings).where(eq(meetings.areaId, panel.area.id)).orderBy(asc(meetings.startsAt)).limit(1);
  await getDb().update(meetings).set({ status: "circulated" }).where(eq(meetings.id, m.id));
  const made = await makeReferral(getDb(), {
    areaId: panel.area.id,
    areaCode: panel.area.code,
    agencyId: panel.agencies.police.id,
    userId: panel.users.coordinator.id,
    status: "listed",
    victim: { firstName: "Mair", lastName: "Jones" },
  });
  const [{ id }] = await getDb().insert(meetingCases).values({ meetingId: m.id, caseId: made.case.id, position: 1 }).returning({ id: meetingCases.id });
  return { meeting: m, mcId: id };
}

const setStatus = (status: Meeting["status"]) => getDb().update(meetings).set({ status }).where(eq(meetings.id, meeting.id));
const returns = () => getDb().select().from(researchReturns).where(eq(researchReturns.meetingCaseId, mcId));
const formPath = (id = mcId) => `/areas/${code}/research/${id}`;
const save = (form: Record<string, string>, cookie = cookies.police, id = mcId) => invoke(formRoute.action, makeRequest(formPath(id), { cookie, form }), { area: code, meetingCaseId: id });
const caseResearch = (cookie: string, id = mcId, meetingId = meeting.id) =>
  invoke(caseResearchRoute.loader, makeRequest(`/areas/${code}/meetings/${meetingId}/cases/${id}/research`, { cookie }), { area: code, meetingId, meetingCaseId: id });

beforeAll(async () => {
  world = await buildWorld();
  code = world.home.area.code.toLowerCase();
  ({ meeting, mcId } = await circulatedCase(world.home));
  ({ mcId: foreignMcId } = await circulatedCase(world.other));
  const policeRep = await makeUser(getDb(), {
    email: `police.rep.${Date.now()}@example.org`,
    name: "Police rep",
    password: PASSWORD,
    memberships: [{ areaId: world.home.area.id, role: "agency_rep", agencyId: world.home.agencies.police.id }],
  });
  cookies.police = await sessionCookieFor(policeRep.id);
  for (const role of ["coordinator", "chair", "agency_rep", "admin"] as const) cookies[role] = await sessionCookieFor(world.home.users[role].id);
  cookies.otherRep = await sessionCookieFor(world.other.users.agency_rep.id);
  cookies.otherCoordinator = await sessionCookieFor(world.other.users.coordinator.id);
});

describe("the agency's research returns", () => {
  it("lists the cases on circulated lists with their state; forbidden to the chair", async () => {
    const res = await invoke(tasksRoute.loader, makeRequest(`/areas/${code}/research`, { cookie: cookies.police }), { area: code });
    expect(res.status).toBe(200);
    expect(res.data.tasks).toHaveLength(1);
    expect(res.data.tasks[0]).toMatchObject({ meetingCaseId: mcId, status: "none", late: false, overdue: false, href: formPath() });
    expect((await invoke(tasksRoute.loader, makeRequest(`/areas/${code}/research`, { cookie: cookies.chair }), { area: code })).status).toBe(403);
    expect((await invoke(tasksRoute.loader, makeRequest(`/areas/${code}/research`, { cookie: cookies.otherRep }), { area: code })).status).toBe(404);
  });

  it("shows the open returns on the agency's home page", async () => {
    const home = await invoke(homeRoute.loader, makeRequest(`/areas/${code}`, { cookie: cookies.police }), { area: code });
    expect(home.data.preparation).toEqual([expect.objectContaining({ kind: "research", count: 1, overdue: 0, href: `/areas/${code}/research` })]);
    const chair = await invoke(homeRoute.loader, makeRequest(`/areas/${code}`, { cookie: cookies.chair }), { area: code });
    expect(chair.data.preparation).toEqual([]);
  });

  it("opens the return form, but not another panel's case or an unknown id", async () => {
    const res = await invoke(formRoute.loader, makeRequest(formPath(), { cookie: cookies.police }), { area: code, meetingCaseId: mcId });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ editable: true, status: "none", version: null, pastDeadline: false });
    expect((await invoke(formRoute.loader, makeRequest(formPath(), { cookie: cookies.police }), { area: code, meetingCaseId: foreignMcId })).status).toBe(404);
    expect((await invoke(formRoute.loader, makeRequest(formPath(), { cookie: cookies.police }), { area: code, meetingCaseId: "nope" })).status).toBe(404);
    expect((await invoke(formRoute.loader, makeRequest(formPath(), { cookie: cookies.otherRep }), { area: code, meetingCaseId: mcId })).status).toBe(404);
    expect((await invoke(formRoute.loader, makeRequest(formPath(), { cookie: cookies.chair }), { area: code, meetingCaseId: mcId })).status).toBe(403);
    expect((await save({ intent: "draft", opinion: "x" }, cookies.police, foreignMcId)).status).toBe(404);
    expect((await save({ intent: "draft", opinion: "x" }, cookies.coordinator)).status).toBe(403);
  });

  it("rejects bad input with a message on the field and saves nothing", async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{}, "intent", "errors.invalid"],
      [{ intent: "publish" }, "intent", "errors.invalid"],
      [{ intent: "submit", version: "abc" }, "version", "errors.invalid"],
      [{ intent: "submit", "facts[0].date": "31/13/2026", "facts[0].text": "Arrested" }, "facts[0].date", "preparation:research.errors.factDate"],
      [{ intent: "submit", "facts[1].date": "2026-02-01" }, "facts[1].text", "preparation:research.errors.factText"],
      [{ intent: "submit", "facts[0].text": "No date given" }, "facts[0].date", "preparation:research.errors.factDate"],
      [{ intent: "submit", "facts[0].date": "01/01/2999", "facts[0].text": "In the future" }, "facts[0].date", "preparation:research.errors.factDate"],
      [{ intent: "submit", opinion: "x".repeat(5001) }, "opinion", 'errors.tooLong|{"max":5000}'],
      [{ intent: "submit", suggestedActions: "<script>alert(1)</script>" }, "suggestedActions", "errors.noMarkup"],
      [{ intent: "submit", withheld: WITHHELD }, "withheldReason", "cases:research.errors.withheldReason"],
    ];
    for (const [form, field, key] of cases) {
      const res = await save(form);
      expect(res.status, JSON.stringify(form)).toBe(400);
      expect(res.data.result.error[field], JSON.stringify(res.data.result.error)).toEqual([key]);
    }
    const empty = await save({ intent: "submit", "facts[0].date": "", "facts[0].text": "" });
    expect(empty.status).toBe(400);
    expect(empty.data.result.error[""]).toEqual(["cases:research.errors.empty"]);
    expect(await returns()).toHaveLength(0);
  });

  it("saves a draft, then submits with dated facts (empty rows ignored); a stale version is a conflict", async () => {
    const draft = await save({ intent: "draft", opinion: "Early thoughts" }, cookies.agency_rep);
    expect(draft.status).toBe(302);
    expect(draft.location).toBe(`/areas/${code}/research`);
    const [saved] = await returns();
    expect(saved).toMatchObject({ status: "draft", opinion: "Early thoughts" });
    const stale = await save({ intent: "submit", version: String(saved.version + 1), opinion: "Changed" }, cookies.agency_rep);
    expect(stale.status).toBe(409);
    expect(stale.data.conflict).toBe("errors.stale");
    const fresh = await save({ intent: "submit", opinion: "Changed" }, cookies.agency_rep);
    expect(fresh.status).toBe(409);
    const res = await save({
      intent: "submit",
      version: String(saved.version),
      "facts[0].date": "07/03/2026",
      "facts[0].text": "Called to the address",
      "facts[1].date": "",
      "facts[1].text": "",
      "facts[2].date": "2026-04-01",
      "facts[2].text": "Bail conditions set",
      opinion: "High risk of further harm",
      actionsInPlace: "Marker on the address",
      suggestedActions: "Share bail conditions with housing",
      withheld: WITHHELD,
      withheldReason: "Court order",
    }, cookies.agency_rep);
    expect(res.status).toBe(302);
    const [submitted] = await returns();
    expect(submitted).toMatchObject({
      status: "submitted",
      late: false,
      facts: [
        { date: "2026-03-07", text: "Called to the address" },
        { date: "2026-04-01", text: "Bail conditions set" },
      ],
      withheld: WITHHELD,
    });
  });

  it("records 'no information held' in one step", async () => {
    const res = await save({ intent: "nothing_held" });
    expect(res.status).toBe(302);
    const all = await returns();
    expect(all.map((r) => r.status).sort()).toEqual(["nothing_held", "submitted"]);
  });
});

describe("research for the coordinator and chair", () => {
  it("shows the withheld text to the coordinator, not to the chair (who acts for another agency)", async () => {
    const coordinator = await caseResearch(cookies.coordinator);
    expect(coordinator.status).toBe(200);
    const police = coordinator.data.returns.find((r: { agency: string }) => r.agency === "Health Board");
    expect(police).toMatchObject({ status: "submitted", withheld: WITHHELD, withheldReason: "Court order", opinion: "High risk of further harm" });
    expect(police.facts).toHaveLength(2);
    const chair = await caseResearch(cookies.chair);
    expect(chair.status).toBe(200);
    expect(chair.data.returns.find((r: { agency: string }) => r.agency === "Health Board")).toMatchObject({ withheld: null, hasWithheld: true });
    expect(JSON.stringify(chair.data)).not.toContain(WITHHELD);
    expect(JSON.stringify(chair.data)).not.toContain("Court order");
  });

  it("links each case from the meeting page for research readers only", async () => {
    const path = `/areas/${code}/meetings/${meeting.id}`;
    const coordinator = await invoke(meetingRoute.loader, makeRequest(path, { cookie: cookies.coordinator }), { area: code, meetingId: meeting.id });
    expect(coordinator.data.links.research).toBe(`${path}/cases/`);
    const rep = await invoke(meetingRoute.loader, makeRequest(path, { cookie: cookies.agency_rep }), { area: code, meetingId: meeting.id });
    expect(rep.data.links.research).toBeNull();
  });

  it("is not found for an agency before the meeting, another panel, or a case of another meeting", async () => {
    expect((await caseResearch(cookies.agency_rep)).status).toBe(404);
    expect((await caseResearch(cookies.police)).status).toBe(404);
    expect((await caseResearch(cookies.otherCoordinator)).status).toBe(404);
    expect((await caseResearch(cookies.coordinator, foreignMcId)).status).toBe(404);
    expect((await caseResearch(cookies.coordinator, "nope")).status).toBe(404);
    const [later] = await getDb().select().from(meetings).where(eq(meetings.areaId, world.home.area.id)).orderBy(asc(meetings.startsAt)).offset(1).limit(1);
    expect((await caseResearch(cookies.coordinator, mcId, later.id)).status).toBe(404);
    expect((await caseResearch(cookies.admin)).status).toBe(403);
  });

  it("shows agencies the research in the meeting, without another agency's withheld text", async () => {
    await setStatus("in_progress");
    const police = await caseResearch(cookies.police);
    expect(police.status).toBe(200);
    expect(police.data.returns).toHaveLength(2);
    expect(JSON.stringify(police.data)).not.toContain(WITHHELD);
    const health = await caseResearch(cookies.agency_rep);
    expect(health.data.returns.find((r: { agency: string }) => r.agency === "Health Board").withheld).toBe(WITHHELD);
    // Once the meeting is held, research is closed and read-only.
    await setStatus("held");
    const closed = await save({ intent: "nothing_held" }, cookies.police);
    expect(closed.status).toBe(409);
    expect(closed.data.conflict).toBe("cases:research.errors.closed");
    const view = await invoke(formRoute.loader, makeRequest(formPath(), { cookie: cookies.police }), { area: code, meetingCaseId: mcId });
    expect(view.data.editable).toBe(false);
  });
});
