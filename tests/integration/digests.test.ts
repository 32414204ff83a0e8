import { and, asc, count, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client";
import { getDb } from "#db/client";
import { makeAction, makeAgency, makeArea, makeReferral } from "#db/factories";
import { agencies, areas, auditEvents, digests, identityChecks, meetingCases, meetings, outbox, researchReturns, type ActionStatus, type Agency, type Meeting } from "#db/schema";
import { composeAgencyDigest, composeAreaDigests, findNextMeeting, listDigestHistory, previewAgencyDigest, queueAreaDigests } from "~/models/digests.server";
import { runMailSchedule } from "~/models/mail/scheduler.server";
import { ensureMeetingSeries } from "~/models/meetings.server";
import { runOutboxOnce } from "~/models/outbox.server";
import { sendListForVerification } from "~/models/preparation/verification.server";
import { runDigest } from "../../scripts/digest";
import { actorFor, buildWorld, type World } from "../support/world";
import { emailDay, errorCode, expectAbsent, listedReferral, type ReferralPerson } from "../support/outcomes";

// Monday. The home panel meets fortnightly on Thursdays: 19 November (held) and 3 December (next).
const TODAY = "2026-11-23";
const APP = "http://127.0.0.1:3000";

// Distinctive personal data that must never reach an email.
const VICTIM_A = { firstName: "Zephyrine", lastName: "Quibblesworth", dobs: ["1983-04-17"], address: "77 Marmalade Crescent, Tonypandy" };
const PERP_A = { firstName: "Barnaby", lastName: "Crumplehorn", dobs: ["1979-02-11"] };
const VICTIM_B = { firstName: "Ottoline", lastName: "Fairweather", dobs: ["1991-09-30"], address: "4 Pumpernickel Row, Treorchy" };
const VICTIM_C = { firstName: "Philippa", lastName: "Snodgrass", dobs: ["1987-12-05"], address: "9 Wobblegate Terrace, Porth" };
const VICTIM_D = { firstName: "Gwendolyn", lastName: "Ashcombe", dobs: ["1995-06-21"], address: "31 Thistledown Mews, Ystrad" };
const VICTIM_E = { firstName: "Henrietta", lastName: "Mossbanks", dobs: ["1979-08-08"], address: "2 Quillfeather Lane, Ferndale" };
const FORBIDDEN_TEXT = [
  ...[VICTIM_A, PERP_A, VICTIM_B, VICTIM_C, VICTIM_D, VICTIM_E].flatMap((p: { firstName: string; lastName: string; dobs: string[]; address?: string }) => [p.firstName, p.lastName, p.dobs[0], ...(p.address ? [p.address, p.address.split(",")[0]] : [])]),
  "17 April 1983",
  "17/04/1983",
  "30 September 1991",
  "30/09/1991",
];

let world: World;
let ag: Record<"police" | "health" | "idva" | "housing" | "probation" | "fire" | "oldTrust", Agency>;
let held: Meeting;
let next: Meeting;
const ref: Record<"A" | "B" | "C" | "D" | "E" | "X", string> = { A: "", B: "", C: "", D: "", E: "", X: "" };
const mc: Record<"A" | "B" | "C" | "D" | "E", string> = { A: "", B: "", C: "", D: "", E: "" };
const act: Record<string, string> = {};
let otherMeetingId = "";

const coordinator = () => actorFor(world.home, "coordinator").actor;
const meetingRow = async (id: string) => (await getDb().select().from(meetings).where(eq(meetings.id, id)))[0];
const outboxCount = async (where?: ReturnType<typeof eq>) => Number((await getDb().select({ n: count() }).from(outbox).where(where))[0].n);
const digestCount = async (areaId: string) => Number((await getDb().select({ n: count() }).from(digests).where(eq(digests.areaId, areaId)))[0].n);

async function addAction(values: { key: string; caseKey: "A" | "B"; owner: Agency; description: string; dueOn: string; status?: ActionStatus; completedOn?: string }) {
  const row = await makeAction(getDb(), { meetingCaseId: mc[values.caseKey], ownerAgencyId: values.owner.id, description: values.description, dueOn: values.dueOn, status: values.status, completedOn: values.completedOn });
  act[values.key] = row.id;
  return row;
}

const referral = (agency: Agency, victim: ReferralPerson, perpetrator?: ReferralPerson) => listedReferral(world, agency, victim, perpetrator);

/** Where each string is in the text (each must be there). */
function indexes(text: string, needles: string[]) {
  return needles.map((n) => {
    const at = text.toLowerCase().indexOf(n.toLowerCase());
    expect(at, `"${n}" in the text`).toBeGreaterThanOrEqual(0);
    return at;
  });
}

/** In the text, in any case (the plain text may show headings in capitals). */
function expectHas(text: string, needle: string) {
  expect(text.toLowerCase()).toContain(needle.toLowerCase());
}
const day = emailDay;

function expectNoPersonalData(...texts: string[]) {
  for (const text of texts) expectAbsent(text, FORBIDDEN_TEXT);
}

async function preview(agency: Agency, today = TODAY) {
  return previewAgencyDigest({ actor: coordinator(), areaId: world.home.area.id, agencyId: agency.id, today });
}

beforeAll(async () => {
  world = await buildWorld();
  const db = getDb();
  const areaId = world.home.area.id;
  await db
    .update(areas)
    .set({ firstMeetingOn: "2026-11-19", secureDomains: ["police.example", "nhs.net"] })
    .where(eq(areas.id, areaId));
  await db.update(agencies).set({ secureEmail: "checks@cardiff.wales.nhs.net" }).where(eq(agencies.id, world.home.agencies.health.id));
  await db.update(agencies).set({ secureEmail: "referrals@idva-service.org.uk" }).where(eq(agencies.id, world.home.agencies.idvaService.id));
  const [police] = await db.select().from(agencies).where(eq(agencies.id, world.home.agencies.police.id));
  const [health] = await db.select().from(agencies).where(eq(agencies.id, world.home.agencies.health.id));
  const [idva] = await db.select().from(agencies).where(eq(agencies.id, world.home.agencies.idvaService.id));
  ag = {
    police,
    health,
    idva,
    // A domain that merely ends in "nhs.net" is not on the list.
    housing: await makeAgency(db, { areaId, name: "Housing", kind: "housing", secureEmail: "housing@fakenhs.net" }),
    probation: await makeAgency(db, { areaId, name: "Probation", kind: "probation" }),
    fire: await makeAgency(db, { areaId, name: "Fire Service", kind: "fire", secureEmail: "safeguarding@fire.nhs.net" }),
    oldTrust: await makeAgency(db, { areaId, name: "Old Trust", kind: "other", secureEmail: "old@nhs.net" }),
  };
  await db.update(agencies).set({ active: false }).where(eq(agencies.id, ag.oldTrust.id));

  await ensureMeetingSeries({ areaId, today: TODAY });
  const series = await db.select().from(meetings).where(eq(meetings.areaId, areaId)).orderBy(asc(meetings.startsAt));
  expect(series.slice(0, 2).map((m) => m.seriesDate)).toEqual(["2026-11-19", "2026-12-03"]);
  [held] = await db.update(meetings).set({ status: "held" }).where(eq(meetings.id, series[0].id)).returning();
  next = series[1];

  // The held meeting discussed A (police) and B (health); the next list has C and D (police) and E (health).
  const caseA = await referral(police, VICTIM_A, PERP_A);
  const caseB = await referral(health, VICTIM_B);
  const caseC = await referral(police, VICTIM_C, { ...PERP_A, firstName: "Cuthbert" });
  const caseD = await referral(police, VICTIM_D);
  const caseE = await referral(health, VICTIM_E);
  for (const [key, c] of Object.entries({ A: caseA, B: caseB, C: caseC, D: caseD, E: caseE })) ref[key as keyof typeof ref] = c.reference!;
  for (const [i, [key, c]] of Object.entries({ A: caseA, B: caseB }).entries()) {
    const [row] = await db.insert(meetingCases).values({ meetingId: held.id, caseId: c.id, position: i + 1, outcome: "discussed" }).returning();
    mc[key as "A"] = row.id;
  }
  for (const [i, [key, c]] of Object.entries({ C: caseC, D: caseD, E: caseE }).entries()) {
    const [row] = await db.insert(meetingCases).values({ meetingId: next.id, caseId: c.id, position: i + 1 }).returning();
    mc[key as "C"] = row.id;
  }

  // Police actions, inserted out of order.
  await addAction({ key: "pOver2", caseKey: "A", owner: police, description: "Check bail conditions with the court", dueOn: "2026-11-16", status: "in_progress" });
  await addAction({ key: "pSoon", caseKey: "A", owner: police, description: "Share the custody record with housing", dueOn: "2026-11-30" });
  await addAction({ key: "pOver1", caseKey: "B", owner: police, description: "Flag the address for urgent response", dueOn: "2026-11-10" });
  await addAction({ key: "pLater", caseKey: "B", owner: police, description: "Review the harassment notice", dueOn: "2026-12-20" });
  await addAction({ key: "pDone", caseKey: "A", owner: police, description: "Visit the neighbour about the doorbell camera", dueOn: "2026-11-25", status: "completed", completedOn: "2026-11-20" });
  await addAction({ key: "pDoneOld", caseKey: "B", owner: police, description: "Serve the notice from October", dueOn: "2026-10-01", status: "completed", completedOn: "2026-10-01" });
  await addAction({ key: "pNotDone", caseKey: "B", owner: police, description: "Attempt the abandoned home visit", dueOn: "2026-11-12", status: "not_completed" });
  await addAction({ key: "hOver", caseKey: "A", owner: health, description: "GP to arrange a safe appointment", dueOn: "2026-11-12" });
  await addAction({ key: "iOver", caseKey: "A", owner: idva, description: "Call the victim about the safety plan", dueOn: "2026-11-13" });
  await addAction({ key: "hsOver", caseKey: "B", owner: ag.housing, description: "Assess the tenancy for a management transfer", dueOn: "2026-11-14" });

  // The other panel: its own police owe an overdue action on its own held meeting.
  const other = world.other;
  await db.update(areas).set({ firstMeetingOn: "2026-11-12", secureDomains: ["police.example"] }).where(eq(areas.id, other.area.id));
  await db.update(agencies).set({ secureEmail: "health@other-health.example" }).where(eq(agencies.id, other.agencies.health.id));
  await ensureMeetingSeries({ areaId: other.area.id, today: TODAY });
  const [otherHeld] = await db.select().from(meetings).where(and(eq(meetings.areaId, other.area.id), eq(meetings.seriesDate, "2026-11-12")));
  otherMeetingId = otherHeld.id;
  await db.update(meetings).set({ status: "held" }).where(eq(meetings.id, otherHeld.id));
  const otherCase = await makeReferral(db, {
    areaId: other.area.id,
    areaCode: other.area.code,
    agencyId: other.agencies.police.id,
    userId: other.users.coordinator.id,
    status: "discussed",
    referralDate: "2026-11-02",
    victim: { firstName: "Xanthe", lastName: "Otherpanel" },
  });
  ref.X = otherCase.case.reference!;
  const [otherMc] = await db.insert(meetingCases).values({ meetingId: otherHeld.id, caseId: otherCase.case.id, position: 1, outcome: "discussed" }).returning();
  const otherAction = await makeAction(db, { meetingCaseId: otherMc.id, ownerAgencyId: other.agencies.police.id, description: "Other panel secret action", dueOn: "2026-11-15" });
  act.other = otherAction.id;
});

describe("the next meeting", () => {
  it("is the first meeting of the area that is not cancelled and starts today or later", async () => {
    expect((await findNextMeeting(getDb(), world.home.area.id, TODAY))?.id).toBe(next.id);
    expect((await findNextMeeting(getDb(), world.home.area.id, "2026-11-19"))?.id).toBe(held.id);
    expect((await findNextMeeting(getDb(), world.home.area.id, "2026-12-03"))?.id).toBe(next.id);
    expect((await findNextMeeting(getDb(), world.home.area.id, "2026-12-04"))?.seriesDate).toBe("2026-12-17");
  });
});

describe("one agency's digest while the list is out for identity checks", () => {
  beforeAll(async () => {
    const { checks } = await sendListForVerification({ actor: actorFor(world.home, "coordinator"), meetingId: next.id, version: next.version });
    // Health is the only verifier: C has a victim and a perpetrator, D and E a victim each.
    expect(checks).toBe(4);
    // Health has already confirmed E's victim.
    const [eCheck] = await getDb().select().from(identityChecks).where(eq(identityChecks.meetingCaseId, mc.E));
    await getDb().update(identityChecks).set({ status: "confirmed" }).where(eq(identityChecks.id, eCheck.id));
  });

  it("gives a verifier agency its deadline and its open identity checks by case reference, and no research yet", async () => {
    const { content, text, accredited, to } = await preview(ag.health);
    expect(to).toBe("checks@cardiff.wales.nhs.net");
    expect(accredited).toBe(true);
    expect(content.meeting).toMatchObject({ id: next.id, date: "2026-12-03", status: "verification" });
    expect(content.deadlines).toEqual([
      { key: "verificationDue", date: next.verificationDue },
      { key: "actionUpdatesDue", date: "2026-12-01" },
    ]);
    expect(content.verification).toEqual([
      { reference: ref.C, people: 2 },
      { reference: ref.D, people: 1 },
    ]);
    expect(content.research).toEqual([]);
    expect(day("2026-12-03")).toMatch(/^Thursday,? 3 December 2026$/);
    expect(text).toContain(`The next meeting is on ${day("2026-12-03")}.`);
    expect(text).toContain(`Identity checks due by ${day("2026-11-25")}`);
    expectHas(text, "Identity checks to complete (2 cases)");
    expect(text).toContain(`${ref.C}: 2 people to check`);
    expect(text).toContain(`${ref.D}: 1 person to check`);
    expectAbsent(text, [`${ref.E}:`, "Research returns", "nothing outstanding"]);
  });

  it("gives an agency that does not verify no identity checks and no verification deadline", async () => {
    const { content, text } = await preview(ag.police);
    expect(content.verification).toEqual([]);
    expect(content.deadlines.map((d) => d.key)).toEqual(["actionUpdatesDue"]);
    expectAbsent(text, ["Identity checks"]);
    expect(text).toContain(`Action updates due by ${day("2026-12-01")}`);
  });
});

describe("one agency's digest once the list is circulated", () => {
  beforeAll(async () => {
    const db = getDb();
    await db.update(meetings).set({ status: "circulated" }).where(eq(meetings.id, next.id));
    next = await meetingRow(next.id);
    await db.insert(researchReturns).values([
      // Police have a draft for D; nothing for C or E.
      { meetingCaseId: mc.D, agencyId: ag.police.id, status: "draft" },
      // Health submitted C, drafted D, nothing for E.
      { meetingCaseId: mc.C, agencyId: ag.health.id, status: "submitted", submittedAt: new Date() },
      { meetingCaseId: mc.D, agencyId: ag.health.id, status: "draft" },
      // Fire have returned everything.
      { meetingCaseId: mc.C, agencyId: ag.fire.id, status: "nothing_held", submittedAt: new Date() },
      { meetingCaseId: mc.D, agencyId: ag.fire.id, status: "submitted", submittedAt: new Date() },
      { meetingCaseId: mc.E, agencyId: ag.fire.id, status: "nothing_held", submittedAt: new Date() },
    ]);
  });

  it("lists the agency's outstanding research returns by case reference, with the research deadline, and no identity checks", async () => {
    const { content, text } = await preview(ag.health);
    expect(content.verification).toEqual([]);
    expect(content.research).toEqual([
      { reference: ref.D, meetingCaseId: mc.D, started: true },
      { reference: ref.E, meetingCaseId: mc.E, started: false },
    ]);
    expect(content.deadlines.map((d) => d.key)).toEqual(["researchDue", "actionUpdatesDue"]);
    expect(text).toContain(`Research returns due by ${day("2026-12-02")}`);
    expectHas(text, "Research returns outstanding (2)");
    expect(text).toContain(`${ref.D}: draft saved, not submitted`);
    expect(text).toContain(`${ref.E}: not started`);
    expectAbsent(text, [`${ref.C}:`, "Identity checks"]);

    const police = await preview(ag.police);
    expect(police.content.research.map((r) => [r.reference, r.started])).toEqual([
      [ref.C, false],
      [ref.D, true],
      [ref.E, false],
    ]);
    const [cAt, dAt, eAt] = indexes(police.text, [`${ref.C}: not started`, `${ref.D}: draft saved`, `${ref.E}: not started`]);
    expect(cAt).toBeLessThan(dAt);
    expect(dAt).toBeLessThan(eAt);
    expect(police.html).toContain(`${APP}/areas/${world.home.area.code.toLowerCase()}/research/${mc.C}`);
  });

  it("lists actions overdue first (oldest due first), then due before the next meeting, then completed since the last digest", async () => {
    const { content, text, html } = await preview(ag.police);
    expect(content.overdue.map((a) => a.id)).toEqual([act.pOver1, act.pOver2]);
    expect(content.dueSoon.map((a) => a.id)).toEqual([act.pSoon]);
    expect(content.completed.map((a) => a.id)).toEqual([act.pDone]);
    expect(content.overdue[0]).toMatchObject({ reference: ref.B, initials: "O.F.", dueOn: "2026-11-10" });

    const at = indexes(text, [
      "Overdue actions (2)",
      `${ref.B} (O.F.) Flag the address for urgent response. Due ${day("2026-11-10")}.`,
      `${ref.A} (Z.Q.) Check bail conditions with the court. Due ${day("2026-11-16")}.`,
      "Action due before the next meeting (1)",
      `${ref.A} (Z.Q.) Share the custody record with housing. Due ${day("2026-11-30")}.`,
      "Action completed since the last update (1)",
      `${ref.A} (Z.Q.) Visit the neighbour about the doorbell camera. Completed ${day("2026-11-20")}.`,
    ]);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // Not due before the meeting, completed long ago, or closed as not completed.
    expectAbsent(text, ["Review the harassment notice", "Serve the notice from October", "Attempt the abandoned home visit"]);

    // Every open action links to its page; completed ones need no update.
    const base = `${APP}/areas/${world.home.area.code.toLowerCase()}/actions`;
    for (const id of [act.pOver1, act.pOver2, act.pSoon]) {
      expect(html).toContain(`href="${base}/${id}"`);
      expect(text).toContain(`${base}/${id}`);
    }
    expect(html).not.toContain(`${base}/${act.pDone}`);
  });

  it("counts the cases on the next list and how many the agency referred", async () => {
    const police = await preview(ag.police);
    expect([police.content.listCount, police.content.referredCount]).toEqual([3, 2]);
    expect(police.text).toContain("3 cases are on the list; your agency referred 2.");
    const health = await preview(ag.health);
    expect(health.text).toContain("3 cases are on the list; your agency referred 1.");
    const fire = await preview(ag.fire);
    expect(fire.text).toContain("3 cases are on the list; your agency referred 0.");
  });

  it("never shows another agency's actions, nor actions of another area", async () => {
    const police = await preview(ag.police);
    const others = ["GP to arrange a safe appointment", "Call the victim about the safety plan", "Assess the tenancy", "Other panel secret action", ref.X];
    expectAbsent(police.text, others);
    expectAbsent(police.html, others);
    const health = await preview(ag.health);
    expect(health.content.overdue.map((a) => a.id)).toEqual([act.hOver]);
    expect(health.text).toContain("GP to arrange a safe appointment");
    expectAbsent(health.text, ["Flag the address", "Other panel secret action"]);
    // The other panel's own police see only their own action.
    const otherArea = (await getDb().select().from(areas).where(eq(areas.id, world.other.area.id)))[0];
    const otherPolice = (await getDb().select().from(agencies).where(eq(agencies.id, world.other.agencies.police.id)))[0];
    const otherMeeting = await findNextMeeting(getDb(), otherArea.id, TODAY);
    const content = await composeAgencyDigest(getDb(), { area: otherArea, agency: otherPolice, meeting: otherMeeting, today: TODAY });
    expect(content.overdue.map((a) => a.id)).toEqual([act.other]);
    expect(content.dueSoon).toEqual([]);
    expect(content.completed).toEqual([]);
    expect(otherMeeting?.id).not.toBe(otherMeetingId);
  });

  it("composes every agency of the area together exactly as each alone, each list capped at 50 per agency with the rest counted", async () => {
    const rollback = new Error("rollback");
    await expect(
      getDb().transaction(async (t) => {
        const tx = t as unknown as Db;
        // Housing gets 55 more overdue actions than it had; the others keep theirs.
        for (let i = 0; i < 55; i++) await makeAction(tx, { meetingCaseId: mc.A, ownerAgencyId: ag.housing.id, description: `Bulk overdue ${i}`, dueOn: `2026-10-${String(1 + (i % 28)).padStart(2, "0")}` });
        const area = (await tx.select().from(areas).where(eq(areas.id, world.home.area.id)))[0];
        const list = await tx.select().from(agencies).where(and(eq(agencies.areaId, area.id), eq(agencies.active, true))).orderBy(asc(agencies.name));
        const together = await composeAreaDigests(tx, { area, agencies: list, meeting: next, today: TODAY });
        expect([...together.keys()].sort()).toEqual(list.map((a) => a.id).sort());
        for (const agency of list) expect(together.get(agency.id)).toEqual(await composeAgencyDigest(tx, { area, agency, meeting: next, today: TODAY }));

        const housing = together.get(ag.housing.id)!;
        expect(housing.overdue).toHaveLength(50);
        expect(housing.overdue.length + housing.more.overdue).toBeGreaterThanOrEqual(55);
        expect(housing.overdue.map((a) => a.dueOn)).toEqual([...housing.overdue.map((a) => a.dueOn)].sort());
        // The cap is per agency: the police still get all of theirs, with nothing left over.
        expect(together.get(ag.police.id)!.overdue.map((a) => a.id)).toEqual([act.pOver1, act.pOver2]);
        expect(together.get(ag.police.id)!.more.overdue).toBe(0);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
  });

  it("leaves empty sections out and tells an agency with nothing outstanding so", async () => {
    const fire = await preview(ag.fire);
    expect(fire.content).toMatchObject({ verification: [], research: [], overdue: [], dueSoon: [], completed: [] });
    expect(fire.text).toContain("Your agency has nothing outstanding");
    expectHas(fire.text, "Your deadlines");
    expectAbsent(fire.text, ["Overdue action (", "Overdue actions (", "due before the next meeting (", "completed since the last update (", "Research returns outstanding", "Identity checks to complete", "/actions/"]);
    const police = await preview(ag.police);
    expectAbsent(police.text, ["nothing outstanding", "Identity checks to complete"]);
  });
});

describe("the secure-domain rule", () => {
  it("sends the full digest to an address on the area's secure domains, including a subdomain", async () => {
    const police = await preview(ag.police);
    expect(police.accredited).toBe(true);
    expect(police.text).toContain(ref.A);
    const health = await preview(ag.health);
    expect(health.accredited).toBe(true);
    expect(health.text).toContain(ref.A);
    expect(health.text).toContain("(Z.Q.)");
  });

  it("sends any other domain only a sign-in notice: no case reference, no initials, no action text", async () => {
    for (const agency of [ag.idva, ag.housing]) {
      const notice = await preview(agency);
      expect(notice.accredited).toBe(false);
      // The content is still composed (the coordinator's preview), but not sent.
      expect(notice.content.overdue.length).toBe(1);
      expect(notice.text).toContain("There is new information for");
      expect(notice.text).toContain("not on the panel's list of secure email domains");
      expect(notice.text).toContain(`${APP}/areas/${world.home.area.code.toLowerCase()}/actions`);
      const leaks = [...Object.values(ref), "Z.Q.", "O.F.", "Call the victim about the safety plan", "Assess the tenancy", "Overdue", "Research returns", "people to check", "cases are on the list"];
      expectAbsent(notice.text, leaks);
      expectAbsent(notice.html, leaks);
    }
  });

  it("keeps names, initials and references out of every subject, and personal data out of every email", async () => {
    for (const agency of [ag.police, ag.health, ag.idva, ag.housing, ag.fire]) {
      const { subject, text, html } = await preview(agency);
      expect(subject).toBe("Panel: your update before the meeting on 3 December 2026");
      expectAbsent(subject, [...Object.values(ref), "Z.Q.", "O.F.", "(", VICTIM_A.firstName, VICTIM_A.lastName, VICTIM_B.lastName]);
      expectNoPersonalData(text, html);
    }
  });
});

describe("queueing the area's digests", () => {
  const previews = new Map<string, { text: string; html: string; subject: string }>();

  it("writes nothing when the transaction that queues them is rolled back", async () => {
    const before = await outboxCount();
    await expect(
      getDb().transaction(async (tx) => {
        const result = await queueAreaDigests({ actor: coordinator(), areaId: world.home.area.id, today: TODAY, tx: tx as unknown as Db });
        expect(result.queued).toHaveLength(5);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await outboxCount()).toBe(before);
    expect(await digestCount(world.home.area.id)).toBe(0);
    expect(await getDb().select().from(auditEvents).where(eq(auditEvents.action, "digest.queued"))).toEqual([]);
  });

  it("previews exactly what would be queued, audits the preview and writes nothing to the outbox", async () => {
    const before = await outboxCount();
    for (const agency of [ag.police, ag.health, ag.idva, ag.housing, ag.fire]) {
      const p = await preview(agency);
      expect(p.period).toBe(next.digestOn);
      expect(p.alreadySent).toBe(false);
      previews.set(agency.id, { text: p.text, html: p.html, subject: p.subject });
    }
    expect(await outboxCount()).toBe(before);
    const audits = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "digest.previewed"), eq(auditEvents.entityId, ag.fire.id)));
    expect(audits.length).toBeGreaterThanOrEqual(1);
    expect(audits.at(-1)).toMatchObject({ userId: world.home.users.coordinator.id, areaId: world.home.area.id, entity: "agencies", detail: { period: next.digestOn } });
  });

  it("answers NOT_FOUND for another area's agency or an id that is not a uuid", async () => {
    expect(await errorCode(previewAgencyDigest({ actor: coordinator(), areaId: world.home.area.id, agencyId: world.other.agencies.police.id, today: TODAY }))).toBe("NOT_FOUND");
    expect(await errorCode(previewAgencyDigest({ actor: coordinator(), areaId: world.home.area.id, agencyId: "not-a-uuid", today: TODAY }))).toBe("NOT_FOUND");
    expect(await errorCode(queueAreaDigests({ actor: coordinator(), areaId: world.home.area.id, agencyIds: [world.other.agencies.police.id], today: TODAY }))).toBe("NOT_FOUND");
    expect(await errorCode(queueAreaDigests({ actor: coordinator(), areaId: world.home.area.id, agencyIds: ["1"], today: TODAY }))).toBe("NOT_FOUND");
  });

  it("queues one email, one digest row and one audit row per agency with a secure address, and reports those without", async () => {
    const before = await outboxCount();
    const result = await queueAreaDigests({ actor: coordinator(), areaId: world.home.area.id, today: TODAY });
    expect(result.period).toBe(next.digestOn);
    expect(result.queued.map((q) => [q.agency, q.to, q.accredited])).toEqual([
      ["Fire Service", "safeguarding@fire.nhs.net", true],
      ["Health Board", "checks@cardiff.wales.nhs.net", true],
      ["Housing", "housing@fakenhs.net", false],
      ["IDVA Service", "referrals@idva-service.org.uk", false],
      ["Police", "marac@police.example", true],
    ]);
    expect(result.noAddress).toEqual([{ agencyId: ag.probation.id, agency: "Probation" }]);
    expect(result.alreadySent).toEqual([]);
    expect(await outboxCount()).toBe(before + 5);

    const rows = await getDb().select().from(outbox).where(inArray(outbox.id, result.queued.map((q) => q.outboxId)));
    const digestRows = await getDb().select().from(digests).where(eq(digests.areaId, world.home.area.id));
    expect(digestRows).toHaveLength(5);
    const audits = await getDb().select().from(auditEvents).where(and(eq(auditEvents.action, "digest.queued"), eq(auditEvents.areaId, world.home.area.id)));
    expect(audits).toHaveLength(5);
    for (const q of result.queued) {
      const row = rows.find((r) => r.id === q.outboxId)!;
      expect(row).toMatchObject({ kind: "digest", to: q.to, accredited: q.accredited, status: "queued", areaId: world.home.area.id, idempotencyKey: `digest:${world.home.area.code}:${q.agencyId}:${next.digestOn}` });
      // The preview said exactly this.
      expect(row.text).toBe(previews.get(q.agencyId)!.text);
      expect(row.html).toBe(previews.get(q.agencyId)!.html);
      expect(row.subject).toBe(previews.get(q.agencyId)!.subject);
      expectNoPersonalData(row.text, row.html, row.subject);
      const digest = digestRows.find((d) => d.agencyId === q.agencyId)!;
      expect(digest).toMatchObject({ outboxId: row.id, period: next.digestOn, meetingId: next.id, sentBy: world.home.users.coordinator.id });
      expect(audits.find((a) => a.entityId === digest.id)).toMatchObject({ userId: world.home.users.coordinator.id, detail: { outboxId: row.id, agencyId: q.agencyId, period: next.digestOn } });
    }
    const police = digestRows.find((d) => d.agencyId === ag.police.id)!;
    expect([police.overdueCount, police.dueCount]).toEqual([2, 1]);
    expect(rows.find((r) => r.to === "referrals@idva-service.org.uk")!.text).not.toContain(ref.A);
    expect((await preview(ag.police)).alreadySent).toBe(true);
  });

  it("queues nothing more when run again for the same period", async () => {
    const before = await outboxCount();
    const again = await queueAreaDigests({ actor: coordinator(), areaId: world.home.area.id, today: "2026-11-25" });
    expect(again.period).toBe(next.digestOn);
    expect(again.queued).toEqual([]);
    expect(again.alreadySent.map((a) => a.agency)).toEqual(["Fire Service", "Health Board", "Housing", "IDVA Service", "Police"]);
    expect(again.noAddress.map((a) => a.agency)).toEqual(["Probation"]);
    expect(await outboxCount()).toBe(before);
    expect(await digestCount(world.home.area.id)).toBe(5);
  });

  it("shows the history with agency, address and status, queued and then sent", async () => {
    const queued = await listDigestHistory({ actor: coordinator(), areaId: world.home.area.id });
    expect(queued.map((h) => [h.agency, h.to, h.status, h.period])).toEqual(
      expect.arrayContaining([
        ["Police", "marac@police.example", "queued", next.digestOn],
        ["Housing", "housing@fakenhs.net", "queued", next.digestOn],
      ]),
    );
    expect(queued).toHaveLength(5);
    expect(queued.every((h) => h.byScheduler === false)).toBe(true);
    const run = await runOutboxOnce({ workerId: "digests-test" });
    expect(run.failed).toBe(0);
    const sent = await listDigestHistory({ actor: coordinator(), areaId: world.home.area.id });
    expect(sent.map((h) => h.status)).toEqual(Array(5).fill("sent"));
    expect(sent.every((h) => h.sentAt instanceof Date)).toBe(true);
    expect(await listDigestHistory({ actor: coordinator(), areaId: world.other.area.id })).toEqual([]);
  });

  it("queues again for the next period, listing only actions completed since the last digest", async () => {
    // The last digest went out on 21 November; one more action was completed on 22 November.
    await getDb().update(digests).set({ createdAt: new Date("2026-11-21T12:00:00Z") }).where(eq(digests.areaId, world.home.area.id));
    await addAction({ key: "pDone2", caseKey: "B", owner: ag.police, description: "Install the alarm at the address", dueOn: "2026-11-26", status: "completed", completedOn: "2026-11-22" });
    const today = "2026-12-04";
    const p = await preview(ag.police, today);
    expect(p.content.since).toBe("2026-11-21");
    expect(p.content.completed.map((a) => a.id)).toEqual([act.pDone2]);
    expectAbsent(p.text, ["doorbell camera"]);
    expect(p.subject).toBe("Panel: your update before the meeting on 17 December 2026");

    const result = await queueAreaDigests({ actor: coordinator(), areaId: world.home.area.id, today });
    const following = await findNextMeeting(getDb(), world.home.area.id, today);
    expect(following?.seriesDate).toBe("2026-12-17");
    expect(result.period).toBe(following!.digestOn);
    expect(result.period).not.toBe(next.digestOn);
    expect(result.queued).toHaveLength(5);
    expect(await digestCount(world.home.area.id)).toBe(10);
    const [row] = await getDb().select().from(outbox).where(eq(outbox.id, result.queued.find((q) => q.agencyId === ag.police.id)!.outboxId));
    expect(row.text).toBe(p.text);
  });
});

describe("npm run digest", () => {
  function capture() {
    const lines: string[] = [];
    const errors: string[] = [];
    return { out: { log: (l: string) => lines.push(l), error: (l: string) => errors.push(l) }, lines, errors };
  }

  it("prints each agency's recipient, whether accredited, subject and text with --dry-run, and queues nothing", async () => {
    const before = await outboxCount();
    const { out, lines, errors } = capture();
    const exit = await runDigest(["--area", world.other.area.code.toLowerCase(), "--dry-run", "--date", TODAY], { db: getDb(), out });
    expect(exit).toBe(0);
    expect(errors).toEqual([]);
    const printed = lines.join("\n");
    expect(printed).toContain("Dry run: nothing is queued or sent.");
    expect(printed).toContain("next meeting 2026-11-26");
    expect(printed).toContain("— Police → marac@police.example (accredited: full digest)");
    expect(printed).toContain("Subject: Panel: your update before the meeting on 26 November 2026");
    expect(printed).toContain(`${ref.X} (X.O.) Other panel secret action.`);
    expect(printed).toContain("— Health Board → health@other-health.example (not accredited: sign-in notice only)");
    expect(printed).toContain("There is new information for Health Board on Panel.");
    expect(printed).toContain("— IDVA Service: skipped (no secure email address)");
    expect(printed).toContain("2 emails would be queued.");
    expect(printed).not.toContain("Xanthe");
    expect(await outboxCount()).toBe(before);
    expect(await digestCount(world.other.area.id)).toBe(0);
  });

  it("queues the digests without --dry-run", async () => {
    const before = await outboxCount();
    const { out, lines } = capture();
    expect(await runDigest(["--area", world.other.area.code, "--date", TODAY], { db: getDb(), out })).toBe(0);
    const printed = lines.join("\n");
    expect(printed).toContain("2 digests queued.");
    expect(printed).toContain("queued   Police → marac@police.example");
    expect(printed).toContain("queued   Health Board → health@other-health.example (sign-in notice only)");
    expect(printed).toContain("skipped  IDVA Service: no secure email address");
    expect(await outboxCount()).toBe(before + 2);
    expect(await digestCount(world.other.area.id)).toBe(2);

    const { out: out2, lines: lines2 } = capture();
    expect(await runDigest(["--area", world.other.area.code, "--date", TODAY, "--dry-run"], { db: getDb(), out: out2 })).toBe(0);
    expect(lines2.join("\n")).toContain("— Police: skipped (already sent for this period)");
    expect(lines2.join("\n")).toContain("0 emails would be queued.");
  });

  it("queues in the database it is given, in one transaction with it", async () => {
    const db = getDb();
    const area = await makeArea(db, { name: "Script MARAC", code: `T${Date.now().toString(36).toUpperCase()}`.slice(0, 8), secureDomains: ["police.example"] });
    await makeAgency(db, { areaId: area.id, name: "Police", kind: "police", secureEmail: "marac@police.example" });
    const before = await outboxCount();
    const { out, lines } = capture();
    await expect(
      db.transaction(async (tx) => {
        expect(await runDigest(["--area", area.code, "--date", TODAY], { db: tx as unknown as Db, out })).toBe(0);
        expect(Number((await tx.select({ n: count() }).from(digests).where(eq(digests.areaId, area.id)))[0].n)).toBe(1);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(lines.join("\n")).toContain("1 digest queued.");
    expect(await outboxCount()).toBe(before);
    expect(await digestCount(area.id)).toBe(0);
  });

  it("exits 2 with the usage when --area is missing or an argument is wrong, and 1 for an unknown area", async () => {
    const missing = capture();
    expect(await runDigest(["--dry-run"], { db: getDb(), out: missing.out })).toBe(2);
    expect(missing.errors.join("\n")).toContain("Usage: npm run digest -- --area CODE");
    const unknownFlag = capture();
    expect(await runDigest(["--area", "X", "--bogus"], { db: getDb(), out: unknownFlag.out })).toBe(2);
    expect(unknownFlag.errors.join("\n")).toContain("Usage:");
    const badDate = capture();
    expect(await runDigest(["--area", world.other.area.code, "--date", "4/12/2026"], { db: getDb(), out: badDate.out })).toBe(2);
    const unknown = capture();
    const before = await outboxCount();
    expect(await runDigest(["--area", "NOPE1234", "--dry-run"], { db: getDb(), out: unknown.out })).toBe(1);
    expect(unknown.errors.join("\n")).toContain("No panel with the code NOPE1234");
    expect(await outboxCount()).toBe(before);
  });
});

describe("the mail scheduler", () => {
  it("queues an area's digests on or after the next meeting's digest date, as no user, and none before", async () => {
    const db = getDb();
    const area = await makeArea(db, { name: "Schedule MARAC", code: `S${Date.now().toString(36).toUpperCase()}`.slice(0, 8), firstMeetingOn: "2026-12-03", secureDomains: ["police.example"] });
    await makeAgency(db, { areaId: area.id, name: "Police", kind: "police", secureEmail: "marac@police.example" });
    await makeAgency(db, { areaId: area.id, name: "Health Board", kind: "health", secureEmail: "health@elsewhere.example" });
    await makeAgency(db, { areaId: area.id, name: "Housing", kind: "housing" });
    await ensureMeetingSeries({ areaId: area.id, today: TODAY });
    const nextMeeting = (await findNextMeeting(db, area.id, TODAY))!;
    expect(nextMeeting.digestOn).toBe("2026-11-24");

    const early = await runMailSchedule({ db, today: "2026-11-23" });
    expect(early.digests).toBe(0);
    expect(await digestCount(area.id)).toBe(0);

    const due = await runMailSchedule({ db, today: "2026-11-24" });
    expect(due.digests).toBe(2);
    const rows = await db.select().from(digests).where(eq(digests.areaId, area.id));
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.sentBy === null && r.period === "2026-11-24" && r.meetingId === nextMeeting.id)).toBe(true);
    const audits = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "digest.queued"), eq(auditEvents.areaId, area.id)));
    expect(audits).toHaveLength(2);
    expect(audits.every((a) => a.userId === null)).toBe(true);
    expect((await listDigestHistory({ actor: { userId: null }, areaId: area.id })).every((h) => h.byScheduler)).toBe(true);

    // Any number of runs later in the period queue nothing more.
    const later = await runMailSchedule({ db, today: "2026-11-26" });
    expect(later.digests).toBe(0);
    expect(await digestCount(area.id)).toBe(2);
  });
});
