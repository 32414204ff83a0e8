import { and, asc, eq, gt } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { makeReferral } from "#db/factories";
import { areas, meetingCases, meetings, researchReturns, type Meeting } from "#db/schema";
import { ensureMeetingSeries } from "~/models/meetings.server";
import { logVictimContact } from "~/models/preparation/victim-contact.server";
import * as meetingRoute from "~/routes/areas.$area.meetings.$meetingId._index/route";
import * as readinessRoute from "~/routes/areas.$area.meetings.$meetingId.readiness/route";
import { actorFor, buildWorld, invoke, makeRequest, sessionCookieFor, type World } from "../support/world";

let world: World;
let code: string;
let meeting: Meeting;
let foreignMeeting: Meeting;
const refs: Record<string, string> = {};
const cookies: Record<string, string> = {};

function nextThursday() {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + ((4 - d.getUTCDay() + 7) % 7 || 7));
  return d.toISOString().slice(0, 10);
}

async function nextMeeting(panel: World["home"]) {
  const [m] = await getDb().select().from(meetings).where(and(eq(meetings.areaId, panel.area.id), gt(meetings.startsAt, new Date()))).orderBy(asc(meetings.startsAt)).limit(1);
  return m;
}

async function listCase(panel: World["home"], m: Meeting, firstName: string, position: number) {
  const { case: row } = await makeReferral(getDb(), {
    areaId: panel.area.id,
    areaCode: panel.area.code,
    agencyId: panel.agencies.police.id,
    userId: panel.users.coordinator.id,
    status: "listed",
    victim: { firstName, lastName: "Evans" },
  });
  const [mc] = await getDb().insert(meetingCases).values({ meetingId: m.id, caseId: row.id, position }).returning();
  return { row, mc };
}

const path = (id: string, query = "") => `/areas/${code}/meetings/${id}/readiness${query}`;
const load = (role: string, query = "", id = meeting.id) => invoke(readinessRoute.loader, makeRequest(path(id, query), { cookie: cookies[role] }), { area: code, meetingId: id });
const references = (res: { data: { rows: { reference: string }[] } }) => res.data.rows.map((r) => r.reference).sort();

beforeAll(async () => {
  world = await buildWorld();
  code = world.home.area.code.toLowerCase();
  for (const panel of [world.home, world.other]) {
    await getDb().update(areas).set({ firstMeetingOn: nextThursday(), meetingTime: "10:00", nation: "wales" }).where(eq(areas.id, panel.area.id));
    await ensureMeetingSeries({ areaId: panel.area.id });
  }
  meeting = await nextMeeting(world.home);
  foreignMeeting = await nextMeeting(world.other);
  // "Ready": every agency has answered and the IDVA has spoken to the victim. "Gaps": nothing yet.
  const ready = await listCase(world.home, meeting, "Ffion", 1);
  const gaps = await listCase(world.home, meeting, "Gwen", 2);
  refs.ready = ready.row.reference!;
  refs.gaps = gaps.row.reference!;
  for (const agency of Object.values(world.home.agencies)) {
    await getDb().insert(researchReturns).values({ meetingCaseId: ready.mc.id, agencyId: agency.id, status: agency.kind === "police" ? "submitted" : "nothing_held", submittedAt: new Date() });
  }
  await getDb().insert(researchReturns).values({ meetingCaseId: gaps.mc.id, agencyId: world.home.agencies.police.id, status: "submitted", submittedAt: new Date() });
  await logVictimContact({ actor: actorFor(world.home, "idva"), caseId: ready.row.id, contact: { at: new Date(Date.now() - 3600_000), method: "phone", outcome: "spoke", phase: "before", notes: "", feedbackGiven: false } });
  await listCase(world.other, foreignMeeting, "Heledd", 1);
  for (const role of ["coordinator", "chair", "agency_rep", "idva"] as const) cookies[role] = await sessionCookieFor(world.home.users[role].id);
  cookies.otherCoordinator = await sessionCookieFor(world.other.users.coordinator.id);
});

describe("readiness page", () => {
  it("shows the coordinator the grid: cases × agencies with verification, research and contact state, and counts", async () => {
    const res = await load("coordinator");
    expect(res.status).toBe(200);
    expect(references(res)).toEqual([refs.ready, refs.gaps].sort());
    expect(res.data.columns.map((a: { name: string }) => a.name)).toEqual(["Health Board", "IDVA Service", "Police"]);
    const ready = res.data.rows.find((r: { reference: string }) => r.reference === refs.ready);
    expect(ready.research).toEqual(["nothing_held", "nothing_held", "submitted"]);
    expect(ready).toMatchObject({ verification: "not_sent", contact: "spoke" });
    const gaps = res.data.rows.find((r: { reference: string }) => r.reference === refs.gaps);
    expect(gaps.research).toEqual(["none", "none", "submitted"]);
    expect(gaps.contact).toBe("none");
    expect(res.data.counts).toEqual({ cases: 2, verificationOutstanding: 0, researchReceived: 4, researchMissing: 2, noContact: 1 });
  });

  it("is linked from the meeting page for the coordinator and the chair only", async () => {
    const meetingPage = (role: string) => invoke(meetingRoute.loader, makeRequest(`/areas/${code}/meetings/${meeting.id}`, { cookie: cookies[role] }), { area: code, meetingId: meeting.id });
    expect((await meetingPage("coordinator")).data.readiness).toBe(path(meeting.id));
    expect((await meetingPage("chair")).data.readiness).toBe(path(meeting.id));
    expect((await meetingPage("agency_rep")).data?.readiness ?? null).toBeNull();
  });

  it("shows the chair the grid", async () => {
    const res = await load("chair");
    expect(res.status).toBe(200);
    expect(res.data.rows).toHaveLength(2);
  });

  it("refuses agency representatives and IDVAs, and answers 404 to another panel and unknown meetings", async () => {
    expect((await load("agency_rep")).status).toBe(403);
    expect((await load("idva")).status).toBe(403);
    expect((await invoke(readinessRoute.loader, makeRequest(path(meeting.id), { cookie: cookies.otherCoordinator }), { area: code, meetingId: meeting.id })).status).toBe(404);
    expect((await load("coordinator", "", foreignMeeting.id)).status).toBe(404);
    expect((await load("coordinator", "", "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await load("coordinator", "", "nope")).status).toBe(404);
  });

  it("narrows the rows to cases with something missing, and to one agency", async () => {
    // Nothing has been sent for verification, so every case has something missing.
    expect(references(await load("coordinator", "?missing=1"))).toEqual([refs.ready, refs.gaps].sort());
    const health = world.home.agencies.health.id;
    const byAgency = await load("coordinator", `?agency=${health}`);
    expect(byAgency.data.columns.map((a: { id: string }) => a.id)).toEqual([health]);
    expect(byAgency.data.rows).toHaveLength(2);
    const missingForHealth = await load("coordinator", `?agency=${health}&missing=1`);
    expect(references(missingForHealth)).toEqual([refs.gaps]);
    expect(missingForHealth.data.filter).toEqual({ missingOnly: true, agency: health });
    // Police have answered for both cases.
    expect(references(await load("coordinator", `?agency=${world.home.agencies.police.id}&missing=1`))).toEqual([]);
    // An agency of another panel is ignored rather than trusted.
    const foreign = await load("coordinator", `?agency=${world.other.agencies.health.id}`);
    expect(foreign.data.columns).toHaveLength(3);
    expect(foreign.data.filter.agency).toBe("");
  });
});
