import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { makeReferral } from "#db/factories";
import { auditEvents, caseMatchCandidates, casePeople, cases } from "#db/schema";
import { DASH_QUESTIONS } from "~/lib/dash";
import {
  decideMatch,
  decideReferral,
  getReferral,
  listMatchCandidates,
  removePerson,
  savePerson,
  startReferral,
  submitReferral,
  updateReferral,
} from "~/models/cases/referrals.server";
import { AppError } from "~/models/errors.server";
import { actorFor, buildWorld, type World } from "../support/world";

let world: World;
beforeAll(async () => {
  world = await buildWorld();
});

async function expectAppError(promise: Promise<unknown>, code: string, key?: string) {
  const error = await promise.then(
    () => null,
    (e) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(error.code).toBe(code);
  if (key) expect(error.messageKey).toBe(key);
  return error as AppError;
}

function dash(yes: number) {
  return Object.fromEntries(DASH_QUESTIONS.map((q, i) => [q.id, { answer: i < yes ? ("yes" as const) : ("no" as const) }]));
}

/** A draft filled in through the domain functions, as the referral pages do. */
async function completeDraft(victim: { firstName: string; lastName: string; aliases?: string[]; dobs?: string[] }, yes = 15) {
  const rep = actorFor(world.home, "agency_rep");
  let row = await startReferral({ actor: rep, referrer: { name: "Heledd Health", email: "h@example.org" } });
  row = await updateReferral({ actor: rep, caseId: row.id, version: row.version, section: "dash", changes: { dashAnswers: dash(yes) } });
  row = await updateReferral({ actor: rep, caseId: row.id, version: row.version, section: "consent", changes: { victimAware: true, consentGiven: true } });
  await savePerson({ actor: rep, caseId: row.id, caseVersion: row.version, role: "victim", values: victim });
  row = (await getDb().select().from(cases).where(eq(cases.id, row.id)))[0];
  await savePerson({ actor: rep, caseId: row.id, caseVersion: row.version, role: "perpetrator", values: { firstName: "Mark", lastName: "Evans" } });
  return (await getDb().select().from(cases).where(eq(cases.id, row.id)))[0];
}

describe("referral drafts", () => {
  it("keeps a draft visible only to the referring agency", async () => {
    const rep = actorFor(world.home, "agency_rep");
    const draft = await startReferral({ actor: rep, referrer: { name: "Heledd", email: "h@example.org" } });
    expect(draft.status).toBe("draft");
    expect(draft.reference).toBeNull();
    expect((await getReferral({ actor: rep, caseId: draft.id })).case.id).toBe(draft.id);
    await expectAppError(getReferral({ actor: actorFor(world.home, "coordinator"), caseId: draft.id }), "NOT_FOUND");
    await expectAppError(getReferral({ actor: actorFor(world.home, "idva"), caseId: draft.id }), "NOT_FOUND");
    await expectAppError(getReferral({ actor: actorFor(world.other, "agency_rep"), caseId: draft.id }), "NOT_FOUND");
  });

  it("audits every read of a referral", async () => {
    const rep = actorFor(world.home, "agency_rep");
    const draft = await startReferral({ actor: rep, referrer: { name: "Heledd", email: "h@example.org" } });
    await getReferral({ actor: rep, caseId: draft.id });
    const reads = await getDb().select().from(auditEvents).where(and(eq(auditEvents.action, "case.read"), eq(auditEvents.caseId, draft.id)));
    expect(reads).toHaveLength(1);
    expect(reads[0].userId).toBe(world.home.users.agency_rep.id);
  });

  it("refuses a stale save and keeps the newer value", async () => {
    const rep = actorFor(world.home, "agency_rep");
    const draft = await startReferral({ actor: rep, referrer: { name: "Heledd", email: "h@example.org" } });
    await updateReferral({ actor: rep, caseId: draft.id, version: draft.version, section: "referrer", changes: { referrerPhone: "01234 111111" } });
    await expectAppError(updateReferral({ actor: rep, caseId: draft.id, version: draft.version, section: "referrer", changes: { referrerPhone: "09999 999999" } }), "CONFLICT", "errors.stale");
    const [row] = await getDb().select().from(cases).where(eq(cases.id, draft.id));
    expect(row.referrerPhone).toBe("01234 111111");
  });

  it("scores DASH on save: 15 yes answers is high risk and meets the visible-high-risk criterion", async () => {
    const rep = actorFor(world.home, "agency_rep");
    const draft = await startReferral({ actor: rep, referrer: { name: "Heledd", email: "h@example.org" } });
    const saved = await updateReferral({ actor: rep, caseId: draft.id, version: draft.version, section: "dash", changes: { dashAnswers: dash(15) } });
    expect(saved).toMatchObject({ dashScore: 15, dashBand: "high", riskLevel: "high", criteriaVisibleHighRisk: true });
    const lower = await updateReferral({ actor: rep, caseId: draft.id, version: saved.version, section: "dash", changes: { dashAnswers: dash(11) } });
    expect(lower).toMatchObject({ dashScore: 11, dashBand: "medium", riskLevel: "medium", criteriaVisibleHighRisk: false });
    const judged = await updateReferral({
      actor: rep,
      caseId: draft.id,
      version: lower.version,
      section: "criteria",
      changes: { criteriaProfessionalJudgement: true, professionalJudgementRationale: "Recent threats to kill." },
    });
    expect(judged).toMatchObject({ dashBand: "medium", riskLevel: "high" });
  });

  it("allows one victim only and lets people be removed", async () => {
    const rep = actorFor(world.home, "agency_rep");
    let draft = await startReferral({ actor: rep, referrer: { name: "Heledd", email: "h@example.org" } });
    const victim = await savePerson({ actor: rep, caseId: draft.id, caseVersion: draft.version, role: "victim", values: { firstName: "Siân", lastName: "Jones-Evans", dobs: ["1990-03-07"] } });
    expect(victim.nameKeys.length).toBeGreaterThan(0);
    expect(victim.phoneticKeys.some((k) => k.startsWith("s:"))).toBe(true);
    draft = (await getDb().select().from(cases).where(eq(cases.id, draft.id)))[0];
    await expectAppError(savePerson({ actor: rep, caseId: draft.id, caseVersion: draft.version, role: "victim", values: { firstName: "A", lastName: "B" } }), "CONFLICT", "cases:people.errors.oneVictim");
    // The victim cannot be edited through the perpetrator form (or the other way round).
    await expectAppError(
      savePerson({ actor: rep, caseId: draft.id, caseVersion: draft.version, personId: victim.id, personVersion: victim.version, role: "perpetrator", values: { firstName: "X" } }),
      "NOT_FOUND",
    );
    await removePerson({ actor: rep, caseId: draft.id, caseVersion: draft.version, personId: victim.id });
    expect(await getDb().select().from(casePeople).where(eq(casePeople.caseId, draft.id))).toHaveLength(0);
  });
});

describe("submitting and deciding", () => {
  it("refuses an incomplete referral and says what is missing", async () => {
    const rep = actorFor(world.home, "agency_rep");
    const draft = await startReferral({ actor: rep, referrer: { name: "Heledd", email: "h@example.org" } });
    const error = await expectAppError(submitReferral({ actor: rep, caseId: draft.id, version: draft.version }), "INVALID");
    const sections = (error.options.detail!.problems as { section: string }[]).map((p) => p.section);
    expect(sections).toEqual(expect.arrayContaining(["victim", "perpetrators", "criteria", "consent"]));
    const [row] = await getDb().select().from(cases).where(eq(cases.id, draft.id));
    expect(row.status).toBe("draft");
  });

  it("gives a submitted referral its reference and shows it to the coordinator", async () => {
    const rep = actorFor(world.home, "agency_rep");
    const draft = await completeDraft({ firstName: "Olwen", lastName: "Pritchard", dobs: ["1985-11-02"] });
    const { case: submitted } = await submitReferral({ actor: rep, caseId: draft.id, version: draft.version });
    expect(submitted.status).toBe("referred");
    expect(submitted.reference).toMatch(new RegExp(`^${world.home.area.code}-\\d{4}-\\d{4}$`));
    expect((await getReferral({ actor: actorFor(world.home, "coordinator"), caseId: draft.id })).case.reference).toBe(submitted.reference);
    await expectAppError(updateReferral({ actor: rep, caseId: draft.id, version: submitted.version, section: "referrer", changes: { referrerPhone: "1" } }), "CONFLICT", "cases:referral.errors.notEditable");
  });

  it("finds an earlier case for the same victim under an alias and a differently written date of birth, and marks a repeat when confirmed", async () => {
    const coordinator = actorFor(world.home, "coordinator");
    const threeMonthsAgo = new Date(Date.now() - 90 * 86400_000).toISOString().slice(0, 10);
    const earlier = await makeReferral(getDb(), {
      areaId: world.home.area.id,
      areaCode: world.home.area.code,
      agencyId: world.home.agencies.police.id,
      userId: world.home.users.coordinator.id,
      status: "discussed",
      referralDate: threeMonthsAgo,
      victim: { firstName: "Catherine", lastName: "Smyth", dobs: ["1991-04-12"] },
    });
    // A near miss in the same area must not be offered.
    await makeReferral(getDb(), {
      areaId: world.home.area.id,
      areaCode: world.home.area.code,
      agencyId: world.home.agencies.police.id,
      userId: world.home.users.coordinator.id,
      status: "discussed",
      referralDate: threeMonthsAgo,
      victim: { firstName: "Kate", lastName: "Smithson", dobs: ["1975-01-30"] },
    });
    const draft = await completeDraft({ firstName: "Smith", lastName: "Kate", aliases: ["Cathy Smith"], dobs: ["1991-04-12"] });
    const { candidates } = await submitReferral({ actor: actorFor(world.home, "agency_rep"), caseId: draft.id, version: draft.version });
    expect(candidates).toBe(1);
    const listed = await listMatchCandidates({ actor: coordinator, caseId: draft.id });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ candidateCaseId: earlier.case.id, reference: earlier.case.reference, withinTwelveMonths: true, decision: "pending" });
    const { repeat } = await decideMatch({ actor: coordinator, caseId: draft.id, candidateId: listed[0].id, decision: "confirmed" });
    expect(repeat).toBe(true);
    const [row] = await getDb().select().from(cases).where(eq(cases.id, draft.id));
    expect(row).toMatchObject({ isRepeat: true, repeatOfCaseId: earlier.case.id });
  });

  it("links a match older than 12 months as history without making a repeat", async () => {
    const coordinator = actorFor(world.home, "coordinator");
    const older = await makeReferral(getDb(), {
      areaId: world.home.area.id,
      areaCode: world.home.area.code,
      agencyId: world.home.agencies.police.id,
      userId: world.home.users.coordinator.id,
      status: "closed",
      referralDate: new Date(Date.now() - 500 * 86400_000).toISOString().slice(0, 10),
      victim: { firstName: "Bronwen", lastName: "Morgan", dobs: ["1979-06-01"] },
    });
    const draft = await completeDraft({ firstName: "Bronwen", lastName: "Morgan", dobs: ["1979-06-01"] });
    await submitReferral({ actor: actorFor(world.home, "agency_rep"), caseId: draft.id, version: draft.version });
    const [candidate] = await listMatchCandidates({ actor: coordinator, caseId: draft.id });
    expect(candidate).toMatchObject({ candidateCaseId: older.case.id, withinTwelveMonths: false });
    expect((await decideMatch({ actor: coordinator, caseId: draft.id, candidateId: candidate.id, decision: "confirmed" })).repeat).toBe(false);
    const [row] = await getDb().select().from(cases).where(eq(cases.id, draft.id));
    expect(row).toMatchObject({ isRepeat: false, repeatOfCaseId: older.case.id });
  });

  it("does not offer matches from another panel", async () => {
    await makeReferral(getDb(), {
      areaId: world.other.area.id,
      areaCode: world.other.area.code,
      agencyId: world.other.agencies.police.id,
      userId: world.other.users.coordinator.id,
      status: "discussed",
      victim: { firstName: "Eleri", lastName: "Rowlands", dobs: ["1993-02-14"] },
    });
    const draft = await completeDraft({ firstName: "Eleri", lastName: "Rowlands", dobs: ["1993-02-14"] });
    expect((await submitReferral({ actor: actorFor(world.home, "agency_rep"), caseId: draft.id, version: draft.version })).candidates).toBe(0);
    expect(await getDb().select().from(caseMatchCandidates).where(eq(caseMatchCandidates.caseId, draft.id))).toHaveLength(0);
  });

  it("lets only the coordinator decide, needs a reason to return, and reopens a returned referral to its agency", async () => {
    const rep = actorFor(world.home, "agency_rep");
    const draft = await completeDraft({ firstName: "Nia", lastName: "Roberts", dobs: ["1999-09-09"] });
    const { case: submitted } = await submitReferral({ actor: rep, caseId: draft.id, version: draft.version });
    await expectAppError(decideReferral({ actor: actorFor(world.home, "chair"), caseId: submitted.id, version: submitted.version, decision: "accept" }), "FORBIDDEN");
    await expectAppError(decideReferral({ actor: actorFor(world.other, "coordinator"), caseId: submitted.id, version: submitted.version, decision: "accept" }), "NOT_FOUND");
    await expectAppError(decideReferral({ actor: actorFor(world.home, "coordinator"), caseId: submitted.id, version: submitted.version, decision: "return", reason: "  " }), "INVALID");
    const returned = await decideReferral({ actor: actorFor(world.home, "coordinator"), caseId: submitted.id, version: submitted.version, decision: "return", reason: "Please add the children's details." });
    expect(returned).toMatchObject({ status: "returned", returnedReason: "Please add the children's details." });
    const edited = await updateReferral({ actor: rep, caseId: submitted.id, version: returned.version, section: "referrer", changes: { referrerPhone: "01234 222222" } });
    const again = await submitReferral({ actor: rep, caseId: submitted.id, version: edited.version });
    expect(again.case.reference).toBe(submitted.reference);
    expect(again.case.status).toBe("referred");
  });
});
