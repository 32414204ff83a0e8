import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { makeReferral } from "#db/factories";
import { areas, caseMatchCandidates, cases, meetingCases, meetings, safeContacts } from "#db/schema";
import * as caseRoute from "~/routes/areas.$area.review.$caseId/route";
import * as queueRoute from "~/routes/areas.$area.review._index";
import { buildWorld, invoke, makeRequest, sessionCookieFor, type World } from "../support/world";

let world: World;
let code: string;
let coordinator: string;

function nextThursday() {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + ((4 - d.getUTCDay() + 7) % 7 || 7));
  return d.toISOString().slice(0, 10);
}

beforeAll(async () => {
  world = await buildWorld();
  code = world.home.area.code.toLowerCase();
  coordinator = await sessionCookieFor(world.home.users.coordinator.id);
  for (const panel of [world.home, world.other]) {
    await getDb().update(areas).set({ firstMeetingOn: nextThursday(), meetingTime: "10:00", nation: "wales" }).where(eq(areas.id, panel.area.id));
  }
});

async function referral(firstName: string, panel = world.home, options: { referralDate?: string; status?: "referred" | "discussed" } = {}) {
  return makeReferral(getDb(), {
    areaId: panel.area.id,
    areaCode: panel.area.code,
    agencyId: panel.agencies.health.id,
    userId: panel.users.agency_rep.id,
    status: options.status ?? "referred",
    referralDate: options.referralDate,
    victim: { firstName, lastName: "Hughes", dobs: ["1990-05-01"] },
    perpetrator: { firstName: "Gareth", lastName: "Hughes" },
  });
}

async function withCandidate(firstName: string) {
  const earlierDate = new Date(Date.now() - 60 * 86400_000).toISOString().slice(0, 10);
  const earlier = await referral(firstName, world.home, { status: "discussed", referralDate: earlierDate });
  const current = await referral(firstName);
  const [candidate] = await getDb()
    .insert(caseMatchCandidates)
    .values({ caseId: current.case.id, candidateCaseId: earlier.case.id, score: 0.92, reasons: ["sameName", "sameDob"], candidateReferralDate: earlierDate })
    .returning();
  return { earlier: earlier.case, current: current.case, candidate };
}

const path = (caseId: string) => `/areas/${code}/review/${caseId}`;
const load = (caseId: string, cookie = coordinator) => invoke(caseRoute.loader, makeRequest(path(caseId), { cookie }), { area: code, caseId });
const post = (caseId: string, form: Record<string, string>, cookie = coordinator) =>
  invoke(caseRoute.action, makeRequest(path(caseId), { cookie, form }), { area: code, caseId });

async function caseRow(id: string) {
  const [row] = await getDb().select().from(cases).where(eq(cases.id, id));
  return row;
}

describe("the review queue", () => {
  it("lists submitted referrals with risk, DASH score and a possible-repeat tag", async () => {
    const { current } = await withCandidate("Nia");
    const plain = await referral("Lowri");
    const result = await invoke(queueRoute.loader, makeRequest(`/areas/${code}/review`, { cookie: coordinator }), { area: code });
    expect(result.status).toBe(200);
    const byId = Object.fromEntries(result.data.referrals.map((r: { id: string }) => [r.id, r]));
    expect(byId[current.id]).toMatchObject({ reference: current.reference, agencyName: "Health Board", riskLevel: "high", dashScore: 15, possibleRepeat: true });
    expect(byId[plain.case.id]).toMatchObject({ possibleRepeat: false });
  });

  it("is closed to the chair, agency representatives and IDVAs (403)", async () => {
    for (const role of ["chair", "agency_rep", "idva", "admin"] as const) {
      const cookie = await sessionCookieFor(world.home.users[role].id);
      expect((await invoke(queueRoute.loader, makeRequest(`/areas/${code}/review`, { cookie }), { area: code })).status).toBe(403);
    }
  });
});

describe("reviewing one referral", () => {
  it("shows every section, safe contact for the coordinator, and the possible earlier cases", async () => {
    const { current, earlier } = await withCandidate("Mali");
    await getDb().insert(safeContacts).values({ caseId: current.id, safeNumber: "07700 900123", safeTimes: "Mornings" });
    const result = await load(current.id);
    expect(result.status).toBe(200);
    const keys = result.data.sections.map((s: { key: string }) => s.key);
    expect(keys).toEqual(["referrer", "criteria", "dash", "victim", "perpetrator", "consent", "safeContact"]);
    const safe = result.data.sections.find((s: { key: string }) => s.key === "safeContact");
    expect(safe.rows).toContainEqual(["safeNumber", "07700 900123"]);
    expect(result.data.candidates).toEqual([
      expect.objectContaining({ reference: earlier.reference, percent: 92, reasons: ["sameName", "sameDob"], withinTwelveMonths: true, decision: "pending" }),
    ]);
  });

  it("confirming a match within 12 months marks the referral a repeat", async () => {
    const { current, candidate, earlier } = await withCandidate("Elin");
    const result = await post(current.id, { intent: "match", candidateId: candidate.id, decision: "confirmed" });
    expect(result.status).toBe(302);
    expect(result.location).toBe(path(current.id));
    expect(await caseRow(current.id)).toMatchObject({ isRepeat: true, repeatOfCaseId: earlier.id });
  });

  it("rejecting a match leaves the referral as it was", async () => {
    const { current, candidate } = await withCandidate("Ffion");
    expect((await post(current.id, { intent: "match", candidateId: candidate.id, decision: "rejected" })).status).toBe(302);
    expect(await caseRow(current.id)).toMatchObject({ isRepeat: false });
    const [row] = await getDb().select().from(caseMatchCandidates).where(eq(caseMatchCandidates.id, candidate.id));
    expect(row.decision).toBe("rejected");
  });

  it("answers bad match decisions with 400 and unknown candidates with 404", async () => {
    const { current, candidate } = await withCandidate("Gwen");
    expect((await post(current.id, { intent: "match", candidateId: candidate.id, decision: "maybe" })).status).toBe(400);
    expect((await post(current.id, { intent: "match", candidateId: "not-an-id", decision: "confirmed" })).status).toBe(400);
    expect((await post(current.id, { intent: "match", candidateId: crypto.randomUUID(), decision: "confirmed" })).status).toBe(404);
    const other = await withCandidate("Heledd");
    // A candidate of another referral is not this referral's.
    expect((await post(current.id, { intent: "match", candidateId: other.candidate.id, decision: "confirmed" })).status).toBe(404);
    expect(await caseRow(current.id)).toMatchObject({ isRepeat: false });
  });

  it("accepting lists the case on the next open meeting and says which", async () => {
    const { case: row } = await referral("Awen");
    const result = await post(row.id, { intent: "accept", version: String(row.version) });
    expect(result.status).toBe(302);
    expect(result.location).toBe(`/areas/${code}/review`);
    expect((await caseRow(row.id)).status).toBe("listed");
    const [placed] = await getDb()
      .select({ meeting: meetings })
      .from(meetingCases)
      .innerJoin(meetings, eq(meetings.id, meetingCases.meetingId))
      .where(eq(meetingCases.caseId, row.id));
    expect(placed.meeting.areaId).toBe(world.home.area.id);
    expect(placed.meeting.referralCutoff >= new Date().toISOString().slice(0, 10)).toBe(true);
  });

  it("returning needs a reason: 400 with the message and nothing saved", async () => {
    const { case: row } = await referral("Bethan");
    for (const reason of ["", "   "]) {
      const result = await post(row.id, { intent: "return", version: String(row.version), reason });
      expect(result.status).toBe(400);
      expect(result.data.result.error.reason).toEqual(["cases:review.errors.reasonRequired"]);
    }
    expect((await post(row.id, { intent: "return", version: String(row.version), reason: "<b>no</b>" })).data.result.error.reason).toEqual(["errors.noMarkup"]);
    expect((await post(row.id, { intent: "return", version: String(row.version), reason: "x".repeat(2001) })).status).toBe(400);
    expect((await post(row.id, { intent: "return", version: "abc", reason: "Missing DASH" })).status).toBe(400);
    expect(await caseRow(row.id)).toMatchObject({ status: "referred", version: row.version, returnedReason: "" });
  });

  it("returns a referral with its reason", async () => {
    const { case: row } = await referral("Carys");
    const result = await post(row.id, { intent: "return", version: String(row.version), reason: "Please complete the DASH questions." });
    expect(result.status).toBe(302);
    expect(await caseRow(row.id)).toMatchObject({ status: "returned", returnedReason: "Please complete the DASH questions." });
  });

  it("shows a conflict for a stale version and changes nothing", async () => {
    const { case: row } = await referral("Dilys");
    const result = await post(row.id, { intent: "accept", version: String(row.version + 1) });
    expect(result.status).toBe(409);
    expect(result.data).toEqual({ conflict: "errors.stale" });
    expect(await caseRow(row.id)).toMatchObject({ status: "referred", version: row.version });
    expect(await getDb().select().from(meetingCases).where(eq(meetingCases.caseId, row.id))).toHaveLength(0);
  });

  it("is closed to the chair, agency representatives and IDVAs (403)", async () => {
    const { case: row } = await referral("Eirlys");
    for (const role of ["chair", "agency_rep", "idva"] as const) {
      const cookie = await sessionCookieFor(world.home.users[role].id);
      expect((await load(row.id, cookie)).status).toBe(403);
      expect((await post(row.id, { intent: "accept", version: String(row.version) }, cookie)).status).toBe(403);
    }
    expect((await caseRow(row.id)).status).toBe("referred");
  });

  it("answers 404 for another panel's referral and for unknown ids", async () => {
    const { case: foreign } = await referral("Siân", world.other);
    expect((await load(foreign.id)).status).toBe(404);
    expect((await post(foreign.id, { intent: "accept", version: String(foreign.version) })).status).toBe(404);
    expect((await load(crypto.randomUUID())).status).toBe(404);
    expect((await load("nonsense")).status).toBe(404);
    const [row] = await getDb().select().from(cases).where(and(eq(cases.id, foreign.id)));
    expect(row.status).toBe("referred");
  });
});
