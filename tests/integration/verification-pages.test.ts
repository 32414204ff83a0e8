import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { makeReferral } from "#db/factories";
import { agencies, areas, casePeople, identityChecks, meetingCases, meetings, type Meeting } from "#db/schema";
import { ensureMeetingSeries } from "~/models/meetings.server";
import * as correctionsRoute from "~/routes/areas.$area.meetings.$meetingId.corrections/route";
import * as meetingRoute from "~/routes/areas.$area.meetings.$meetingId._index/route";
import * as checkRoute from "~/routes/areas.$area.verification.$checkId/route";
import * as homeRoute from "~/routes/areas.$area._index";
import * as tasksRoute from "~/routes/areas.$area.verification._index/route";
import { buildWorld, invoke, makeRequest, sessionCookieFor, type World } from "../support/world";

let world: World;
let code: string;
let meeting: Meeting;
let foreignMeeting: Meeting;
let victimId: string;
const cookies: Record<string, string> = {};

/** A Thursday four weeks or more ahead, so that no deadline has passed. */
function thursdayAhead() {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + 28 + ((4 - d.getUTCDay() + 7) % 7));
  return d.toISOString().slice(0, 10);
}

async function firstMeeting(panel: World["home"]) {
  await getDb().update(areas).set({ firstMeetingOn: thursdayAhead() }).where(eq(areas.id, panel.area.id));
  await ensureMeetingSeries({ areaId: panel.area.id });
  const [m] = await getDb().select().from(meetings).where(eq(meetings.areaId, panel.area.id)).orderBy(asc(meetings.startsAt)).limit(1);
  return m;
}

async function listCase(panel: World["home"], m: Meeting) {
  const made = await makeReferral(getDb(), {
    areaId: panel.area.id,
    areaCode: panel.area.code,
    agencyId: panel.agencies.police.id,
    userId: panel.users.coordinator.id,
    status: "listed",
    victim: { firstName: "Mair", lastName: "Jones", dobs: ["1990-03-07"], address: "1 Safe Street", confidentialAddress: true },
    perpetrator: { firstName: "Tom", lastName: "Jones", dobs: ["1988-01-01"] },
  });
  await getDb().insert(meetingCases).values({ meetingId: m.id, caseId: made.case.id, position: 1 });
  return made.case;
}

const meetingVersion = async () => (await getDb().select().from(meetings).where(eq(meetings.id, meeting.id)))[0].version;
const meetingPath = () => `/areas/${code}/meetings/${meeting.id}`;

async function checksOf(agencyId: string) {
  return getDb()
    .select({ check: identityChecks, role: casePeople.role })
    .from(identityChecks)
    .innerJoin(casePeople, eq(casePeople.id, identityChecks.personId))
    .where(eq(identityChecks.agencyId, agencyId));
}

beforeAll(async () => {
  world = await buildWorld();
  code = world.home.area.code.toLowerCase();
  // Police verify too in this panel, so two agencies can answer.
  await getDb().update(agencies).set({ isVerifier: true }).where(eq(agencies.id, world.home.agencies.police.id));
  meeting = await firstMeeting(world.home);
  foreignMeeting = await firstMeeting(world.other);
  const c = await listCase(world.home, meeting);
  await listCase(world.other, foreignMeeting);
  [{ id: victimId }] = await getDb().select({ id: casePeople.id }).from(casePeople).where(and(eq(casePeople.caseId, c.id), eq(casePeople.role, "victim")));
  for (const role of ["coordinator", "chair", "agency_rep", "idva"] as const) cookies[role] = await sessionCookieFor(world.home.users[role].id);
  cookies.otherRep = await sessionCookieFor(world.other.users.agency_rep.id);
  cookies.otherCoordinator = await sessionCookieFor(world.other.users.coordinator.id);
});

describe("sending the list for verification", () => {
  it("is for the coordinator only, checks the version and the input", async () => {
    const send = (cookie: string, version: string) => makeRequest(meetingPath(), { cookie, form: { intent: "sendForVerification", version } });
    expect((await invoke(meetingRoute.action, send(cookies.chair, String(await meetingVersion())), { area: code, meetingId: meeting.id })).status).toBe(403);
    expect((await invoke(meetingRoute.action, send(cookies.otherCoordinator, String(await meetingVersion())), { area: code, meetingId: meeting.id })).status).toBe(404);
    for (const bad of ["", "abc", "<b>1</b>", "1.5"]) {
      const res = await invoke(meetingRoute.action, send(cookies.coordinator, bad), { area: code, meetingId: meeting.id });
      expect(res.status).toBe(400);
      expect(res.data.problem.key).toBe("errors.invalid");
    }
    const stale = await invoke(meetingRoute.action, send(cookies.coordinator, String((await meetingVersion()) + 5)), { area: code, meetingId: meeting.id });
    expect(stale.status).toBe(409);
    expect(stale.data.problem.key).toBe("errors.stale");
    expect(await checksOf(world.home.agencies.health.id)).toHaveLength(0);
  });

  it("sends the list to the verifier agencies and offers the corrections page", async () => {
    const before = await invoke(meetingRoute.loader, makeRequest(meetingPath(), { cookie: cookies.coordinator }), { area: code, meetingId: meeting.id });
    expect(before.data.links.corrections).toBeNull();
    const res = await invoke(
      meetingRoute.action,
      makeRequest(meetingPath(), { cookie: cookies.coordinator, form: { intent: "sendForVerification", version: String(await meetingVersion()) } }),
      { area: code, meetingId: meeting.id },
    );
    expect(res.status).toBe(302);
    expect(res.location).toBe(meetingPath());
    expect(res.response?.headers.get("Set-Cookie")).toMatch(/^panel_flash=/);
    expect(await checksOf(world.home.agencies.health.id)).toHaveLength(2);
    expect(await checksOf(world.home.agencies.police.id)).toHaveLength(2);
    expect(await checksOf(world.home.agencies.idvaService.id)).toHaveLength(0);
    const after = await invoke(meetingRoute.loader, makeRequest(meetingPath(), { cookie: cookies.coordinator }), { area: code, meetingId: meeting.id });
    expect(after.data.links.corrections).toBe(`${meetingPath()}/corrections`);
  });
});

describe("the verifier's tasks", () => {
  it("lists the agency's checks by meeting and case; nothing for a non-verifier agency; forbidden to the chair", async () => {
    const rep = await invoke(tasksRoute.loader, makeRequest(`/areas/${code}/verification`, { cookie: cookies.agency_rep }), { area: code });
    expect(rep.status).toBe(200);
    expect(rep.data.meetings).toHaveLength(1);
    expect(rep.data.meetings[0].cases[0].checks.map((c: { role: string }) => c.role).sort()).toEqual(["perpetrator", "victim"]);
    expect(rep.data.meetings[0].cases[0].checks.every((c: { status: string; overdue: boolean }) => c.status === "pending" && !c.overdue)).toBe(true);
    const idva = await invoke(tasksRoute.loader, makeRequest(`/areas/${code}/verification`, { cookie: cookies.idva }), { area: code });
    expect(idva.data.meetings).toEqual([]);
    expect((await invoke(tasksRoute.loader, makeRequest(`/areas/${code}/verification`, { cookie: cookies.chair }), { area: code })).status).toBe(403);
    const home = await invoke(homeRoute.loader, makeRequest(`/areas/${code}`, { cookie: cookies.agency_rep }), { area: code });
    expect(home.data.preparation).toEqual([expect.objectContaining({ kind: "verification", count: 2, overdue: 0, href: `/areas/${code}/verification` })]);
    expect((await invoke(tasksRoute.loader, makeRequest(`/areas/${code}/verification`, { cookie: cookies.otherRep }), { area: code })).status).toBe(404);
  });
});

describe("answering an identity check", () => {
  let checkId: string;
  let policeCheckId: string;
  const path = () => `/areas/${code}/verification/${checkId}`;
  const answer = async (form: Record<string, string>, cookie = cookies.agency_rep, id = checkId) =>
    invoke(checkRoute.action, makeRequest(`/areas/${code}/verification/${id}`, { cookie, form }), { area: code, checkId: id });
  const current = async () => (await getDb().select().from(identityChecks).where(eq(identityChecks.id, checkId)))[0];

  beforeAll(async () => {
    checkId = (await checksOf(world.home.agencies.health.id)).find((c) => c.role === "victim")!.check.id;
    policeCheckId = (await checksOf(world.home.agencies.police.id)).find((c) => c.role === "victim")!.check.id;
  });

  it("shows only identity fields, with the confidential address withheld", async () => {
    const res = await invoke(checkRoute.loader, makeRequest(path(), { cookie: cookies.agency_rep }), { area: code, checkId });
    expect(res.status).toBe(200);
    expect(res.data.check.values).toEqual({ firstName: "Mair", lastName: "Jones", aliases: "", dobs: "1990-03-07", address: "", nhsNumber: "" });
    expect(res.data.check.addressConfidential).toBe(true);
    expect(JSON.stringify(res.data)).not.toContain("Safe Street");
  });

  it("is not found for another agency's check, an unknown id, or another panel", async () => {
    expect((await invoke(checkRoute.loader, makeRequest(path(), { cookie: cookies.agency_rep }), { area: code, checkId: policeCheckId })).status).toBe(404);
    expect((await invoke(checkRoute.loader, makeRequest(path(), { cookie: cookies.agency_rep }), { area: code, checkId: "not-a-check" })).status).toBe(404);
    expect((await invoke(checkRoute.loader, makeRequest(path(), { cookie: cookies.agency_rep }), { area: code, checkId: crypto.randomUUID() })).status).toBe(404);
    expect((await invoke(checkRoute.loader, makeRequest(path(), { cookie: cookies.otherRep }), { area: code, checkId })).status).toBe(404);
    expect((await invoke(checkRoute.loader, makeRequest(path(), { cookie: cookies.chair }), { area: code, checkId })).status).toBe(403);
    const version = String((await current()).version);
    expect((await answer({ version, status: "confirmed" }, cookies.agency_rep, policeCheckId)).status).toBe(404);
    expect((await answer({ version, status: "confirmed" }, cookies.idva)).status).toBe(404);
  });

  it("rejects bad input with a message on the field and saves nothing", async () => {
    const version = String((await current()).version);
    const cases: [Record<string, string>, string, string][] = [
      [{ version }, "status", "preparation:verification.errors.statusRequired"],
      [{ version, status: "maybe" }, "status", "preparation:verification.errors.statusRequired"],
      [{ version: "abc", status: "confirmed" }, "version", "errors.invalid"],
      [{ version, status: "corrected", firstName: "M".repeat(101) }, "firstName", 'errors.tooLong|{"max":100}'],
      [{ version, status: "corrected", lastName: "<script>x</script>" }, "lastName", "errors.noMarkup"],
      [{ version, status: "corrected", dobs: "31/02/1990" }, "dobs", "cases:verification.errors.dob"],
      [{ version, status: "corrected", dobs: "1990-03-07\nyesterday" }, "dobs", "cases:verification.errors.dob"],
    ];
    for (const [form, field, key] of cases) {
      const res = await answer(form);
      expect(res.status, JSON.stringify(form)).toBe(400);
      expect(res.data.result.error[field]).toEqual([key]);
    }
    const unchanged = await answer({ version, status: "corrected", firstName: "Mair", lastName: "Jones", dobs: "07/03/1990" });
    expect(unchanged.status).toBe(400);
    expect(unchanged.data.result.error[""]).toEqual(["cases:verification.errors.noChange"]);
    expect(await current()).toMatchObject({ status: "pending", version: Number(version), corrections: {} });
  });

  it("reports a stale version as a conflict", async () => {
    const res = await answer({ version: String((await current()).version + 1), status: "confirmed" });
    expect(res.status).toBe(409);
    expect(res.data.conflict).toBe("errors.stale");
    expect((await current()).status).toBe("pending");
  });

  it("records a corrected date of birth in a UK format, keeping only the changed field", async () => {
    const res = await answer({ version: String((await current()).version), status: "corrected", firstName: "Mair", lastName: "Jones", dobs: "08/03/1990", address: "" });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/areas/${code}/verification`);
    expect(await current()).toMatchObject({ status: "corrected", corrections: { dobs: "1990-03-08" } });
    const police = await answer(
      { version: String((await getDb().select().from(identityChecks).where(eq(identityChecks.id, policeCheckId)))[0].version), status: "corrected", dobs: "1990-03-09" },
      await sessionCookieFor(world.home.users.coordinator.id),
      policeCheckId,
    );
    // The coordinator acts for police but holds no identity:verify permission.
    expect(police.status).toBe(403);
  });
});

describe("the coordinator's review of corrections", () => {
  const path = () => `${meetingPath()}/corrections`;
  const load = (cookie = cookies.coordinator, meetingId = meeting.id) => invoke(correctionsRoute.loader, makeRequest(path(), { cookie }), { area: code, meetingId });
  const decide = (form: Record<string, string>, cookie = cookies.coordinator, meetingId = meeting.id) =>
    invoke(correctionsRoute.action, makeRequest(path(), { cookie, form }), { area: code, meetingId });
  const victim = async () => (await getDb().select().from(casePeople).where(eq(casePeople.id, victimId)))[0];

  it("shows each correction beside the current value; forbidden to agencies; another panel's meeting not found", async () => {
    const res = await load();
    expect(res.status).toBe(200);
    expect(res.data.corrections).toHaveLength(1);
    expect(res.data.corrections[0]).toMatchObject({ role: "victim", agency: "Health Board", fields: [{ field: "dobs", current: "1990-03-07", proposed: "1990-03-08", decision: null, conflict: false }] });
    expect(res.data.allDecided).toBe(false);
    expect((await load(cookies.agency_rep)).status).toBe(403);
    expect((await load(cookies.chair)).status).toBe(403);
    expect((await load(cookies.coordinator, foreignMeeting.id)).status).toBe(404);
    expect((await load(cookies.coordinator, "nope")).status).toBe(404);
  });

  it("rejects bad decisions and stale versions without changing the person", async () => {
    const { checkId, version } = (await load()).data.corrections[0];
    for (const form of [
      {},
      { checkId, version: String(version), field: "shoeSize", decision: "accepted" },
      { checkId, version: String(version), field: "dobs", decision: "maybe" },
      { checkId: "<b>", version: String(version), field: "dobs", decision: "accepted" },
      { checkId, version: "x", field: "dobs", decision: "accepted" },
    ] as Record<string, string>[]) {
      const res = await decide(form);
      expect(res.status, JSON.stringify(form)).toBe(400);
      expect(res.data.problem).toBe("errors.invalid");
    }
    expect((await decide({ checkId: crypto.randomUUID(), version: String(version), field: "dobs", decision: "accepted" })).status).toBe(404);
    expect((await decide({ checkId, version: String(version), field: "dobs", decision: "accepted" }, cookies.agency_rep)).status).toBe(403);
    const stale = await decide({ checkId, version: String(version + 1), field: "dobs", decision: "accepted" });
    expect(stale.status).toBe(409);
    expect(stale.data.problem).toBe("errors.stale");
    expect((await victim()).dobs).toEqual(["1990-03-07"]);
  });

  it("accepts a correction, updates the person and says when all are decided", async () => {
    const { checkId, version } = (await load()).data.corrections[0];
    const res = await decide({ checkId, version: String(version), field: "dobs", decision: "accepted" });
    expect(res.status).toBe(302);
    expect(res.location).toBe(path());
    expect((await victim()).dobs).toEqual(["1990-03-08"]);
    const after = await load();
    expect(after.data.corrections[0].fields[0].decision).toBe("accepted");
    expect(after.data.allDecided).toBe(true);
    const again = await decide({ checkId, version: String(after.data.corrections[0].version), field: "dobs", decision: "rejected" });
    expect(again.status).toBe(409);
    expect(again.data.problem).toBe("cases:verification.errors.alreadyDecided");
  });
});
