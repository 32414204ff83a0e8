import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client";
import { getDb } from "#db/client";
import { makeAction, makeAgency } from "#db/factories";
import { actions, agencies, areas, attendance, auditEvents, meetingCases, meetings, outbox, researchReturns, type ActionStatus, type Agency, type Meeting, type OutboxKind } from "#db/schema";
import { queueOverdueReminders, queueResearchDueNotices, REMINDER_INTERVAL_DAYS } from "~/models/mail/notifications.server";
import { circulateMinutes } from "~/models/meeting-room.server";
import { circulateList, ensureMeetingSeries } from "~/models/meetings.server";
import { sendListForVerification } from "~/models/preparation/verification.server";
import { actorFor, buildWorld, type World } from "../support/world";
import { emailDay, errorCode, expectAbsent, listedReferral, type ReferralPerson } from "../support/outcomes";

// Monday. The home panel meets fortnightly on Thursdays: 19 November (held) and 3 December (next).
const TODAY = "2026-11-23";
const APP = "http://127.0.0.1:3000";

const VICTIM_A = { firstName: "Zephyrine", lastName: "Quibblesworth", dobs: ["1983-04-17"], address: "77 Marmalade Crescent, Tonypandy" };
const VICTIM_B = { firstName: "Ottoline", lastName: "Fairweather", dobs: ["1991-09-30"], address: "4 Pumpernickel Row, Treorchy" };
const VICTIM_C = { firstName: "Philippa", lastName: "Snodgrass", dobs: ["1987-12-05"], address: "9 Wobblegate Terrace, Porth" };
const PERP_C = { firstName: "Barnaby", lastName: "Crumplehorn", dobs: ["1979-02-11"] };
const VICTIM_D = { firstName: "Gwendolyn", lastName: "Ashcombe", dobs: ["1995-06-21"], address: "31 Thistledown Mews, Ystrad" };
const PERSONAL = [VICTIM_A, VICTIM_B, VICTIM_C, PERP_C, VICTIM_D].flatMap((p: { firstName: string; lastName: string; dobs: string[]; address?: string }) => [p.firstName, p.lastName, p.dobs[0], ...(p.address ? [p.address.split(",")[0]] : [])]);

let world: World;
let ag: Record<"police" | "health" | "idva" | "housing" | "children" | "oldTrust", Agency>;
let held: Meeting;
let next: Meeting;
const ref: Record<"A" | "B" | "C" | "D", string> = { A: "", B: "", C: "", D: "" };
const mc: Record<"A" | "B" | "C" | "D", string> = { A: "", B: "", C: "", D: "" };
const act: Record<string, string> = {};

const coordinator = () => actorFor(world.home, "coordinator");
const meetingRow = async (id: string) => (await getDb().select().from(meetings).where(eq(meetings.id, id)))[0];
const day = emailDay;

async function mail(kind: OutboxKind, refId?: string) {
  return getDb()
    .select()
    .from(outbox)
    .where(and(eq(outbox.kind, kind), refId ? eq(outbox.refId, refId) : undefined))
    .orderBy(asc(outbox.to), asc(outbox.createdAt));
}

function expectSafe(rows: { subject: string; text: string; html: string }[]) {
  for (const row of rows) {
    expectAbsent(row.subject, [...Object.values(ref), "Z.Q.", "O.F.", "P.S.", ...PERSONAL]);
    expectAbsent(row.text, PERSONAL);
    expectAbsent(row.html, PERSONAL);
  }
}

const referral = (agency: Agency, victim: ReferralPerson, perpetrator?: ReferralPerson) => listedReferral(world, agency, victim, perpetrator);

async function addAction(key: string, values: { caseKey: "A" | "B"; owner: Agency; description: string; dueOn: string; status?: ActionStatus; completedOn?: string }) {
  const row = await makeAction(getDb(), { meetingCaseId: mc[values.caseKey], ownerAgencyId: values.owner.id, description: values.description, dueOn: values.dueOn, status: values.status, completedOn: values.completedOn });
  act[key] = row.id;
}

beforeAll(async () => {
  world = await buildWorld();
  const db = getDb();
  const areaId = world.home.area.id;
  await db.update(areas).set({ firstMeetingOn: "2026-11-19", secureDomains: ["police.example", "nhs.net"] }).where(eq(areas.id, areaId));
  await db.update(agencies).set({ secureEmail: "checks@cardiff.wales.nhs.net" }).where(eq(agencies.id, world.home.agencies.health.id));
  await db.update(agencies).set({ secureEmail: "referrals@idva-service.org.uk" }).where(eq(agencies.id, world.home.agencies.idvaService.id));
  const load = async (id: string) => (await db.select().from(agencies).where(eq(agencies.id, id)))[0];
  ag = {
    police: await load(world.home.agencies.police.id),
    health: await load(world.home.agencies.health.id),
    idva: await load(world.home.agencies.idvaService.id),
    // A verifier with no secure address, a verifier whose address is not accredited, and an inactive verifier.
    housing: await makeAgency(db, { areaId, name: "Housing", kind: "housing", isVerifier: true }),
    children: await makeAgency(db, { areaId, name: "Children's Services", kind: "childrens_services", isVerifier: true, secureEmail: "cs@council.example" }),
    oldTrust: await makeAgency(db, { areaId, name: "Old Trust", kind: "health", isVerifier: true, secureEmail: "old@nhs.net" }),
  };
  await db.update(agencies).set({ active: false }).where(eq(agencies.id, ag.oldTrust.id));

  await ensureMeetingSeries({ areaId, today: TODAY });
  const series = await db.select().from(meetings).where(eq(meetings.areaId, areaId)).orderBy(asc(meetings.startsAt));
  expect(series.slice(0, 2).map((m) => m.seriesDate)).toEqual(["2026-11-19", "2026-12-03"]);
  [held] = await db.update(meetings).set({ status: "held" }).where(eq(meetings.id, series[0].id)).returning();
  next = series[1];

  const cases = { A: await referral(ag.police, VICTIM_A), B: await referral(ag.health, VICTIM_B), C: await referral(ag.police, VICTIM_C, PERP_C), D: await referral(ag.idva, VICTIM_D) };
  for (const [key, c] of Object.entries(cases)) ref[key as "A"] = c.reference!;
  for (const [i, key] of (["A", "B"] as const).entries()) {
    mc[key] = (await db.insert(meetingCases).values({ meetingId: held.id, caseId: cases[key].id, position: i + 1, outcome: "discussed" }).returning())[0].id;
  }
  for (const [i, key] of (["C", "D"] as const).entries()) {
    mc[key] = (await db.insert(meetingCases).values({ meetingId: next.id, caseId: cases[key].id, position: i + 1 }).returning())[0].id;
  }
});

describe("the list is sent for identity checks", () => {
  it("queues nothing when the event fails: a version conflict, or a transaction rolled back afterwards", async () => {
    expect(await errorCode(sendListForVerification({ actor: coordinator(), meetingId: next.id, version: next.version + 5 }))).toBe("CONFLICT");
    await expect(
      getDb().transaction(async (tx) => {
        await sendListForVerification({ actor: coordinator(), meetingId: next.id, version: next.version, tx: tx as unknown as Db });
        expect(await (tx as unknown as Db).select().from(outbox).where(eq(outbox.kind, "verification_requested"))).toHaveLength(2);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await mail("verification_requested")).toEqual([]);
    expect((await meetingRow(next.id)).status).toBe("planned");
  });

  it("queues one email per active verifier agency with a secure address, with the number of people to check", async () => {
    const { checks } = await sendListForVerification({ actor: coordinator(), meetingId: next.id, version: next.version });
    // C has a victim and a perpetrator, D a victim: three people for each of the three active verifiers.
    expect(checks).toBe(9);
    const rows = await mail("verification_requested", next.id);
    expect(rows.map((r) => [r.to, r.accredited])).toEqual([
      ["checks@cardiff.wales.nhs.net", true],
      ["cs@council.example", false],
    ]);
    const health = rows[0];
    expect(health.subject).toBe("Panel: identity checks for the meeting on 3 December 2026");
    expect(health.idempotencyKey).toBe(`verification_requested:${next.id}:${ag.health.id}`);
    expect(health.areaId).toBe(world.home.area.id);
    expect(health.text).toContain(`The list for the meeting on ${day("2026-12-03")} is ready for identity checks.`);
    expect(health.text).toContain("Your agency has 3 people to check.");
    expect(health.text).toContain(`Checks are due by ${day(next.verificationDue)}.`);
    expect(health.html).toContain(`${APP}/areas/${world.home.area.code.toLowerCase()}/verification`);
    // Not accredited: only the sign-in notice.
    expect(rows[1].text).toContain("There is new information for Children's Services on Panel.");
    expectAbsent(rows[1].text, ["people to check", "identity checks", "3 December"]);
    expectSafe(rows);

    const [audit] = await getDb().select().from(auditEvents).where(and(eq(auditEvents.action, "mail.notice_queued"), eq(auditEvents.entityId, next.id)));
    expect(audit.userId).toBeNull();
    expect(audit.detail).toEqual({ kind: "verification_requested", agencies: [ag.children.id, ag.health.id] });
  });

  it("does not email the same agencies again when the list is sent again", async () => {
    const current = await meetingRow(next.id);
    expect(current.status).toBe("verification");
    const again = await sendListForVerification({ actor: coordinator(), meetingId: next.id, version: current.version });
    expect(again.checks).toBe(0);
    expect(await mail("verification_requested", next.id)).toHaveLength(2);
  });
});

describe("the list is circulated", () => {
  it("queues nothing on a version conflict or when the transaction is rolled back", async () => {
    const current = await meetingRow(next.id);
    expect(await errorCode(circulateList({ actor: coordinator(), meetingId: next.id, version: current.version - 1 }))).toBe("CONFLICT");
    await expect(
      getDb().transaction(async (tx) => {
        await circulateList({ actor: coordinator(), meetingId: next.id, version: current.version, tx: tx as unknown as Db });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await mail("list_circulated")).toEqual([]);
    expect((await meetingRow(next.id)).status).toBe("verification");
  });

  it("tells every active agency with a secure address, once", async () => {
    const current = await meetingRow(next.id);
    await circulateList({ actor: coordinator(), meetingId: next.id, version: current.version });
    const rows = await mail("list_circulated", next.id);
    expect(rows.map((r) => [r.to, r.accredited])).toEqual([
      ["checks@cardiff.wales.nhs.net", true],
      ["cs@council.example", false],
      ["marac@police.example", true],
      ["referrals@idva-service.org.uk", false],
    ]);
    const police = rows.find((r) => r.to === "marac@police.example")!;
    expect(police.subject).toBe("Panel: the list for the meeting on 3 December 2026 is circulated");
    expect(police.text).toContain(`The list for the meeting on ${day("2026-12-03")} has been circulated: 2 cases.`);
    expect(police.text).toContain(`Research returns are due by ${day(next.researchDue)}.`);
    expect(police.html).toContain(`${APP}/areas/${world.home.area.code.toLowerCase()}/research`);
    expectAbsent(rows.find((r) => r.to === "referrals@idva-service.org.uk")!.text, ["2 cases", "Research returns are due"]);
    expectSafe(rows);
    // A second attempt is refused and queues nothing.
    expect(await errorCode(circulateList({ actor: coordinator(), meetingId: next.id, version: (await meetingRow(next.id)).version }))).toBe("CONFLICT");
    expect(await mail("list_circulated")).toHaveLength(4);
  });
});

describe("research returns due soon", () => {
  beforeAll(async () => {
    next = await meetingRow(next.id);
    expect(next.status).toBe("circulated");
    expect(next.researchDue).toBe("2026-12-02");
    await getDb().insert(researchReturns).values([
      // Health has returned both.
      { meetingCaseId: mc.C, agencyId: ag.health.id, status: "submitted", submittedAt: new Date() },
      { meetingCaseId: mc.D, agencyId: ag.health.id, status: "nothing_held", submittedAt: new Date() },
      // Police have a draft for C and nothing for D.
      { meetingCaseId: mc.C, agencyId: ag.police.id, status: "draft" },
      // Children's Services have returned C only.
      { meetingCaseId: mc.C, agencyId: ag.children.id, status: "submitted", submittedAt: new Date() },
    ]);
  });

  it("sends nothing while the due date is more than two working days away", async () => {
    // Friday 27 November: the next two working days are 30 November and 1 December.
    expect(await queueResearchDueNotices(getDb(), { today: "2026-11-27", areaId: world.home.area.id })).toBe(0);
    expect(await mail("research_due")).toEqual([]);
  });

  it("sends one notice per agency with missing or draft returns, listing those cases, and none to an agency that returned all", async () => {
    expect(await queueResearchDueNotices(getDb(), { today: "2026-11-30", areaId: world.home.area.id })).toBe(3);
    const rows = await mail("research_due", next.id);
    expect(rows.map((r) => r.to)).toEqual(["cs@council.example", "marac@police.example", "referrals@idva-service.org.uk"]);
    const police = rows[1];
    expect(police.subject).toBe("Panel: research returns due by 2 December 2026");
    expect(police.text).toContain(`research returns for 2 cases on the list for the meeting on ${day("2026-12-03")} are due by ${day("2026-12-02")}`);
    expect(police.text).toMatch(/^cases$/im);
    expect(police.text).toContain(`• ${ref.C}`);
    expect(police.text).toContain(`• ${ref.D}`);
    // The children's services address is not accredited: no references at all.
    expectAbsent(rows[0].text, [ref.C, ref.D]);
    expect(rows[0].text).toContain("There is new information for Children's Services on Panel.");
    expectSafe(rows);
  });

  it("lists only the cases still open for an agency that returned some", async () => {
    await getDb().update(areas).set({ secureDomains: ["police.example", "nhs.net", "council.example"] }).where(eq(areas.id, world.home.area.id));
    try {
      // A fresh research notice for Children's Services, now accredited, shows only D.
      await getDb().delete(outbox).where(and(eq(outbox.kind, "research_due"), eq(outbox.to, "cs@council.example")));
      expect(await queueResearchDueNotices(getDb(), { today: "2026-12-01", areaId: world.home.area.id })).toBe(1);
      const [cs] = (await mail("research_due", next.id)).filter((r) => r.to === "cs@council.example");
      expect(cs.accredited).toBe(true);
      expect(cs.text).toContain(`research return for 1 case`);
      expect(cs.text).toContain(`• ${ref.D}`);
      expect(cs.text).not.toContain(ref.C);
    } finally {
      await getDb().update(areas).set({ secureDomains: ["police.example", "nhs.net"] }).where(eq(areas.id, world.home.area.id));
    }
  });

  it("does not send the same notice twice", async () => {
    expect(await queueResearchDueNotices(getDb(), { today: "2026-11-30", areaId: world.home.area.id })).toBe(0);
    expect(await queueResearchDueNotices(getDb(), { today: "2026-12-02", areaId: world.home.area.id })).toBe(0);
    expect(await mail("research_due")).toHaveLength(3);
  });

  it("sends nothing once the due date has passed", async () => {
    await getDb().delete(outbox).where(eq(outbox.kind, "research_due"));
    expect(await queueResearchDueNotices(getDb(), { today: "2026-12-03", areaId: world.home.area.id })).toBe(0);
    expect(await mail("research_due")).toEqual([]);
  });
});

describe("the minutes are circulated", () => {
  beforeAll(async () => {
    await getDb().insert(attendance).values([
      { meetingId: held.id, agencyId: ag.police.id, personName: "DS Jones", status: "present" },
      { meetingId: held.id, agencyId: ag.health.id, status: "apologies", infoSent: true },
      { meetingId: held.id, agencyId: ag.idva.id, status: "absent" },
      { meetingId: held.id, agencyId: null, personName: "Student social worker", observerOrganisation: "University", status: "present" },
    ]);
  });

  it("queues nothing on a version conflict", async () => {
    expect(await errorCode(circulateMinutes({ actor: coordinator(), meetingId: held.id, version: held.version + 1 }))).toBe("CONFLICT");
    expect(await mail("minutes_circulated")).toEqual([]);
  });

  it("tells the agencies that attended or sent apologies, not the absent ones", async () => {
    await circulateMinutes({ actor: coordinator(), meetingId: held.id, version: held.version });
    const rows = await mail("minutes_circulated", held.id);
    expect(rows.map((r) => r.to)).toEqual(["checks@cardiff.wales.nhs.net", "marac@police.example"]);
    expect(rows[1].subject).toBe("Panel: minutes of the meeting on 19 November 2026");
    expect(rows[1].text).toContain(`The minutes of the meeting on ${day("2026-11-19")} have been circulated.`);
    expect(rows[1].html).toContain(`${APP}/areas/${world.home.area.code.toLowerCase()}/actions`);
    expectSafe(rows);
    expect((await meetingRow(held.id)).status).toBe("minutes_circulated");
  });
});

describe("overdue action reminders", () => {
  beforeAll(async () => {
    await addAction("police", { caseKey: "A", owner: ag.police, description: "Flag the address for urgent response", dueOn: "2026-11-10" });
    await addAction("health", { caseKey: "B", owner: ag.health, description: "GP to arrange a safe appointment", dueOn: "2026-11-16", status: "in_progress" });
    await addAction("idva", { caseKey: "A", owner: ag.idva, description: "Call the victim about the safety plan", dueOn: "2026-11-18" });
    await addAction("housing", { caseKey: "B", owner: ag.housing, description: "Assess the tenancy", dueOn: "2026-11-12" });
    await addAction("completed", { caseKey: "A", owner: ag.police, description: "Serve the notice", dueOn: "2026-11-05", status: "completed", completedOn: "2026-11-06" });
    await addAction("notCompleted", { caseKey: "B", owner: ag.police, description: "Attempt the home visit", dueOn: "2026-11-06", status: "not_completed" });
    await addAction("notYet", { caseKey: "A", owner: ag.police, description: "Review the harassment notice", dueOn: "2026-12-10" });
    await addAction("dueToday", { caseKey: "B", owner: ag.police, description: "Check the bail date", dueOn: TODAY });
  });

  const reminders = () => mail("action_reminder");
  /** Pretend every reminder was queued this many days (and a minute) ago. */
  const age = (days: number, extraMinutes = 0) =>
    getDb()
      .update(outbox)
      .set({ createdAt: sql`now() - make_interval(days => ${days}, mins => ${extraMinutes})` })
      .where(eq(outbox.kind, "action_reminder"));

  it("queues one reminder per overdue open action to its owner agency", async () => {
    expect(await queueOverdueReminders(getDb(), { today: TODAY, areaId: world.home.area.id })).toBe(3);
    const rows = await reminders();
    // The action due today is not overdue yet.
    expect(rows.map((r) => r.refId)).not.toContain(act.dueToday);
    expect(rows.map((r) => [r.to, r.refId, r.accredited])).toEqual([
      ["checks@cardiff.wales.nhs.net", act.health, true],
      ["marac@police.example", act.police, true],
      ["referrals@idva-service.org.uk", act.idva, false],
    ]);
    const police = rows[1];
    expect(police.subject).toBe("Panel: an action for your agency is overdue");
    expect(police.idempotencyKey).toBe(`action_reminder:${act.police}:${TODAY}`);
    expect(police.text).toContain(`This action for your agency was due on ${day("2026-11-10")} and is not marked complete:`);
    expect(police.text).toContain(`${ref.A} (Z.Q.) Flag the address for urgent response`);
    expect(police.html).toContain(`${APP}/areas/${world.home.area.code.toLowerCase()}/actions/${act.police}`);
    expect(rows[0].text).toContain(`${ref.B} (O.F.) GP to arrange a safe appointment`);
    // Not accredited: no reference, initials or action text.
    expectAbsent(rows[2].text, [ref.A, "Z.Q.", "Call the victim"]);
    expect(rows[2].html).toContain(`${APP}/areas/${world.home.area.code.toLowerCase()}/actions/${act.idva}`);
    expectSafe(rows);
    const audits = await getDb().select().from(auditEvents).where(and(eq(auditEvents.action, "mail.reminder_queued"), inArray(auditEvents.entityId, [act.police, act.health, act.idva])));
    expect(audits).toHaveLength(3);
    expect(audits.every((a) => a.userId === null)).toBe(true);
  });

  it("queues nothing more the same day, or six days later", async () => {
    expect(await queueOverdueReminders(getDb(), { today: TODAY, areaId: world.home.area.id })).toBe(0);
    await age(REMINDER_INTERVAL_DAYS - 1);
    // Only the action that was due on 23 November, overdue since, is reminded now.
    expect(await queueOverdueReminders(getDb(), { today: "2026-11-29", areaId: world.home.area.id })).toBe(1);
    const rows = await reminders();
    expect(rows).toHaveLength(4);
    expect(rows.filter((r) => r.idempotencyKey.endsWith(":2026-11-29")).map((r) => r.refId)).toEqual([act.dueToday]);
  });

  it("reminds again after seven days, and never about completed or closed actions", async () => {
    await age(REMINDER_INTERVAL_DAYS, 1);
    expect(await queueOverdueReminders(getDb(), { today: "2026-11-30", areaId: world.home.area.id })).toBe(4);
    const rows = await reminders();
    expect(rows).toHaveLength(8);
    expect(rows.filter((r) => r.refId === act.police).map((r) => r.idempotencyKey)).toEqual([`action_reminder:${act.police}:${TODAY}`, `action_reminder:${act.police}:2026-11-30`]);
    expect(rows.filter((r) => r.refId === act.dueToday).map((r) => r.idempotencyKey)).toEqual([`action_reminder:${act.dueToday}:2026-11-29`, `action_reminder:${act.dueToday}:2026-11-30`]);
    const reminded = new Set(rows.map((r) => r.refId));
    for (const never of [act.completed, act.notCompleted, act.notYet, act.housing]) expect(reminded.has(never)).toBe(false);
  });

  it("does not remind about an action once it is completed", async () => {
    await getDb().update(actions).set({ status: "completed", completedOn: "2026-11-30" }).where(eq(actions.id, act.police));
    await age(REMINDER_INTERVAL_DAYS + 1);
    expect(await queueOverdueReminders(getDb(), { today: "2026-12-08", areaId: world.home.area.id })).toBe(3);
    const fresh = (await reminders()).filter((r) => r.idempotencyKey.endsWith(":2026-12-08"));
    expect(fresh.map((r) => r.refId).sort()).toEqual([act.health, act.idva, act.dueToday].sort());
  });
});
