import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { makeReferral } from "#db/factories";
import { agencies, areas, auditEvents, casePeople, identityChecks, meetingCases, meetings, personFieldHistory, safeContacts } from "#db/schema";
import { ensureMeetingSeries } from "~/models/meetings.server";
import { getReadiness } from "~/models/preparation/readiness.server";
import { getOwnResearch, listCaseResearch, listResearchTasks, saveResearch } from "~/models/preparation/research.server";
import {
  decideCorrection,
  getIdentityCheck,
  listCorrectionsForReview,
  listVerificationTasks,
  respondToIdentityCheck,
  sendListForVerification,
} from "~/models/preparation/verification.server";
import { getContactRecord, logVictimContact, saveVictimViews } from "~/models/preparation/victim-contact.server";
import { actorFor, buildWorld, type World } from "../support/world";
import { errorCode } from "../support/outcomes";

let world: World;
let meetingId: string;
let mcId: string;
let caseId: string;
const TODAY = "2026-11-23";

const rep = () => actorFor(world.home, "agency_rep"); // health (a verifier)
const police = () => actorFor(world.home, "agency_rep", { agencyId: world.home.agencies.police.id });
const coordinator = () => actorFor(world.home, "coordinator");

async function meetingVersion() {
  return (await getDb().select().from(meetings).where(eq(meetings.id, meetingId)))[0].version;
}

async function setStatus(status: (typeof meetings.$inferSelect)["status"]) {
  await getDb().update(meetings).set({ status }).where(eq(meetings.id, meetingId));
}

beforeAll(async () => {
  world = await buildWorld();
  await getDb().update(areas).set({ firstMeetingOn: "2026-12-03" }).where(eq(areas.id, world.home.area.id));
  // Police verify too in this panel, so two agencies can disagree.
  await getDb().update(agencies).set({ isVerifier: true }).where(eq(agencies.id, world.home.agencies.police.id));
  await ensureMeetingSeries({ areaId: world.home.area.id, today: TODAY });
  const [meeting] = await getDb().select().from(meetings).where(and(eq(meetings.areaId, world.home.area.id), eq(meetings.seriesDate, "2026-12-17")));
  meetingId = meeting.id;
  const made = await makeReferral(getDb(), {
    areaId: world.home.area.id,
    areaCode: world.home.area.code,
    agencyId: world.home.agencies.police.id,
    userId: world.home.users.coordinator.id,
    status: "listed",
    victim: { firstName: "Mair", lastName: "Jones", dobs: ["1990-03-07"], address: "1 Safe Street", confidentialAddress: true },
    perpetrator: { firstName: "Tom", lastName: "Jones", dobs: ["1988-01-01"] },
  });
  caseId = made.case.id;
  [{ id: mcId }] = await getDb().insert(meetingCases).values({ meetingId, caseId, position: 1 }).returning({ id: meetingCases.id });
  await getDb().insert(safeContacts).values({ caseId, safeNumber: "07700 900123", safeTimes: "Weekdays 9–11", noMessages: true, mustNotKnow: "Her brother" });
});

describe("identity verification", () => {
  it("gives each verifier agency a check per person when the list is sent, and nothing to other agencies", async () => {
    expect(await errorCode(sendListForVerification({ actor: rep(), meetingId, version: await meetingVersion() }))).toBe("FORBIDDEN");
    const { checks } = await sendListForVerification({ actor: coordinator(), meetingId, version: await meetingVersion() });
    expect(checks).toBe(4); // 2 people × 2 verifier agencies
    const healthTasks = await listVerificationTasks({ actor: rep(), today: TODAY });
    expect(healthTasks.map((t) => t.role).sort()).toEqual(["perpetrator", "victim"]);
    expect(healthTasks[0]).toMatchObject({ status: "pending", due: "2026-12-09", overdue: false });
    expect(await listVerificationTasks({ actor: actorFor(world.home, "idva"), today: TODAY })).toEqual([]);
    expect(await listVerificationTasks({ actor: rep(), today: "2026-12-10" }).then((t) => t.every((x) => x.overdue))).toBe(true);
  });

  it("shows a verifier only identity fields, never a confidential address, and audits the read", async () => {
    const [task] = (await listVerificationTasks({ actor: rep(), today: TODAY })).filter((t) => t.role === "victim");
    const check = await getIdentityCheck({ actor: rep(), checkId: task.checkId });
    expect(check.values).toEqual({ firstName: "Mair", lastName: "Jones", aliases: "", dobs: "1990-03-07", address: "", nhsNumber: "" });
    expect(check.addressConfidential).toBe(true);
    expect(await errorCode(getIdentityCheck({ actor: police(), checkId: task.checkId }))).toBe("NOT_FOUND");
    expect(await errorCode(getIdentityCheck({ actor: actorFor(world.other, "agency_rep"), checkId: task.checkId }))).toBe("NOT_FOUND");
    const reads = await getDb().select().from(auditEvents).where(and(eq(auditEvents.action, "verification.read"), eq(auditEvents.entityId, task.checkId)));
    expect(reads).toHaveLength(1);
  });

  it("records a corrected date of birth, refuses a correction that changes nothing or an impossible date", async () => {
    const [task] = (await listVerificationTasks({ actor: rep(), today: TODAY })).filter((t) => t.role === "victim");
    const { check } = await getIdentityCheck({ actor: rep(), checkId: task.checkId });
    expect(await errorCode(respondToIdentityCheck({ actor: rep(), checkId: check.id, version: check.version, status: "corrected", corrections: { dobs: "07/03/1990" } }))).toBe("INVALID");
    expect(await errorCode(respondToIdentityCheck({ actor: rep(), checkId: check.id, version: check.version, status: "corrected", corrections: { dobs: "31/02/1990" } }))).toBe("INVALID");
    const saved = await respondToIdentityCheck({ actor: rep(), checkId: check.id, version: check.version, status: "corrected", corrections: { dobs: "08/03/1990" } });
    expect(saved).toMatchObject({ status: "corrected", corrections: { dobs: "1990-03-08" } });
    expect(await errorCode(respondToIdentityCheck({ actor: rep(), checkId: check.id, version: check.version, status: "confirmed" }))).toBe("CONFLICT");
  });

  it("shows two agencies' different corrections as a conflict; accepting one updates the person, keeps history and settles the other", async () => {
    const [policeTask] = (await listVerificationTasks({ actor: police(), today: TODAY })).filter((t) => t.role === "victim");
    const { check } = await getIdentityCheck({ actor: police(), checkId: policeTask.checkId });
    await respondToIdentityCheck({ actor: police(), checkId: check.id, version: check.version, status: "corrected", corrections: { dobs: "1990-07-03" } });
    const review = await listCorrectionsForReview({ actor: coordinator(), meetingId });
    expect(review).toHaveLength(2);
    expect(review.every((r) => r.fields[0].conflict && r.fields[0].current === "1990-03-07")).toBe(true);
    expect(await errorCode(listCorrectionsForReview({ actor: actorFor(world.home, "chair"), meetingId }))).toBe("FORBIDDEN");
    const health = review.find((r) => r.agency === "Health Board")!;
    await decideCorrection({ actor: coordinator(), checkId: health.checkId, version: health.version, field: "dobs", decision: "accepted" });
    const [victim] = await getDb().select().from(casePeople).where(and(eq(casePeople.caseId, caseId), eq(casePeople.role, "victim")));
    expect(victim.dobs).toEqual(["1990-03-08"]);
    const history = await getDb().select().from(personFieldHistory).where(eq(personFieldHistory.personId, victim.id));
    expect(history).toEqual([expect.objectContaining({ field: "dobs", oldValue: "1990-03-07", newValue: "1990-03-08", changedBy: world.home.users.coordinator.id })]);
    const [policeCheck] = await getDb().select().from(identityChecks).where(eq(identityChecks.id, check.id));
    expect(policeCheck.decisions).toEqual({ dobs: "rejected" });
    expect((await listCorrectionsForReview({ actor: coordinator(), meetingId })).every((r) => !r.fields[0].conflict)).toBe(true);
  });
});

describe("agency research", () => {
  it("opens once the list is circulated", async () => {
    expect(await errorCode(saveResearch({ actor: police(), meetingCaseId: mcId, version: null, intent: "draft", values: { facts: [], opinion: "x", actionsInPlace: "", suggestedActions: "", withheld: "", withheldReason: "" }, today: TODAY }))).toBe("CONFLICT");
    await setStatus("circulated");
    expect((await listResearchTasks({ actor: police(), today: TODAY })).map((t) => t.status)).toEqual(["none"]);
  });

  it("keeps drafts to their agency and other agencies' research from agency representatives before the meeting", async () => {
    const draft = await saveResearch({
      actor: police(),
      meetingCaseId: mcId,
      version: null,
      intent: "draft",
      values: { facts: [{ date: "2026-11-01", text: "Call-out to the address; perpetrator arrested." }], opinion: "Escalating.", actionsInPlace: "", suggestedActions: "", withheld: "", withheldReason: "" },
      today: TODAY,
    });
    expect(draft.status).toBe("draft");
    expect(await listCaseResearch({ actor: coordinator(), meetingCaseId: mcId })).toEqual([]);
    const submitted = await saveResearch({
      actor: police(),
      meetingCaseId: mcId,
      version: draft.version,
      intent: "submit",
      values: { ...draft, facts: draft.facts, withheld: "Intelligence from an ongoing operation.", withheldReason: "Would prejudice an investigation." },
      today: TODAY,
    });
    expect(submitted).toMatchObject({ status: "submitted", late: false });
    const asCoordinator = await listCaseResearch({ actor: coordinator(), meetingCaseId: mcId });
    expect(asCoordinator[0]).toMatchObject({ agency: "Police", withheld: "Intelligence from an ongoing operation.", opinion: "Escalating." });
    // A chair from another agency than the submitter does not see what was held back.
    const asChair = await listCaseResearch({ actor: actorFor(world.home, "chair", { agencyId: null }), meetingCaseId: mcId });
    expect(asChair[0]).toMatchObject({ withheld: null, withheldReason: null, hasWithheld: true });
    // A housing/health representative sees nothing of police research before the meeting.
    expect(await errorCode(listCaseResearch({ actor: rep(), meetingCaseId: mcId }))).toBe("NOT_FOUND");
    expect(await errorCode(listCaseResearch({ actor: actorFor(world.other, "coordinator"), meetingCaseId: mcId }))).toBe("NOT_FOUND");
  });

  it("shows submitted research to attending agencies in the meeting, without what was held back", async () => {
    await setStatus("in_progress");
    const asHealth = await listCaseResearch({ actor: rep(), meetingCaseId: mcId });
    expect(asHealth[0]).toMatchObject({ agency: "Police", opinion: "Escalating.", withheld: null, hasWithheld: true });
    const asPolice = await listCaseResearch({ actor: police(), meetingCaseId: mcId });
    expect(asPolice[0].withheld).toBe("Intelligence from an ongoing operation.");
    await setStatus("circulated");
  });

  it("marks a first submission after the deadline late, refuses edits to a submitted return after it, and needs a reason for withheld information", async () => {
    const idva = actorFor(world.home, "idva");
    expect(
      await errorCode(saveResearch({ actor: idva, meetingCaseId: mcId, version: null, intent: "submit", values: { facts: [], opinion: "x", actionsInPlace: "", suggestedActions: "", withheld: "Something", withheldReason: " " }, today: TODAY })),
    ).toBe("INVALID");
    expect(await errorCode(saveResearch({ actor: idva, meetingCaseId: mcId, version: null, intent: "submit", values: { facts: [], opinion: "", actionsInPlace: "", suggestedActions: "", withheld: "", withheldReason: "" }, today: TODAY }))).toBe("INVALID");
    const late = await saveResearch({ actor: idva, meetingCaseId: mcId, version: null, intent: "nothing_held", today: "2026-12-17" });
    expect(late).toMatchObject({ status: "nothing_held", late: true });
    const policeReturn = (await getOwnResearch({ actor: police(), meetingCaseId: mcId, today: "2026-12-17" })).ret!;
    expect(await errorCode(saveResearch({ actor: police(), meetingCaseId: mcId, version: policeReturn.version, intent: "submit", values: { facts: [], opinion: "changed", actionsInPlace: "", suggestedActions: "", withheld: "", withheldReason: "" }, today: "2026-12-17" }))).toBe("CONFLICT");
    expect(await errorCode(saveResearch({ actor: actorFor(world.home, "chair"), meetingCaseId: mcId, version: null, intent: "nothing_held", today: TODAY }))).toBe("FORBIDDEN");
  });
});

describe("IDVA victim contact", () => {
  const contact = { at: new Date("2026-11-20T10:00:00Z"), method: "phone" as const, outcome: "spoke" as const, phase: "before" as const, notes: "Spoke at a safe time.", feedbackGiven: false };

  it("shows safe-contact rules only to IDVAs, the coordinator and the chair", async () => {
    const asIdva = await getContactRecord({ actor: actorFor(world.home, "idva"), caseId });
    expect(asIdva.safeContact).toMatchObject({ safeNumber: "07700 900123", noMessages: true, mustNotKnow: "Her brother" });
    expect((await getContactRecord({ actor: actorFor(world.home, "chair"), caseId })).safeContact?.safeNumber).toBe("07700 900123");
    expect(await errorCode(getContactRecord({ actor: rep(), caseId }))).toBe("NOT_FOUND");
    expect(await errorCode(getContactRecord({ actor: actorFor(world.home, "admin"), caseId }))).toBe("NOT_FOUND");
    expect(await errorCode(getContactRecord({ actor: actorFor(world.other, "idva"), caseId }))).toBe("NOT_FOUND");
  });

  it("logs contact attempts, honours 'do not leave messages', and records the victim's views", async () => {
    const idva = actorFor(world.home, "idva");
    await logVictimContact({ actor: idva, caseId, contact });
    expect(await errorCode(logVictimContact({ actor: idva, caseId, contact: { ...contact, outcome: "message_left" } }))).toBe("INVALID");
    expect(await errorCode(logVictimContact({ actor: idva, caseId, contact: { ...contact, feedbackGiven: true } }))).toBe("INVALID");
    expect(await errorCode(logVictimContact({ actor: idva, caseId, contact: { ...contact, at: new Date(Date.now() + 86400_000) } }))).toBe("INVALID");
    expect(await errorCode(logVictimContact({ actor: actorFor(world.home, "chair"), caseId, contact }))).toBe("FORBIDDEN");
    await logVictimContact({ actor: coordinator(), caseId, contact: { ...contact, phase: "after", feedbackGiven: true } });
    const views = await saveVictimViews({ actor: idva, caseId, version: null, views: "Wants the perpetrator kept away from the school run." });
    expect(await errorCode(saveVictimViews({ actor: idva, caseId, version: null, views: "again" }))).toBe("CONFLICT");
    await saveVictimViews({ actor: idva, caseId, version: views.version, views: "Updated views." });
    const record = await getContactRecord({ actor: idva, caseId });
    expect(record.contacts).toHaveLength(2);
    expect(record.views?.views).toBe("Updated views.");
  });
});

describe("readiness grid", () => {
  it("shows verification, research and contact state per case and agency, with counts", async () => {
    const grid = await getReadiness({ actor: coordinator(), meetingId, today: TODAY });
    expect(grid.rows).toHaveLength(1);
    const row = grid.rows[0];
    expect(row.verification).toBe("pending"); // the perpetrator checks are still open
    expect(row.research[world.home.agencies.police.id]).toBe("submitted");
    expect(row.research[world.home.agencies.idvaService.id]).toBe("nothing_held");
    expect(row.research[world.home.agencies.health.id]).toBe("none");
    expect(row.contact).toBe("spoke");
    expect(grid.counts).toMatchObject({ cases: 1, researchReceived: 2, researchMissing: 1, noContact: 0 });
    expect(await errorCode(getReadiness({ actor: rep(), meetingId }))).toBe("FORBIDDEN");
    expect(await errorCode(getReadiness({ actor: actorFor(world.other, "coordinator"), meetingId }))).toBe("NOT_FOUND");
  });
});
