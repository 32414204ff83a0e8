import { DASH_QUESTIONS, scoreDash } from "../../app/lib/dash";
import { DEFAULT_TIMETABLE, generateMeetingSeries, meetingTimetable, timetableColumns } from "../../app/lib/timetable";
import { GENESIS_HASH, hashAuditRow, type HashedFields } from "../../app/models/audit.server";
import { matchingKeys } from "../../app/models/cases/keys";
import { formatCaseReference } from "../../app/models/cases/references.server";
import type {
  actions,
  agencies,
  areas,
  attendance,
  auditChainHeads,
  auditEvents,
  AgencyKind,
  casePeople,
  cases,
  caseSequences,
  DashAnswers,
  identityChecks,
  meetingCases,
  meetings,
  memberships,
  researchReturns,
  safeContacts,
  users,
  victimContacts,
  victimViews,
} from "../schema";
import { Rng } from "./prng";
import * as V from "./vocabulary";

/** Areas in the country at scale 1 (DESIGN.md section 8). */
export const AREAS_AT_SCALE_1 = 290;

export interface BenchPlan {
  /** 1 = every MARAC in the country. */
  scale: number;
  /** Fixed by default so two runs build the same panels. */
  seed: number;
  /** The day the data is built around ("YYYY-MM-DD"): meetings before it are held, the next one is being prepared. */
  today: string;
  /** Years of fortnightly meetings before today. */
  years: number;
  /** One password hash shared by every user (argon2 is computed once). */
  passwordHash: string;
}

export function areaCount(scale: number) {
  return Math.max(1, Math.round(AREAS_AT_SCALE_1 * scale));
}

/** Rows of one area, per table, in an order that satisfies the foreign keys. */
export interface AreaRows {
  areas: (typeof areas.$inferInsert)[];
  agencies: (typeof agencies.$inferInsert)[];
  users: (typeof users.$inferInsert)[];
  memberships: (typeof memberships.$inferInsert)[];
  meetings: (typeof meetings.$inferInsert)[];
  cases: (typeof cases.$inferInsert)[];
  casePeople: (typeof casePeople.$inferInsert)[];
  safeContacts: (typeof safeContacts.$inferInsert)[];
  meetingCases: (typeof meetingCases.$inferInsert)[];
  identityChecks: (typeof identityChecks.$inferInsert)[];
  researchReturns: (typeof researchReturns.$inferInsert)[];
  victimContacts: (typeof victimContacts.$inferInsert)[];
  victimViews: (typeof victimViews.$inferInsert)[];
  attendance: (typeof attendance.$inferInsert)[];
  actions: (typeof actions.$inferInsert)[];
  auditEvents: (typeof auditEvents.$inferInsert)[];
  auditChainHeads: (typeof auditChainHeads.$inferInsert)[];
  caseSequences: (typeof caseSequences.$inferInsert)[];
}

export const TABLE_ORDER: (keyof AreaRows)[] = [
  "areas",
  "agencies",
  "users",
  "memberships",
  "meetings",
  "cases",
  "casePeople",
  "safeContacts",
  "meetingCases",
  "identityChecks",
  "researchReturns",
  "victimContacts",
  "victimViews",
  "attendance",
  "actions",
  "auditEvents",
  "auditChainHeads",
  "caseSequences",
];

const AGENCY_TEMPLATE: { key: string; name: string; kind: AgencyKind; verifier?: boolean; weight: number }[] = [
  { key: "police", name: "Police", kind: "police", weight: 30 },
  { key: "health", name: "University Health Board", kind: "health", verifier: true, weight: 12 },
  { key: "housing", name: "Council Housing", kind: "housing", verifier: true, weight: 8 },
  { key: "homes", name: "Housing Association", kind: "housing", weight: 4 },
  { key: "children", name: "Children's Services", kind: "childrens_services", weight: 12 },
  { key: "adults", name: "Adult Services", kind: "adult_services", weight: 3 },
  { key: "probation", name: "Probation Service", kind: "probation", weight: 8 },
  { key: "idva", name: "IDVA Service", kind: "idva_service", weight: 14 },
  { key: "education", name: "Education Safeguarding", kind: "education", weight: 4 },
  { key: "mental", name: "Community Mental Health Team", kind: "mental_health", weight: 3 },
  { key: "substance", name: "Substance Misuse Service", kind: "substance_misuse", weight: 3 },
  { key: "fire", name: "Fire and Rescue Service", kind: "fire", weight: 2 },
  { key: "womensaid", name: "Women's Aid", kind: "specialist_da", weight: 4 },
  { key: "ambulance", name: "Ambulance Service", kind: "other", weight: 1 },
  { key: "victimsupport", name: "Victim Support", kind: "other", weight: 2 },
];
const AGENCY_WEIGHTS = Object.fromEntries(AGENCY_TEMPLATE.map((a) => [a.key, a.weight])) as Record<string, number>;
const REFERRER_WEIGHTS: Record<string, number> = { police: 60, idva: 12, health: 8, children: 7, housing: 4, probation: 3, womensaid: 3, mental: 1, education: 1, adults: 1 };

const NATIONS = { england: 80, wales: 8, scotland: 10, northern_ireland: 2 } as const;
/** The meeting that gets 40 cases, for the agenda and minutes PDF benchmark: area 0's last held meeting. */
export const BIG_MEETING_CASES = 40;

const DAY = 86_400_000;

function addDays(iso: string, n: number) {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

function daysBetween(a: string, b: string) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);
}

/** The last Sunday of a month (UTC calendar), as a day of the month. */
function lastSunday(year: number, month: number) {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return last.getUTCDate() - last.getUTCDay();
}

/**
 * A London wall-clock moment on a date, plus minutes. British Summer Time runs from
 * the last Sunday of March to the last Sunday of October (changing at 01:00 UTC, before
 * any time used here), computed directly: the Intl time-zone lookup is too slow for
 * millions of rows.
 */
function at(date: string, time: string, plusMinutes = 0) {
  const year = Number(date.slice(0, 4));
  const day = Date.parse(`${date}T00:00:00Z`);
  const bst = day >= Date.UTC(year, 2, lastSunday(year, 2)) && day < Date.UTC(year, 9, lastSunday(year, 9));
  return new Date(Date.parse(`${date}T${time}:00Z`) - (bst ? 3_600_000 : 0) + plusMinutes * 60_000);
}

export function areaCode(index: number) {
  const letters = "ABCDEFGHJKLMNPQRSTUVWXYZ";
  const n = letters.length;
  return `${letters[Math.floor(index / (n * n)) % n]}${letters[Math.floor(index / n) % n]}${letters[index % n]}`;
}

interface Person {
  firstName: string;
  lastName: string;
  dob: string;
  address: string;
}

interface EarlierCase {
  id: string;
  referralDate: string;
  victim: Person;
  perpetrator: Person;
}

/**
 * Everything for one area, deterministic from (seed, area index, today). Each area
 * has its own random stream, so areas can be built in any order or in parallel.
 */
export function generateArea(plan: BenchPlan, index: number): AreaRows {
  const rng = new Rng(plan.seed, index);
  const out: AreaRows = Object.fromEntries(TABLE_ORDER.map((t) => [t, []])) as unknown as AreaRows;
  const code = areaCode(index);
  const host = `${code.toLowerCase()}.bench.example`;
  const place = V.PLACES[index % V.PLACES.length];
  const name = `${place}${index >= V.PLACES.length ? ` ${Math.floor(index / V.PLACES.length) + 1}` : ""} MARAC`;
  const nation = rng.weighted(NATIONS);
  const today = plan.today;
  // Meetings on a Tuesday, Wednesday or Thursday, fortnightly, starting `years` ago.
  const start = addDays(today, -Math.round(plan.years * 365.25));
  const weekday = 2 + (index % 3);
  const firstMeetingOn = addDays(start, (weekday - new Date(`${start}T00:00:00Z`).getUTCDay() + 7) % 7);
  const areaId = rng.uuid();
  const settings = { ...DEFAULT_TIMETABLE, nation };
  const created = at(firstMeetingOn, "09:00", -60 * 24 * 30);
  out.areas.push({
    id: areaId,
    name,
    code,
    ...settings,
    firstMeetingOn,
    meetingTime: "10:00",
    defaultVenue: `${place} Police Station, Conference Room 1 (or the secure video link)`,
    confidentialityStatement:
      "Information shared at this meeting is confidential. It is shared only for the purpose of reducing risk to the people discussed, and must not be shared further without the agreement of the agency that provided it.",
    secureDomains: [`police.${host}`, `nhs.${host}`, `gov.${host}`, `cjsm.${host}`],
    createdAt: created,
  });

  const agencyIds: Record<string, string> = {};
  for (const a of AGENCY_TEMPLATE) {
    const id = rng.uuid();
    agencyIds[a.key] = id;
    const domain = a.kind === "police" ? `police.${host}` : a.kind === "health" || a.kind === "mental_health" ? `nhs.${host}` : a.kind === "idva_service" ? `cjsm.${host}` : `gov.${host}`;
    out.agencies.push({ id, areaId, name: `${place} ${a.name}`, kind: a.kind, secureEmail: `marac.${a.key}@${domain}`, isVerifier: a.verifier ?? false, createdAt: created });
  }

  const user = (email: string, personName: string, role: (typeof memberships.$inferInsert)["role"], agencyId: string | null) => {
    const id = rng.uuid();
    out.users.push({ id, email, name: personName, passwordHash: plan.passwordHash, createdAt: created });
    out.memberships.push({ id: rng.uuid(), userId: id, areaId, agencyId, role, createdAt: created });
    return id;
  };
  const fullName = () => `${rng.pick([...V.FEMALE_NAMES, ...V.MALE_NAMES])} ${rng.pick(V.SURNAMES)}`;
  user(`admin@${host}`, fullName(), "admin", null);
  const coordinatorId = user(`coordinator@${host}`, fullName(), "coordinator", agencyIds.police);
  const chairId = user(`chair@${host}`, `DI ${fullName()}`, "chair", agencyIds.police);
  const repIds: Record<string, string> = {};
  const repNames: Record<string, string> = {};
  for (const a of AGENCY_TEMPLATE) {
    const personName = fullName();
    repNames[a.key] = personName;
    repIds[a.key] = user(`${a.key}@${host}`, personName, a.key === "idva" ? "idva" : "agency_rep", agencyIds[a.key]);
  }
  const ip = () => `192.0.2.${rng.int(1, 254)}`;

  // Audit events are collected, then put in time order and chained at the end.
  type Event = Omit<HashedFields, "chain" | "seq" | "prevHash" | "areaId">;
  const events: Event[] = [];
  const audit = (e: Omit<Event, "ip" | "entityId" | "caseId" | "detail"> & Partial<Pick<Event, "entityId" | "caseId" | "detail">>) =>
    events.push({ entityId: null, caseId: null, detail: {}, ip: e.userId ? ip() : null, ...e });

  const series = generateMeetingSeries({ firstMeetingOn, cadenceDays: 14, from: firstMeetingOn, until: addDays(today, 182), nation });
  const nextIndex = series.findIndex((m) => m.date >= today);
  const sequences = new Map<number, number>();
  const earlier: EarlierCase[] = [];

  const person = (female: boolean, bornFrom: number, bornTo: number): Person => ({
    firstName: rng.pick(female ? V.FEMALE_NAMES : V.MALE_NAMES),
    lastName: rng.pick(V.SURNAMES),
    dob: `${rng.int(bornFrom, bornTo)}-${String(rng.int(1, 12)).padStart(2, "0")}-${String(rng.int(1, 28)).padStart(2, "0")}`,
    address: `${rng.int(1, 180)} ${rng.pick(V.STREETS)}, ${rng.pick(V.PLACES)}`,
  });

  series.forEach((m, i) => {
    const isPast = i < nextIndex || nextIndex === -1;
    const isNext = i === nextIndex;
    const t = meetingTimetable(m.date, settings);
    const meetingId = rng.uuid();
    const startsAt = at(m.date, "10:00");
    const circulated = isNext && today > t.circulation;
    const status = isPast ? "minutes_circulated" : isNext ? (circulated ? "circulated" : "verification") : "planned";
    out.meetings.push({
      id: meetingId,
      areaId,
      startsAt,
      seriesDate: m.date,
      venue: out.areas[0].defaultVenue!,
      chairUserId: chairId,
      status,
      ...timetableColumns(t),
      onHoliday: m.onHoliday,
      verificationSentAt: isPast || isNext ? at(t.verificationSent, "09:30") : null,
      circulatedAt: isPast || circulated ? at(t.circulation, "09:30") : null,
      startedAt: isPast ? startsAt : null,
      closedAt: isPast ? at(m.date, "14:30") : null,
      minutesCirculatedAt: isPast ? at(t.minutesDue, "16:00") : null,
      createdAt: created,
    });
    if (!isPast && !isNext) return;
    if (isPast) {
      for (const e of ["meeting.list_circulated", "meeting.started", "meeting.closed", "meeting.minutes_circulated"] as const) {
        const when = e === "meeting.list_circulated" ? at(t.circulation, "09:30") : e === "meeting.started" ? startsAt : e === "meeting.closed" ? at(m.date, "14:30") : at(t.minutesDue, "16:00");
        audit({ at: when, userId: e === "meeting.started" || e === "meeting.closed" ? chairId : coordinatorId, action: e, entity: "meetings", entityId: meetingId });
      }
      for (const a of AGENCY_TEMPLATE) {
        const present = rng.weighted({ present: 85, apologies: 10, absent: 5 });
        out.attendance.push({
          id: rng.uuid(),
          meetingId,
          agencyId: agencyIds[a.key],
          personName: repNames[a.key],
          observerOrganisation: "",
          status: present,
          infoSent: present !== "absent",
          confidentialityConfirmedAt: present === "present" ? startsAt : null,
          createdAt: startsAt,
        });
      }
    }
    const bigMeeting = index === 0 && i === nextIndex - 1;
    const caseCount = bigMeeting ? BIG_MEETING_CASES : isNext ? 16 : rng.int(12, 20);
    const positions: number[] = [];
    for (let p = 0; p < caseCount; p++) positions.push(p + 1);
    for (let p = 0; p < caseCount; p++) {
      const referralDate = addDays(m.date, -rng.int(14, 30));
      const year = Number(referralDate.slice(0, 4));
      const n = (sequences.get(year) ?? 0) + 1;
      sequences.set(year, n);
      const caseId = rng.uuid();
      // About 30 % of cases are about a victim the panel has heard before.
      const prior = earlier.length > 20 && rng.chance(0.3) ? earlier[earlier.length - 1 - rng.int(0, Math.min(earlier.length - 1, 400))] : null;
      const victim = prior ? prior.victim : person(rng.chance(0.93), 1960, 2005);
      const perpetrator = prior ? prior.perpetrator : person(rng.chance(0.1), 1955, 2004);
      const isRepeat = Boolean(prior && prior.referralDate >= addDays(referralDate, -365));
      const answers: DashAnswers = {};
      const yes = Math.max(4, Math.min(24, Math.round(15 + (rng.next() + rng.next() + rng.next() - 1.5) * 6)));
      const order = DASH_QUESTIONS.map((q) => q.id).sort(() => rng.next() - 0.5);
      order.forEach((id, k) => (answers[id] = { answer: k < yes ? "yes" : rng.chance(0.15) ? "dont_know" : "no" }));
      const { score, band } = scoreDash(answers);
      const judgement = band !== "high";
      const referrer = rng.weighted(REFERRER_WEIGHTS);
      const submittedAt = at(referralDate, "09:00", rng.int(0, 480));
      const decidedAt = new Date(submittedAt.getTime() + rng.int(2, 72) * 3_600_000);
      const closedSince = daysBetween(m.date, today) > 365;
      const escalation = rng.chance(0.2);
      out.cases.push({
        id: caseId,
        areaId,
        reference: formatCaseReference(code, year, n),
        status: isNext ? "listed" : closedSince ? "closed" : "discussed",
        referringAgencyId: agencyIds[referrer],
        referringUserId: repIds[referrer],
        referrerName: repNames[referrer],
        referrerPhone: `029 2018 ${String(rng.int(0, 999)).padStart(4, "0")}`,
        referrerEmail: `${referrer}@${host}`,
        referralDate,
        criteriaVisibleHighRisk: band === "high",
        criteriaProfessionalJudgement: judgement,
        professionalJudgementRationale: judgement ? rng.pick(V.RATIONALES) : "",
        criteriaEscalation: escalation,
        escalationIncidentCount: escalation ? rng.int(3, 9) : null,
        criteriaRepeat: isRepeat,
        dashAnswers: answers,
        dashFears: rng.pick(V.FEARS),
        dashScore: score,
        dashBand: band,
        riskLevel: judgement ? "high" : band,
        victimAware: rng.chance(0.9),
        victimNotAwareReason: "",
        consentGiven: rng.chance(0.75),
        noConsentLawfulBasis: "",
        whoVictimFears: `${perpetrator.firstName} and his family`,
        safeToTalkTo: "Her mother",
        notSafeToTalkTo: "His sister",
        victimWants: rng.pick(V.WANTS),
        previousMaracElsewhere: rng.chance(0.05),
        previousMaracDetails: "",
        isRepeat,
        repeatOfCaseId: prior ? prior.id : null,
        restricted: false,
        returnedReason: "",
        submittedAt,
        decidedAt,
        decidedBy: coordinatorId,
        createdAt: submittedAt,
      });
      audit({ at: submittedAt, userId: repIds[referrer], action: "referral.submitted", entity: "cases", entityId: caseId, caseId });
      audit({ at: decidedAt, userId: coordinatorId, action: "meeting.case_listed", entity: "meeting_cases", entityId: meetingId, caseId, detail: { meetingDate: m.date } });
      earlier.push({ id: caseId, referralDate, victim, perpetrator });

      const peopleIds: string[] = [];
      const addPerson = (role: "victim" | "perpetrator" | "child", p: Person, position: number, extra: Partial<typeof casePeople.$inferInsert>) => {
        const id = rng.uuid();
        peopleIds.push(id);
        out.casePeople.push({
          id,
          caseId,
          areaId,
          role,
          position,
          firstName: p.firstName,
          lastName: p.lastName,
          aliases: [],
          dobs: [p.dob],
          gender: role === "victim" ? "Female" : role === "perpetrator" ? "Male" : rng.pick(["Female", "Male"]),
          address: p.address,
          confidentialAddress: role === "victim" && rng.chance(0.1),
          phone: role === "victim" ? `07700 900${String(rng.int(0, 999)).padStart(3, "0")}` : "",
          safeToCall: role === "victim" ? rng.chance(0.7) : null,
          contactNotes: "",
          language: rng.chance(0.05) ? "Polish" : "",
          interpreterNeeded: role === "victim" ? rng.chance(0.04) : null,
          pregnant: role === "victim" ? rng.chance(0.06) : null,
          nhsNumber: role === "perpetrator" ? "" : `${rng.int(400, 499)} ${rng.int(100, 999)} ${rng.int(1000, 9999)}`,
          relationshipToVictim: role === "perpetrator" ? rng.pick(V.RELATIONSHIPS) : role === "child" ? "Daughter or son" : "",
          relationshipToPerpetrator: role === "child" ? rng.pick(["Child", "Stepchild", "None"]) : "",
          school: role === "child" ? `${rng.pick(V.PLACES)} ${rng.pick(V.SCHOOLS)}` : "",
          ethnicity: role === "victim" ? rng.pick(V.ETHNICITIES) : "",
          disability: "",
          sexualOrientation: "",
          genderIdentity: "",
          age: null,
          ...matchingKeys(p),
          createdAt: submittedAt,
          ...extra,
        });
      };
      addPerson("victim", victim, 0, {});
      addPerson("perpetrator", perpetrator, 0, {});
      const children = rng.weighted({ 0: 40, 1: 30, 2: 20, 3: 10 });
      for (let c = 0; c < Number(children); c++) {
        addPerson("child", { ...person(false, Number(m.date.slice(0, 4)) - 16, Number(m.date.slice(0, 4)) - 1), firstName: rng.pick(V.CHILD_NAMES), lastName: victim.lastName }, c, {});
      }
      if (rng.chance(0.7)) {
        out.safeContacts.push({
          caseId,
          safeNumber: `07700 900${String(rng.int(0, 999)).padStart(3, "0")}`,
          safeTimes: rng.pick(["Weekdays 9am to 11am, while the children are at school", "Evenings after 7pm", "Any time on her mobile"]),
          noMessages: rng.chance(0.5),
          mustNotKnow: rng.pick(["Her partner and his brother", "Her ex-partner's family"]),
          notes: "Ask if it is safe to talk before anything else.",
        });
      }

      const mcId = rng.uuid();
      const outcome = isNext ? null : rng.weighted({ discussed: 94, deferred: 4, withdrawn: 2 });
      out.meetingCases.push({
        id: mcId,
        meetingId,
        caseId,
        position: positions[p],
        plannedMinutes: isRepeat ? 15 : 12,
        isRepeat,
        carriedFromMeetingId: null,
        outcome,
        infoShared: isPast ? rng.pick(V.MINUTES.infoShared) : "",
        risksVictim: isPast ? rng.pick(V.MINUTES.risksVictim) : "",
        risksChildren: isPast ? rng.pick(V.MINUTES.risksChildren) : "",
        risksOthers: isPast ? rng.pick(V.MINUTES.risksOthers) : "",
        risksStaff: isPast ? rng.pick(V.MINUTES.risksStaff) : "",
        safetyPlanning: isPast ? rng.pick(V.MINUTES.safetyPlanning) : "",
        crimesReported: isPast ? rng.pick(V.MINUTES.crimesReported) : "",
        decisions: isPast ? rng.pick(V.MINUTES.decisions) : "",
        createdAt: decidedAt,
      });

      // Identity checks: each verifier agency checks each person on the list.
      const responded = at(t.verificationDue, "12:00", -rng.int(0, 60 * 24));
      for (const key of ["health", "housing"]) {
        for (const personId of peopleIds) {
          const pending = isNext && status === "verification" && rng.chance(0.5);
          const checkStatus = pending ? "pending" : rng.weighted({ confirmed: 85, corrected: 8, not_known: 7 });
          const corrected = checkStatus === "corrected";
          const reviewed = corrected && (isPast || rng.chance(0.5));
          out.identityChecks.push({
            id: rng.uuid(),
            meetingCaseId: mcId,
            agencyId: agencyIds[key],
            personId,
            status: checkStatus,
            corrections: corrected ? { address: `${rng.int(1, 180)} ${rng.pick(V.STREETS)}, ${rng.pick(V.PLACES)}` } : {},
            respondedBy: pending ? null : repIds[key],
            respondedAt: pending ? null : responded,
            decisions: reviewed ? { address: rng.chance(0.8) ? "accepted" : "rejected" } : {},
            reviewedBy: reviewed ? coordinatorId : null,
            reviewedAt: reviewed ? new Date(responded.getTime() + 3_600_000) : null,
            createdAt: at(t.verificationSent, "09:30"),
          });
        }
      }

      // Research: the police, health and the IDVA always; other agencies when they hold something.
      for (const a of AGENCY_TEMPLATE) {
        if (!["police", "health", "idva"].includes(a.key) && !rng.chance(0.1)) continue;
        if (isNext && rng.chance(0.4)) continue; // not started yet
        const researchStatus = isNext ? rng.weighted({ submitted: 55, draft: 25, nothing_held: 20 }) : rng.weighted({ submitted: 70, nothing_held: 30 });
        const facts = researchStatus === "nothing_held" ? [] : Array.from({ length: rng.int(1, 3) }, () => ({ date: addDays(m.date, -rng.int(20, 700)), text: rng.pick(V.RESEARCH_FACTS) }));
        const submitted = researchStatus !== "draft";
        const late = submitted && rng.chance(0.05);
        const submittedWhen = at(late ? m.date : t.researchDue, "09:00", -rng.int(0, 60 * 24 * 3));
        out.researchReturns.push({
          id: rng.uuid(),
          meetingCaseId: mcId,
          agencyId: agencyIds[a.key],
          status: researchStatus,
          facts,
          opinion: researchStatus === "submitted" ? "Risk is escalating; the victim is isolated from her family." : "",
          actionsInPlace: researchStatus === "submitted" ? "Open to the service; key worker allocated." : "",
          suggestedActions: researchStatus === "submitted" && rng.chance(0.5) ? rng.pick(V.ACTIONS) : "",
          withheld: researchStatus === "submitted" && rng.chance(0.03) ? "Information from a live investigation." : "",
          withheldReason: "",
          submittedBy: submitted ? repIds[a.key] : null,
          submittedAt: submitted ? submittedWhen : null,
          late,
          createdAt: submittedWhen,
        });
      }

      // The IDVA's contact with the victim before (and after) the meeting.
      const contactsBefore = isNext ? rng.weighted({ 0: 40, 1: 40, 2: 20 }) : rng.weighted({ 1: 50, 2: 35, 3: 15 });
      for (let c = 0; c < Number(contactsBefore); c++) {
        const when = at(addDays(m.date, -rng.int(2, 12)), "11:00", rng.int(0, 360));
        const outcomeOfContact = rng.weighted({ spoke: 55, no_answer: 25, message_left: 10, unsafe_to_talk: 5, declined: 5 });
        out.victimContacts.push({ id: rng.uuid(), caseId, userId: repIds.idva, agencyId: agencyIds.idva, at: when, method: rng.weighted({ phone: 70, text: 10, in_person: 15, via_professional: 5 }), outcome: outcomeOfContact, phase: "before", notes: outcomeOfContact === "spoke" ? "Safety plan reviewed." : "", feedbackGiven: false, createdAt: when });
        audit({ at: when, userId: repIds.idva, action: "contact.logged", entity: "victim_contacts", caseId });
      }
      if (isPast && rng.chance(0.5)) {
        const when = at(addDays(m.date, rng.int(1, 5)), "11:00");
        out.victimContacts.push({ id: rng.uuid(), caseId, userId: repIds.idva, agencyId: agencyIds.idva, at: when, method: "phone", outcome: "spoke", phase: "after", notes: "Told her what the meeting agreed.", feedbackGiven: true, createdAt: when });
      }
      if (!isNext || rng.chance(0.5)) {
        out.victimViews.push({ caseId, views: rng.pick(V.WANTS), recordedBy: repIds.idva });
      }

      // The action plan: most old actions completed, some recent ones open (and overdue).
      if (isPast && outcome === "discussed") {
        const count = rng.weighted({ 2: 15, 3: 25, 4: 25, 5: 20, 6: 10, 7: 5 });
        for (let k = 0; k < Number(count); k++) {
          const owner = rng.weighted(AGENCY_WEIGHTS);
          const dueOn = addDays(m.date, rng.pick([7, 14, 21, 28, 42]));
          const age = daysBetween(dueOn, today);
          const actionStatus =
            age > 365
              ? rng.weighted({ completed: 93, not_completed: 6.5, open: 0.5 })
              : age > 60
                ? rng.weighted({ completed: 85, not_completed: 10, open: 3, in_progress: 2 })
                : rng.weighted({ completed: 45, in_progress: 25, open: 30 });
          const done = actionStatus === "completed" || actionStatus === "not_completed";
          const completedOn = done ? addDays(dueOn, -rng.int(-10, 10)) : null;
          const createdWhen = at(m.date, "10:00", rng.int(5, 240));
          const id = rng.uuid();
          out.actions.push({
            id,
            meetingCaseId: mcId,
            meetingId,
            caseId,
            areaId,
            description: rng.pick(V.ACTIONS),
            ownerAgencyId: agencyIds[owner],
            ownerUserId: repIds[owner],
            ownerName: repNames[owner],
            dueOn,
            priority: rng.weighted({ high: 30, medium: 55, low: 15 }),
            status: actionStatus,
            notCompletedReason: actionStatus === "not_completed" ? rng.weighted({ circumstances_changed: 70, not_undertaken: 30 }) : null,
            note: done ? "Done as agreed." : "",
            completedOn: completedOn && completedOn > today ? today : completedOn,
            carriedCount: !done && age > 0 ? rng.int(0, 3) : 0,
            createdBy: chairId,
            createdAt: createdWhen,
            // Last changed when it was closed (or created): lists of current actions depend on it.
            updatedAt: done && completedOn && completedOn <= today ? at(completedOn, "15:00") : createdWhen,
          });
          audit({ at: createdWhen, userId: chairId, action: "action.created", entity: "actions", entityId: id, caseId });
          if (done && completedOn && completedOn <= today) {
            audit({ at: at(completedOn, "15:00"), userId: repIds[owner], action: "action.status_changed", entity: "actions", entityId: id, caseId, detail: { to: actionStatus } });
          }
        }
      }
    }
  });

  // Referrals waiting for the coordinator's decision.
  for (let k = 0; k < 3; k++) {
    const referralDate = addDays(today, -k);
    const year = Number(referralDate.slice(0, 4));
    const n = (sequences.get(year) ?? 0) + 1;
    sequences.set(year, n);
    const caseId = rng.uuid();
    const victim = person(true, 1960, 2005);
    const submittedAt = at(referralDate, "09:00", rng.int(0, 300));
    out.cases.push({ id: caseId, areaId, reference: formatCaseReference(code, year, n), status: "referred", referringAgencyId: agencyIds.police, referringUserId: repIds.police, referrerName: repNames.police, referralDate, dashAnswers: {}, submittedAt, createdAt: submittedAt });
    out.casePeople.push({ id: rng.uuid(), caseId, areaId, role: "victim", position: 0, firstName: victim.firstName, lastName: victim.lastName, dobs: [victim.dob], address: victim.address, ...matchingKeys(victim), createdAt: submittedAt });
    audit({ at: submittedAt, userId: repIds.police, action: "referral.submitted", entity: "cases", entityId: caseId, caseId });
  }
  normaliseRows(out);

  for (const [year, last] of sequences) out.caseSequences.push({ areaId, year, last });
  // The area's audit chain: events in time order, each linked to the one before.
  events.sort((a, b) => a.at.getTime() - b.at.getTime());
  let prevHash = GENESIS_HASH;
  events.forEach((e, k) => {
    const fields: HashedFields = { chain: areaId, seq: k + 1, areaId, ...e, at: new Date(Math.floor(e.at.getTime())), prevHash };
    const hash = hashAuditRow(fields);
    out.auditEvents.push({ id: rng.uuid(), ...fields, hash });
    prevHash = hash;
  });
  out.auditChainHeads.push({ chain: areaId, seq: events.length, hash: prevHash });
  return out;
}


/**
 * COPY names its columns once per table, so every row of a table must carry the
 * same keys: the few short rows (referrals awaiting review) get the fuller rows'
 * keys with the column defaults filled in.
 */
function normaliseRows(out: AreaRows) {
  const defaults: Partial<Record<keyof AreaRows, Record<string, unknown>>> = {
    cases: {},
    casePeople: {},
  };
  for (const table of Object.keys(defaults) as (keyof AreaRows)[]) {
    const rows = out[table] as Record<string, unknown>[];
    const keys = new Set<string>();
    for (const r of rows) for (const k of Object.keys(r)) keys.add(k);
    const template = rows.find((r) => Object.keys(r).length === keys.size);
    if (!template) continue;
    for (const r of rows) {
      if (Object.keys(r).length === keys.size) continue;
      for (const k of keys) if (!(k in r)) r[k] = NULLABLE.has(k) ? null : defaultFor(template[k]);
    }
  }
}

/** Columns without a default: null when a short row leaves them out. */
const NULLABLE = new Set(["riskLevel", "dashBand", "dashScore", "decidedBy", "decidedAt", "repeatOfCaseId", "victimAware", "consentGiven", "previousMaracElsewhere", "escalationIncidentCount", "safeToCall", "interpreterNeeded", "pregnant", "age"]);

/** The schema default for a missing column, judged by the type of a full row's value. */
function defaultFor(sample: unknown) {
  if (typeof sample === "string") return "";
  if (typeof sample === "boolean") return false;
  if (Array.isArray(sample)) return [];
  return null;
}
