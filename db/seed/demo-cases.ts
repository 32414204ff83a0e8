import { and, asc, desc, eq, gte, lt } from "drizzle-orm";
import type { Db } from "../client";
import { makeReferral } from "../factories";
import { actions, attendance, caseMatchCandidates, meetingCases, meetings, safeContacts } from "../schema";
import { ensureMeetingSeries } from "../../app/models/meetings.server";
import { findMatchCandidates } from "../../app/models/cases/referrals.server";
import { londonToUtc, todayInLondon } from "../../app/lib/london-time";

type Person = { firstName: string; lastName: string; dobs?: string[]; aliases?: string[] };

// Fictitious people. Every name and date is made up for the demo.
const LISTED: { victim: Person; perpetrator: Person; agency: string; dashYes: number; children?: Person[] }[] = [
  { victim: { firstName: "Ffion", lastName: "Davies", dobs: ["1992-05-14"] }, perpetrator: { firstName: "Gethin", lastName: "Davies" }, agency: "police", dashYes: 18, children: [{ firstName: "Osian", lastName: "Davies", dobs: ["2019-02-03"] }] },
  { victim: { firstName: "Megan", lastName: "Price", dobs: ["1988-11-02"] }, perpetrator: { firstName: "Liam", lastName: "Harris" }, agency: "idva", dashYes: 15 },
  { victim: { firstName: "Sara", lastName: "Hughes", dobs: ["1995-01-21"] }, perpetrator: { firstName: "Connor", lastName: "Walsh" }, agency: "health", dashYes: 16 },
  { victim: { firstName: "Angharad", lastName: "Lewis", dobs: ["1979-07-09"] }, perpetrator: { firstName: "Rhodri", lastName: "Lewis" }, agency: "police", dashYes: 21 },
  { victim: { firstName: "Chloe", lastName: "Bennett", dobs: ["2001-03-30"] }, perpetrator: { firstName: "Jordan", lastName: "Clarke" }, agency: "housing", dashYes: 14, children: [{ firstName: "Mia", lastName: "Bennett", dobs: ["2022-08-15"] }] },
  { victim: { firstName: "Elin", lastName: "Roberts", dobs: ["1990-12-12"] }, perpetrator: { firstName: "Dylan", lastName: "Morris" }, agency: "children", dashYes: 12 },
  { victim: { firstName: "Katie", lastName: "Owen", dobs: ["1997-06-06"] }, perpetrator: { firstName: "Ryan", lastName: "Owen" }, agency: "police", dashYes: 17 },
  { victim: { firstName: "Rhian", lastName: "Jenkins", dobs: ["1983-09-25"] }, perpetrator: { firstName: "Steffan", lastName: "Rees" }, agency: "probation", dashYes: 15 },
  { victim: { firstName: "Leanne", lastName: "Phillips", dobs: ["1986-04-18"] }, perpetrator: { firstName: "Craig", lastName: "Phillips" }, agency: "idva", dashYes: 19, children: [{ firstName: "Ava", lastName: "Phillips", dobs: ["2015-10-01"] }, { firstName: "Noah", lastName: "Phillips", dobs: ["2018-12-20"] }] },
  { victim: { firstName: "Nerys", lastName: "Thomas", dobs: ["1971-02-28"] }, perpetrator: { firstName: "Emyr", lastName: "Thomas" }, agency: "adults", dashYes: 14 },
  { victim: { firstName: "Jade", lastName: "Evans", dobs: ["1999-08-08"] }, perpetrator: { firstName: "Kyle", lastName: "Matthews" }, agency: "police", dashYes: 16 },
  { victim: { firstName: "Tegan", lastName: "Williams", dobs: ["2003-05-05"] }, perpetrator: { firstName: "Brandon", lastName: "Lloyd" }, agency: "education", dashYes: 11 },
  { victim: { firstName: "Lowri", lastName: "Parry", dobs: ["1994-10-10"] }, perpetrator: { firstName: "Iwan", lastName: "Parry" }, agency: "health", dashYes: 20 },
  { victim: { firstName: "Zoe", lastName: "Martin", dobs: ["1989-01-01"] }, perpetrator: { firstName: "Dean", lastName: "Cooper" }, agency: "mentalHealth", dashYes: 15 },
];

// Earlier cases: some are the same victims as cases on the next list (repeats).
const HISTORY: { victim: Person; perpetrator: Person; agency: string; dashYes: number; monthsAgo: number }[] = [
  { victim: { firstName: "Jane", lastName: "Smith", dobs: ["1990-03-07"], aliases: ["Janey Smith"] }, perpetrator: { firstName: "Paul", lastName: "Smith" }, agency: "police", dashYes: 16, monthsAgo: 5 },
  { victim: { firstName: "Megan", lastName: "Price", dobs: ["1988-11-02"] }, perpetrator: { firstName: "Liam", lastName: "Harris" }, agency: "police", dashYes: 14, monthsAgo: 4 },
  { victim: { firstName: "Angharad", lastName: "Lewis", dobs: ["1979-07-09"] }, perpetrator: { firstName: "Rhodri", lastName: "Lewis" }, agency: "health", dashYes: 15, monthsAgo: 9 },
  { victim: { firstName: "Katie", lastName: "Owen", dobs: ["1997-06-06"] }, perpetrator: { firstName: "Ryan", lastName: "Owen" }, agency: "police", dashYes: 14, monthsAgo: 2 },
  { victim: { firstName: "Leanne", lastName: "Phillips", dobs: ["1986-04-18"] }, perpetrator: { firstName: "Craig", lastName: "Phillips" }, agency: "idva", dashYes: 17, monthsAgo: 20 },
  { victim: { firstName: "Carys", lastName: "Morgan", dobs: ["1980-12-24"] }, perpetrator: { firstName: "Huw", lastName: "Morgan" }, agency: "police", dashYes: 15, monthsAgo: 14 },
  { victim: { firstName: "Bethan", lastName: "Rowlands", dobs: ["1993-07-17"] }, perpetrator: { firstName: "Aled", lastName: "Rowlands" }, agency: "housing", dashYes: 18, monthsAgo: 7 },
];

// Submitted referrals awaiting the coordinator's decision.
const AWAITING: { victim: Person; perpetrator: Person; agency: string; dashYes: number }[] = [
  { victim: { firstName: "Bethan", lastName: "Rowlands", dobs: ["1993-07-17"] }, perpetrator: { firstName: "Aled", lastName: "Rowlands" }, agency: "womensAid", dashYes: 17 },
  { victim: { firstName: "Hannah", lastName: "Wood", dobs: ["1998-02-02"] }, perpetrator: { firstName: "Josh", lastName: "Baker" }, agency: "police", dashYes: 14 },
];

function monthsBefore(iso: string, months: number) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

function daysBefore(iso: string, days: number) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/**
 * Cases for the demo panel: a realistic next meeting (16 cases, three of them
 * repeats and two with older history), earlier discussed cases, and two
 * referrals awaiting review (one a possible repeat).
 */
export async function seedDemoCases(
  tx: Db,
  options: { area: { id: string; code: string }; agencyIds: Record<string, string>; coordinatorId: string; repUserId: string },
) {
  const today = todayInLondon();
  const base = { areaId: options.area.id, areaCode: options.area.code, userId: options.repUserId };
  const history = new Map<string, { id: string; referralDate: string | null }>();
  for (const h of HISTORY) {
    const made = await makeReferral(tx, {
      ...base,
      agencyId: options.agencyIds[h.agency],
      status: h.monthsAgo > 12 ? "closed" : "discussed",
      referralDate: monthsBefore(today, h.monthsAgo),
      victim: h.victim,
      perpetrator: h.perpetrator,
      dashYes: h.dashYes,
    });
    history.set(`${h.victim.firstName} ${h.victim.lastName}`, { id: made.case.id, referralDate: made.case.referralDate });
  }
  await ensureMeetingSeries({ areaId: options.area.id, today, tx });
  const [next] = await tx
    .select()
    .from(meetings)
    .where(and(eq(meetings.areaId, options.area.id), gte(meetings.seriesDate, today)))
    .orderBy(asc(meetings.startsAt))
    .limit(1);
  const listed = [...LISTED, { victim: { firstName: "Carys", lastName: "Morgan", dobs: ["1980-12-24"] }, perpetrator: { firstName: "Huw", lastName: "Morgan" }, agency: "police", dashYes: 13 }, { victim: { firstName: "Gwen", lastName: "Ellis", dobs: ["1976-03-03"] }, perpetrator: { firstName: "Neil", lastName: "Ellis" }, agency: "fire", dashYes: 14 }];
  for (const [i, item] of listed.entries()) {
    const earlier = history.get(`${item.victim.firstName} ${item.victim.lastName}`);
    const referralDate = daysBefore(today, 20 - i);
    // Within 12 months of the earlier referral: a repeat. Older: linked as history only.
    const repeat = Boolean(earlier?.referralDate && earlier.referralDate >= monthsBefore(referralDate, 12));
    const made = await makeReferral(tx, {
      ...base,
      agencyId: options.agencyIds[item.agency],
      status: "listed",
      referralDate,
      victim: item.victim,
      perpetrator: item.perpetrator,
      children: item.children,
      dashYes: item.dashYes,
      isRepeat: repeat,
      repeatOfCaseId: earlier?.id ?? null,
    });
    await tx.insert(meetingCases).values({ meetingId: next.id, caseId: made.case.id, position: i + 1, isRepeat: repeat, plannedMinutes: repeat ? 15 : 12 });
    // Safe-contact rules for the IDVA (Ofcom's drama range: not real numbers).
    await tx.insert(safeContacts).values({
      caseId: made.case.id,
      safeNumber: `07700 900${String(100 + i).padStart(3, "0")}`,
      safeTimes: i % 2 ? "Evenings after 7pm" : "Weekdays 9am to 11am, while the children are at school",
      noMessages: i % 2 === 0,
      mustNotKnow: i % 2 ? "Her ex-partner's family" : "Her partner and his brother",
      notes: "Ask if it is safe to talk before anything else.",
    });
  }
  await seedLastMeeting(tx, { ...options, today, base });
  for (const item of AWAITING) {
    const made = await makeReferral(tx, { ...base, agencyId: options.agencyIds[item.agency], status: "referred", referralDate: today, victim: item.victim, perpetrator: item.perpetrator, dashYes: item.dashYes });
    for (const c of await findMatchCandidates(tx, made.case, made.victim)) {
      await tx.insert(caseMatchCandidates).values({ caseId: made.case.id, candidateCaseId: c.caseId, score: c.result.score, reasons: c.result.reasons, candidateReferralDate: c.referralDate });
    }
  }
  return { nextMeetingId: next.id, listed: listed.length };
}

// Discussed at the last meeting, with an action plan in every state, so the
// tracker, the agencies' action lists and the digests have something to show.
const LAST_MEETING: { victim: Person; perpetrator: Person; agency: string; dashYes: number; actions: { agency: string; description: string; dueInDays: number; status: "open" | "in_progress" | "completed"; completedDaysAgo?: number }[] }[] = [
  {
    victim: { firstName: "Bethan", lastName: "Rowlands", dobs: ["1987-07-17"] },
    perpetrator: { firstName: "Aled", lastName: "Rowlands" },
    agency: "police",
    dashYes: 17,
    actions: [
      { agency: "police", description: "Add a warning marker to the address and brief the response teams", dueInDays: -4, status: "open" },
      { agency: "housing", description: "Fit additional locks and a letterbox guard (target hardening)", dueInDays: 5, status: "in_progress" },
      { agency: "health", description: "Flag the GP record for routine enquiry at every appointment", dueInDays: -2, status: "completed", completedDaysAgo: 3 },
    ],
  },
  {
    victim: { firstName: "Nia", lastName: "Vaughan", dobs: ["1993-02-11"] },
    perpetrator: { firstName: "Scott", lastName: "Baker" },
    agency: "idva",
    dashYes: 15,
    actions: [
      { agency: "police", description: "Check bail conditions with the officer in the case and tell the IDVA", dueInDays: -1, status: "open" },
      { agency: "children", description: "Hold a strategy discussion about the children in the household", dueInDays: 3, status: "open" },
      { agency: "idva", description: "Offer safety planning and support with a non-molestation order", dueInDays: 2, status: "in_progress" },
    ],
  },
];

async function seedLastMeeting(
  tx: Db,
  options: { area: { id: string; code: string }; agencyIds: Record<string, string>; coordinatorId: string; today: string; base: { areaId: string; areaCode: string; userId: string } },
) {
  const [last] = await tx
    .select()
    .from(meetings)
    .where(and(eq(meetings.areaId, options.area.id), lt(meetings.startsAt, londonToUtc(options.today, "00:00"))))
    .orderBy(desc(meetings.startsAt))
    .limit(1);
  if (!last) return;
  const heldAt = last.startsAt;
  await tx
    .update(meetings)
    .set({ status: "minutes_circulated", circulatedAt: heldAt, startedAt: heldAt, closedAt: new Date(heldAt.getTime() + 3 * 3_600_000), minutesCirculatedAt: new Date(heldAt.getTime() + 2 * 86_400_000) })
    .where(eq(meetings.id, last.id));
  for (const key of ["police", "health", "housing", "children", "idva"]) {
    await tx.insert(attendance).values({ meetingId: last.id, agencyId: options.agencyIds[key], status: "present", infoSent: true, confidentialityConfirmedAt: heldAt });
  }
  const heldOn = last.seriesDate;
  for (const [i, item] of LAST_MEETING.entries()) {
    const made = await makeReferral(tx, { ...options.base, agencyId: options.agencyIds[item.agency], status: "discussed", referralDate: daysBefore(heldOn, 12 - i), victim: item.victim, perpetrator: item.perpetrator, dashYes: item.dashYes });
    const [mc] = await tx
      .insert(meetingCases)
      .values({ meetingId: last.id, caseId: made.case.id, position: i + 1, outcome: "discussed", infoShared: "Agencies shared what they hold; see the research returns.", decisions: "Action plan agreed below." })
      .returning();
    for (const action of item.actions) {
      await tx.insert(actions).values({
        meetingCaseId: mc.id,
        meetingId: last.id,
        caseId: made.case.id,
        areaId: options.area.id,
        description: action.description,
        ownerAgencyId: options.agencyIds[action.agency],
        dueOn: daysBefore(options.today, -action.dueInDays),
        status: action.status,
        completedOn: action.completedDaysAgo !== undefined ? daysBefore(options.today, action.completedDaysAgo) : null,
        createdBy: options.coordinatorId,
      });
    }
  }
}
