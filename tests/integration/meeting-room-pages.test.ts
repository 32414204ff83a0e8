import { and, asc, eq, gt } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { makeReferral } from "#db/factories";
import { actions, areas, attendance, auditEvents, meetingCases, meetings, type Meeting } from "#db/schema";
import { verifyAuditChains } from "~/models/audit.server";
import { ensureMeetingSeries } from "~/models/meetings.server";
import { saveVictimViews } from "~/models/preparation/victim-contact.server";
import * as meetingRoute from "~/routes/areas.$area.meetings.$meetingId._index/route";
import * as caseRoute from "~/routes/areas.$area.meetings.$meetingId.run.$meetingCaseId/route";
import * as runRoute from "~/routes/areas.$area.meetings.$meetingId.run._index/route";
import { actorFor, buildWorld, invoke, makeRequest, sessionCookieFor, type World } from "../support/world";

let world: World;
let code: string;
let chair: string;
let coordinator: string;
let first: Meeting;
let second: Meeting;
const mc: string[] = [];
let otherMc: string;

const TODAY = "2026-11-23";
const runPath = () => `/areas/${code}/meetings/${first.id}/run`;
const loadRun = (cookie = chair, meetingId = first.id) => invoke(runRoute.loader, makeRequest(`/areas/${code}/meetings/${meetingId}/run`, { cookie }), { area: code, meetingId });
const postRun = (form: Record<string, string>, cookie = chair) => invoke(runRoute.action, makeRequest(runPath(), { cookie, form }), { area: code, meetingId: first.id });
const loadCase = (id: string, cookie = chair, meetingId = first.id) =>
  invoke(caseRoute.loader, makeRequest(`/areas/${code}/meetings/${meetingId}/run/${id}`, { cookie }), { area: code, meetingId, meetingCaseId: id });
const postCase = (id: string, form: Record<string, string>, cookie = chair) =>
  invoke(caseRoute.action, makeRequest(`${runPath()}/${id}`, { cookie, form }), { area: code, meetingId: first.id, meetingCaseId: id });
const meetingRow = async () => (await getDb().select().from(meetings).where(eq(meetings.id, first.id)))[0];
const mcRow = async (id: string) => (await getDb().select().from(meetingCases).where(eq(meetingCases.id, id)))[0];
const attendanceRows = () => getDb().select().from(attendance).where(eq(attendance.meetingId, first.id));
const actionRows = (id: string) => getDb().select().from(actions).where(eq(actions.meetingCaseId, id));

beforeAll(async () => {
  world = await buildWorld();
  code = world.home.area.code.toLowerCase();
  chair = await sessionCookieFor(world.home.users.chair.id);
  coordinator = await sessionCookieFor(world.home.users.coordinator.id);
  await getDb().update(areas).set({ firstMeetingOn: "2026-12-03", confidentialityStatement: "Information shared stays within the MARAC." }).where(eq(areas.id, world.home.area.id));
  await ensureMeetingSeries({ areaId: world.home.area.id, today: TODAY });
  [first, second] = await getDb().select().from(meetings).where(eq(meetings.areaId, world.home.area.id)).orderBy(asc(meetings.startsAt)).limit(2);
  for (const name of ["Ann", "Bea", "Cai", "Dee"]) {
    const made = await makeReferral(getDb(), {
      areaId: world.home.area.id,
      areaCode: world.home.area.code,
      agencyId: world.home.agencies.police.id,
      userId: world.home.users.coordinator.id,
      status: "listed",
      victim: { firstName: name, lastName: "Test" },
    });
    const onFirst = mc.length < 3;
    const [row] = await getDb()
      .insert(meetingCases)
      .values({ meetingId: onFirst ? first.id : second.id, caseId: made.case.id, position: onFirst ? mc.length + 1 : 1 })
      .returning();
    if (onFirst) mc.push(row.id);
    else otherMc = row.id;
  }
  await getDb().update(meetings).set({ status: "circulated" }).where(eq(meetings.id, first.id));
});

describe("starting the meeting", () => {
  it("offers the chair a start button on the meeting page, and starts it", async () => {
    const page = await invoke(meetingRoute.loader, makeRequest(`/areas/${code}/meetings/${first.id}`, { cookie: chair }), { area: code, meetingId: first.id });
    expect(page.data.run).toBe(runPath());
    expect((await postRun({ intent: "start", version: "99" })).status).toBe(409);
    expect((await meetingRow()).status).toBe("circulated");
    const started = await postRun({ intent: "start", version: String((await meetingRow()).version) });
    expect(started.status).toBe(302);
    expect((await meetingRow()).status).toBe("in_progress");
  });
});

describe("who may run it", () => {
  it("lets the chair and coordinator in, refuses other roles with 403 and other panels with 404", async () => {
    const run = await loadRun();
    expect(run.status).toBe(200);
    expect(run.data.agencies.map((a: { name: string }) => a.name)).toEqual(["Health Board", "IDVA Service", "Police"]);
    expect(run.data.area.statement).toBe("Information shared stays within the MARAC.");
    expect(run.data.cases.map((c: { meetingCaseId: string }) => c.meetingCaseId)).toEqual(mc);
    expect((await loadRun(coordinator)).status).toBe(200);
    for (const role of ["agency_rep", "idva", "admin"] as const) {
      const cookie = await sessionCookieFor(world.home.users[role].id);
      expect((await loadRun(cookie)).status).toBe(403);
      expect((await loadCase(mc[0], cookie)).status).toBe(403);
      expect((await postCase(mc[0], { intent: "outcome", outcome: "discussed", version: "1" }, cookie)).status).toBe(403);
      expect((await postRun({ intent: "close", version: "1" }, cookie)).status).toBe(403);
    }
    const otherChair = await sessionCookieFor(world.other.users.chair.id);
    expect((await loadRun(otherChair)).status).toBe(404);
    expect((await loadCase(mc[0], otherChair)).status).toBe(404);
    expect((await loadRun(chair, "not-a-meeting")).status).toBe(404);
    expect((await loadCase(mc[0], chair, "not-a-meeting")).status).toBe(404);
    // A listing from another meeting is not found under this one.
    expect((await loadCase(otherMc)).status).toBe(404);
    expect((await postCase(otherMc, { intent: "outcome", outcome: "discussed", version: "1" })).status).toBe(404);
  });

  it("shows the case with its summary, neighbours and an empty action plan", async () => {
    const page = await loadCase(mc[1]);
    expect(page.status).toBe(200);
    expect(page.data.case.victimInitials).toBe("B.T.");
    expect(page.data.case.referringAgency).toBe("Police");
    expect(page.data.links.previous).toBe(`${runPath()}/${mc[0]}`);
    expect(page.data.links.next).toBe(`${runPath()}/${mc[2]}`);
    expect(page.data.listing.plannedMinutes).toBe(12);
    expect(page.data.actions).toEqual([]);
    expect(page.data.victimViews).toBeNull();
    const listed = await mcRow(mc[1]);
    await saveVictimViews({ actor: actorFor(world.home, "idva"), caseId: listed.caseId, version: null, views: "Wants the perpetrator kept away from the school run." });
    expect((await loadCase(mc[1])).data.victimViews).toBe("Wants the perpetrator kept away from the school run.");
  });

  it("audits the case page's three reads in one transaction, and nothing for a case it does not show", async () => {
    const head = async () => (await getDb().select({ seq: auditEvents.seq }).from(auditEvents).where(eq(auditEvents.chain, world.home.area.id)).orderBy(asc(auditEvents.seq))).at(-1)?.seq ?? 0;
    const since = async (seq: number) =>
      getDb()
        .select({ action: auditEvents.action, caseId: auditEvents.caseId, userId: auditEvents.userId, at: auditEvents.at })
        .from(auditEvents)
        .where(and(eq(auditEvents.chain, world.home.area.id), gt(auditEvents.seq, seq)))
        .orderBy(asc(auditEvents.seq));
    const before = await head();
    expect((await loadCase(mc[2])).status).toBe(200);
    const listed = await mcRow(mc[2]);
    const rows = await since(before);
    expect(rows.map((r) => [r.action, r.caseId, r.userId])).toEqual([
      ["meeting.case_read", listed.caseId, world.home.users.chair.id],
      ["research.read", listed.caseId, world.home.users.chair.id],
      ["contact.read", listed.caseId, world.home.users.chair.id],
    ]);
    // Appended together at the end of the one transaction: one time for all three.
    expect(new Set(rows.map((r) => r.at.getTime())).size).toBe(1);
    const after = await head();
    expect((await loadCase(otherMc)).status).toBe(404);
    expect(await since(after)).toEqual([]);
    expect((await verifyAuditChains()).problems).toEqual([]);
  });
});

describe("attendance", () => {
  const police = () => world.home.agencies.police.id;
  const good = () => ({ intent: "attendance", agencyId: police(), status: "present", personName: "DS Jones", confirmConfidentiality: "on" });

  it("refuses bad input with the message on the field and saves nothing", async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ ...good(), status: "" }, "status", "meetingRoom:errors.status"],
      [{ ...good(), status: "sleeping" }, "status", "meetingRoom:errors.status"],
      [{ ...good(), personName: "x".repeat(201) }, "personName", 'errors.tooLong|{"max":200}'],
      [{ ...good(), personName: "<b>DS</b>" }, "personName", "errors.noMarkup"],
      [{ ...good(), personName: "" }, "personName", "cases:meetingRoom.errors.name"],
      [{ ...good(), infoSent: "yes" }, "infoSent", "errors.invalid"],
      [{ ...good(), agencyId: "00000000-0000-4000-8000-000000000000" }, "agencyId", "meetingRoom:errors.agency"],
      [{ ...good(), agencyId: world.other.agencies.police.id }, "agencyId", "meetingRoom:errors.agency"],
      [{ ...good(), agencyId: "police" }, "agencyId", "meetingRoom:errors.agency"],
    ];
    for (const [form, field, key] of cases) {
      const result = await postRun(form);
      expect(result.status, JSON.stringify(form)).toBe(400);
      expect(result.data.problem).toMatchObject({ field, key });
    }
    expect(await attendanceRows()).toHaveLength(0);
  });

  it("records present, apologies with information sent, and an observer", async () => {
    expect((await postRun(good())).status).toBe(302);
    expect((await postRun({ intent: "attendance", agencyId: world.home.agencies.health.id, status: "apologies", personName: "", infoSent: "on" })).status).toBe(302);
    for (const [form, field] of [
      [{ intent: "observer", personName: "", observerOrganisation: "Llanfair University" }, "personName"],
      [{ intent: "observer", personName: "Student", observerOrganisation: "" }, "observerOrganisation"],
      [{ intent: "observer", personName: "Student", observerOrganisation: "<script>" }, "observerOrganisation"],
    ] as const) {
      const result = await postRun(form);
      expect(result.status).toBe(400);
      expect(result.data.problem.field).toBe(field);
    }
    expect((await postRun({ intent: "observer", personName: "Student social worker", observerOrganisation: "Llanfair University", confirmConfidentiality: "on" })).status).toBe(302);
    const rows = await attendanceRows();
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.agencyId === police())).toMatchObject({ status: "present", personName: "DS Jones" });
    expect(rows.find((r) => r.agencyId === police())!.confidentialityConfirmedAt).toBeInstanceOf(Date);
    expect(rows.find((r) => r.agencyId === world.home.agencies.health.id)).toMatchObject({ status: "apologies", infoSent: true, confidentialityConfirmedAt: null });
    const run = await loadRun();
    expect(run.data.agencies.find((a: { id: string }) => a.id === police()).attendance).toMatchObject({ status: "present", confirmed: true });
    expect(run.data.observers).toEqual([expect.objectContaining({ personName: "Student social worker", organisation: "Llanfair University", confirmed: true })]);
    // Updating a row carries its version; a stale one is refused.
    const row = rows.find((r) => r.agencyId === police())!;
    const stale = await postRun({ ...good(), status: "absent", personName: "", attendanceId: row.id, attendanceVersion: String(row.version + 3) });
    expect(stale.status).toBe(409);
    expect((await attendanceRows()).find((r) => r.id === row.id)!.status).toBe("present");
  });
});

describe("minutes", () => {
  const blank = { infoShared: "", risksVictim: "", risksChildren: "", risksOthers: "", risksStaff: "", safetyPlanning: "", crimesReported: "", decisions: "" };

  it("refuses bad input and saves nothing", async () => {
    const { version } = await mcRow(mc[0]);
    for (const [form, field] of [
      [{ ...blank, risksVictim: "x".repeat(5001) }, "risksVictim"],
      [{ ...blank, decisions: "<img src=x onerror=alert(1)>" }, "decisions"],
    ] as const) {
      const result = await postCase(mc[0], { intent: "minutes", version: String(version), ...form });
      expect(result.status).toBe(400);
      expect(result.data.problem.field).toBe(field);
      expect(result.data.problem.values[field]).toBe(form[field]);
    }
    expect((await postCase(mc[0], { intent: "minutes", version: "abc", ...blank })).status).toBe(400);
    expect(await mcRow(mc[0])).toMatchObject({ version, risksVictim: "", decisions: "" });
  });

  it("refuses the second of two writers from the same version and shows them the newer text", async () => {
    const { version } = await mcRow(mc[0]);
    const one = await postCase(mc[0], { intent: "minutes", version: String(version), ...blank, infoShared: "Police: two call-outs in October.", risksVictim: "Serious harm." });
    expect(one.status).toBe(302);
    const two = await postCase(mc[0], { intent: "minutes", version: String(version), ...blank, infoShared: "Health: missed appointments." }, coordinator);
    expect(two.status).toBe(409);
    expect(two.data.problem.key).toBe("meetingRoom:minutes.stale");
    expect(two.data.current).toMatchObject({ infoShared: "Police: two call-outs in October.", risksVictim: "Serious harm.", version: version + 1 });
    // The loser's words come back to the form; the winner's stay saved.
    expect(two.data.problem.values.infoShared).toBe("Health: missed appointments.");
    expect(await mcRow(mc[0])).toMatchObject({ infoShared: "Police: two call-outs in October.", version: version + 1 });
    expect((await loadCase(mc[0])).data.minutes.infoShared).toBe("Police: two call-outs in October.");
  });
});

describe("actions", () => {
  const good = () => ({ intent: "addAction", description: "Refer to the sanctuary scheme.", ownerAgencyId: world.home.agencies.police.id, ownerName: "", dueOn: "2026-12-20", priority: "high" });

  it("refuses bad input with the message on the field and saves nothing", async () => {
    const cases: [Record<string, string>, string][] = [
      [{ ...good(), description: "" }, "description"],
      [{ ...good(), description: "x".repeat(1001) }, "description"],
      [{ ...good(), description: "<b>visit</b>" }, "description"],
      [{ ...good(), ownerAgencyId: "" }, "ownerAgencyId"],
      [{ ...good(), ownerAgencyId: "police" }, "ownerAgencyId"],
      [{ ...good(), ownerAgencyId: "00000000-0000-4000-8000-000000000000" }, "ownerAgencyId"],
      [{ ...good(), ownerAgencyId: world.other.agencies.police.id }, "ownerAgencyId"],
      [{ ...good(), ownerName: "y".repeat(201) }, "ownerName"],
      [{ ...good(), dueOn: "" }, "dueOn"],
      [{ ...good(), dueOn: "2026-02-30" }, "dueOn"],
      [{ ...good(), dueOn: "next week" }, "dueOn"],
      [{ ...good(), dueOn: "2026-11-01" }, "dueOn"],
      [{ ...good(), priority: "urgent" }, "priority"],
    ];
    for (const [form, field] of cases) {
      const result = await postCase(mc[0], form);
      expect(result.status, JSON.stringify(form)).toBe(400);
      expect(result.data.problem.field).toBe(field);
      // Every message is one of ours (an i18n key), never zod's English.
      expect(result.data.problem.key).toMatch(/^(errors|cases:actions\.errors|meetingRoom:errors)\./);
    }
    expect(await actionRows(mc[0])).toHaveLength(0);
  });

  it("adds an action, revises it, and refuses a stale revision showing the newer values", async () => {
    expect((await postCase(mc[0], good())).status).toBe(302);
    const [action] = await actionRows(mc[0]);
    expect(action).toMatchObject({ description: "Refer to the sanctuary scheme.", priority: "high", dueOn: "2026-12-20" });
    const page = await loadCase(mc[0]);
    expect(page.data.actions).toEqual([expect.objectContaining({ id: action.id, thisMeeting: true, agency: "Police", status: "open" })]);
    const revise = { ...good(), intent: "reviseAction", actionId: action.id, version: String(action.version) };
    expect((await postCase(mc[0], { ...revise, dueOn: "2026-12-24" })).status).toBe(302);
    const stale = await postCase(mc[0], { ...revise, dueOn: "2027-01-31", ownerAgencyId: world.home.agencies.health.id }, coordinator);
    expect(stale.status).toBe(409);
    expect(stale.data.problem.key).toBe("meetingRoom:actions.stale");
    expect(stale.data.current).toMatchObject({ dueOn: "2026-12-24", ownerAgencyId: world.home.agencies.police.id, version: action.version + 1 });
    expect((await actionRows(mc[0]))[0]).toMatchObject({ dueOn: "2026-12-24", version: action.version + 1 });
    // Bad input on a revision is refused too, and an action of another case is not found here.
    const bad = await postCase(mc[0], { ...revise, version: String(action.version + 1), dueOn: "31/12/2026" });
    expect(bad.status).toBe(400);
    expect(bad.data.problem).toMatchObject({ form: `action-${action.id}`, field: "dueOn" });
    expect((await postCase(mc[1], { ...revise, version: String(action.version + 1) })).status).toBe(404);
  });
});

describe("outcomes and closing", () => {
  it("refuses a wrong outcome, will not close with cases open, then closes", async () => {
    const { version } = await mcRow(mc[0]);
    const wrong = await postCase(mc[0], { intent: "outcome", outcome: "forgotten", version: String(version) });
    expect(wrong.status).toBe(400);
    expect(wrong.data.problem).toMatchObject({ field: "outcome", key: "meetingRoom:errors.outcome" });
    expect((await mcRow(mc[0])).outcome).toBeNull();
    expect((await postCase(mc[0], { intent: "outcome", outcome: "discussed", version: String(version) })).status).toBe(302);
    const early = await postRun({ intent: "close", version: String((await meetingRow()).version) });
    expect(early.status).toBe(409);
    expect(early.data.problem.key).toBe('cases:meetingRoom.errors.casesOpen|{"count":2}');
    expect((await meetingRow()).status).toBe("in_progress");
    expect((await postCase(mc[1], { intent: "outcome", outcome: "withdrawn", version: String((await mcRow(mc[1])).version) })).status).toBe(302);
    expect((await postCase(mc[2], { intent: "outcome", outcome: "discussed", version: String((await mcRow(mc[2])).version) })).status).toBe(302);
    const run = await loadRun();
    expect(run.data.cases.map((c: { outcome: string }) => c.outcome)).toEqual(["discussed", "withdrawn", "discussed"]);
    const closed = await postRun({ intent: "close", version: String((await meetingRow()).version) });
    expect(closed.status).toBe(302);
    expect((await meetingRow()).status).toBe("held");
  });
});
