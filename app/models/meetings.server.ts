import { and, asc, eq, gte, inArray, ne, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { getDb } from "#db/client";
import { agencies, casePeople, cases, meetingCases, meetings, users, type Area, type Case, type Meeting } from "#db/schema";
import { londonToUtc, todayInLondon, utcToLondon } from "~/lib/london-time";
import { generateMeetingSeries, meetingTimetable, timetableColumns } from "~/lib/timetable";
import { loadArea } from "./areas.server";
import { inTransaction, writeAudit } from "./audit.server";
import type { CaseActor } from "./cases/access.server";
import { assertVersion } from "./cases/access.server";
import { initialsOf } from "./cases/references.server";
import { AppError } from "./errors.server";
import { notifyListCirculated } from "./mail/notifications.server";

/** How far ahead the series of meetings is generated. */
export const SERIES_DAYS_AHEAD = 182;
/** Statuses in which agencies other than the coordinator see the list. */
export const CIRCULATED_STATUSES = ["circulated", "in_progress", "held", "minutes_circulated"] as const;
const OPEN_FOR_LISTING = ["planned", "verification"] as const;

function addDays(iso: string, days: number) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function meetingColumns(date: string, area: Area) {
  return timetableColumns(meetingTimetable(date, area));
}

/**
 * Create the area's meetings from its cadence up to half a year ahead (idempotent).
 * Existing meetings, including moved or cancelled ones, are left as they are.
 */
export async function ensureMeetingSeries(options: { areaId: string; today?: string; tx?: Db }) {
  return inTransaction(options.tx, async (tx) => {
    const area = await loadArea(tx, options.areaId);
    if (!area.firstMeetingOn) return 0;
    const today = options.today ?? todayInLondon();
    const from = addDays(today, -area.cadenceDays);
    const series = generateMeetingSeries({ firstMeetingOn: area.firstMeetingOn, cadenceDays: area.cadenceDays, from, until: addDays(today, SERIES_DAYS_AHEAD), nation: area.nation });
    if (series.length === 0) return 0;
    const inserted = await tx
      .insert(meetings)
      .values(
        series.map((m) => ({
          areaId: area.id,
          seriesDate: m.date,
          startsAt: londonToUtc(m.date, area.meetingTime),
          venue: area.defaultVenue,
          onHoliday: m.onHoliday,
          ...meetingColumns(m.date, area),
        })),
      )
      .onConflictDoNothing()
      .returning({ id: meetings.id });
    return inserted.length;
  });
}

/** The meeting a referral accepted today belongs on: the first still open whose cut-off has not passed. */
export async function findMeetingForReferral(tx: Db, areaId: string, onDate: string) {
  const [meeting] = await tx
    .select()
    .from(meetings)
    .where(and(eq(meetings.areaId, areaId), inArray(meetings.status, [...OPEN_FOR_LISTING]), gte(meetings.referralCutoff, onDate)))
    .orderBy(asc(meetings.startsAt))
    .limit(1);
  return meeting ?? null;
}

async function appendToMeeting(tx: Db, meeting: Meeting, row: Pick<Case, "id" | "isRepeat">, extra: { carriedFromMeetingId?: string } = {}) {
  const [{ n }] = await tx.select({ n: sql<number>`coalesce(max(${meetingCases.position}), 0)::int` }).from(meetingCases).where(eq(meetingCases.meetingId, meeting.id));
  const [placed] = await tx
    .insert(meetingCases)
    .values({ meetingId: meeting.id, caseId: row.id, position: n + 1, isRepeat: row.isRepeat, ...extra })
    .onConflictDoNothing()
    .returning();
  await tx.update(meetings).set({ version: sql`${meetings.version} + 1`, updatedAt: new Date() }).where(eq(meetings.id, meeting.id));
  return placed;
}

/** Put an accepted case on the next meeting whose referral cut-off it meets. */
export async function placeCaseOnNextMeeting(tx: Db, actor: CaseActor, row: Case, today = todayInLondon()) {
  await ensureMeetingSeries({ areaId: row.areaId, today, tx });
  const meeting = await findMeetingForReferral(tx, row.areaId, today);
  if (!meeting) throw new AppError("CONFLICT", "cases:meetings.errors.noMeeting");
  await appendToMeeting(tx, meeting, row);
  await tx.update(cases).set({ status: "listed", updatedAt: new Date() }).where(eq(cases.id, row.id));
  await writeAudit(tx, actor.actor, {
    areaId: row.areaId,
    action: "meeting.case_listed",
    entity: "meeting_cases",
    entityId: meeting.id,
    caseId: row.id,
    detail: { meetingDate: meeting.seriesDate },
  });
  return meeting;
}

function canSeeMeeting(actor: CaseActor, meeting: Meeting) {
  if (actor.permissions.has("case:read")) return true;
  return actor.permissions.has("list:read") && (CIRCULATED_STATUSES as readonly string[]).includes(meeting.status);
}

async function loadMeeting(tx: Db, actor: CaseActor, meetingId: string, options: { forUpdate?: boolean } = {}) {
  if (!/^[0-9a-f-]{36}$/i.test(meetingId)) throw new AppError("NOT_FOUND", "errors.notFound");
  const q = tx.select().from(meetings).where(and(eq(meetings.id, meetingId), eq(meetings.areaId, actor.area.id)));
  const [meeting] = options.forUpdate ? await q.for("update") : await q;
  if (!meeting || !canSeeMeeting(actor, meeting)) throw new AppError("NOT_FOUND", "errors.notFound");
  return meeting;
}

/** Upcoming and recent meetings the actor may see. */
export async function listMeetings(options: { actor: CaseActor; today?: string; tx?: Db }) {
  const db = options.tx ?? getDb();
  const today = options.today ?? todayInLondon();
  if (options.actor.permissions.has("list:compile")) await ensureMeetingSeries({ areaId: options.actor.area.id, today, tx: options.tx });
  const rows = await db
    .select({
      meeting: meetings,
      // Qualified by hand: in a single-table select drizzle writes the column unqualified, which inside
      // the subquery would mean mc.id and count nothing.
      caseCount: sql<number>`(select count(*)::int from ${meetingCases} mc where mc.meeting_id = ${meetings}."id")`,
    })
    .from(meetings)
    .where(and(eq(meetings.areaId, options.actor.area.id), gte(meetings.seriesDate, addDays(today, -90))))
    .orderBy(asc(meetings.startsAt))
    .limit(40);
  return rows.filter((r) => canSeeMeeting(options.actor, r.meeting));
}

export interface AgendaRow {
  meetingCaseId: string;
  caseId: string;
  reference: string;
  victimInitials: string;
  isRepeat: boolean;
  riskLevel: string | null;
  dashScore: number | null;
  referringAgency: string;
  position: number;
  plannedMinutes: number;
  startsAt: string;
  version: number;
  carried: boolean;
}

/** The meeting and its numbered list with planned time slots. Reading it is audited. */
export async function getAgenda(options: { actor: CaseActor; meetingId: string; tx?: Db }) {
  return inTransaction(options.tx, async (tx) => {
    const meeting = await loadMeeting(tx, options.actor, options.meetingId);
    const rows = await tx
      .select({
        mc: meetingCases,
        reference: cases.reference,
        riskLevel: cases.riskLevel,
        dashScore: cases.dashScore,
        agency: agencies.name,
        firstName: casePeople.firstName,
        lastName: casePeople.lastName,
      })
      .from(meetingCases)
      .innerJoin(cases, eq(cases.id, meetingCases.caseId))
      .innerJoin(agencies, eq(agencies.id, cases.referringAgencyId))
      .leftJoin(casePeople, and(eq(casePeople.caseId, cases.id), eq(casePeople.role, "victim")))
      .where(eq(meetingCases.meetingId, meeting.id))
      .orderBy(asc(meetingCases.position));
    let clock = meeting.startsAt.getTime();
    const agenda: AgendaRow[] = rows.map((r) => {
      const slot = utcToLondon(new Date(clock)).time;
      clock += r.mc.plannedMinutes * 60_000;
      return {
        meetingCaseId: r.mc.id,
        caseId: r.mc.caseId,
        reference: r.reference ?? "",
        victimInitials: initialsOf(r.firstName !== null ? { firstName: r.firstName, lastName: r.lastName ?? "" } : null),
        isRepeat: r.mc.isRepeat,
        riskLevel: r.riskLevel,
        dashScore: r.dashScore,
        referringAgency: r.agency,
        position: r.mc.position,
        plannedMinutes: r.mc.plannedMinutes,
        startsAt: slot,
        version: r.mc.version,
        carried: r.mc.carriedFromMeetingId !== null,
      };
    });
    const [chair] = meeting.chairUserId ? await tx.select({ name: users.name }).from(users).where(eq(users.id, meeting.chairUserId)) : [];
    const area = await loadArea(tx, meeting.areaId);
    await writeAudit(tx, options.actor.actor, {
      areaId: options.actor.area.id,
      action: "meeting.agenda_read",
      entity: "meetings",
      entityId: meeting.id,
      detail: { cases: agenda.length },
    });
    return { meeting, agenda, chairName: chair?.name ?? null, area };
  });
}

export type ReorderMode = { kind: "repeats_first" } | { kind: "risk" } | { kind: "move"; meetingCaseId: string; direction: "up" | "down" };

const RISK_ORDER: Record<string, number> = { high: 0, medium: 1, standard: 2 };

/** Reorder the list: repeats first, by risk, or one case up/down. Guarded by the meeting's version. */
export async function reorderAgenda(options: { actor: CaseActor; meetingId: string; version: number; mode: ReorderMode; tx?: Db }) {
  if (!options.actor.permissions.has("list:compile")) throw new AppError("FORBIDDEN", "errors.forbidden");
  return inTransaction(options.tx, async (tx) => {
    const meeting = await loadMeeting(tx, options.actor, options.meetingId, { forUpdate: true });
    assertVersion(meeting, options.version);
    const rows = await tx
      .select({ id: meetingCases.id, position: meetingCases.position, isRepeat: meetingCases.isRepeat, risk: cases.riskLevel, score: cases.dashScore })
      .from(meetingCases)
      .innerJoin(cases, eq(cases.id, meetingCases.caseId))
      .where(eq(meetingCases.meetingId, meeting.id))
      .orderBy(asc(meetingCases.position));
    let ordered = [...rows];
    const { mode } = options;
    if (mode.kind === "repeats_first") {
      ordered.sort((a, b) => Number(b.isRepeat) - Number(a.isRepeat) || a.position - b.position);
    } else if (mode.kind === "risk") {
      ordered.sort((a, b) => (RISK_ORDER[a.risk ?? "standard"] ?? 3) - (RISK_ORDER[b.risk ?? "standard"] ?? 3) || (b.score ?? 0) - (a.score ?? 0) || a.position - b.position);
    } else {
      const i = ordered.findIndex((r) => r.id === mode.meetingCaseId);
      if (i < 0) throw new AppError("NOT_FOUND", "errors.notFound");
      const j = mode.direction === "up" ? i - 1 : i + 1;
      if (j >= 0 && j < ordered.length) [ordered[i], ordered[j]] = [ordered[j], ordered[i]];
    }
    // Two passes keep positions unique without a deferred constraint.
    for (const [i, r] of ordered.entries()) await tx.update(meetingCases).set({ position: 10_000 + i }).where(eq(meetingCases.id, r.id));
    for (const [i, r] of ordered.entries()) await tx.update(meetingCases).set({ position: i + 1 }).where(eq(meetingCases.id, r.id));
    const [updated] = await tx.update(meetings).set({ version: meeting.version + 1, updatedAt: new Date() }).where(eq(meetings.id, meeting.id)).returning();
    await writeAudit(tx, options.actor.actor, {
      areaId: options.actor.area.id,
      action: "meeting.agenda_reordered",
      entity: "meetings",
      entityId: meeting.id,
      detail: { mode: mode.kind, ...(mode.kind === "move" ? { meetingCaseId: mode.meetingCaseId, direction: mode.direction } : {}) },
    });
    return updated;
  });
}

/** Minutes planned for one case (1–60). */
export async function setPlannedMinutes(options: { actor: CaseActor; meetingCaseId: string; version: number; minutes: number; tx?: Db }) {
  if (!options.actor.permissions.has("list:compile")) throw new AppError("FORBIDDEN", "errors.forbidden");
  if (!Number.isInteger(options.minutes) || options.minutes < 1 || options.minutes > 60) throw new AppError("INVALID", "cases:agenda.errors.minutes", { field: "minutes" });
  return inTransaction(options.tx, async (tx) => {
    const [mc] = await tx
      .select({ mc: meetingCases })
      .from(meetingCases)
      .innerJoin(meetings, eq(meetings.id, meetingCases.meetingId))
      .where(and(eq(meetingCases.id, options.meetingCaseId), eq(meetings.areaId, options.actor.area.id)))
      .for("update");
    if (!mc) throw new AppError("NOT_FOUND", "errors.notFound");
    assertVersion(mc.mc, options.version);
    await tx.update(meetingCases).set({ plannedMinutes: options.minutes, version: mc.mc.version + 1 }).where(eq(meetingCases.id, mc.mc.id));
    await tx.update(meetings).set({ version: sql`${meetings.version} + 1` }).where(eq(meetings.id, mc.mc.meetingId));
    await writeAudit(tx, options.actor.actor, {
      areaId: options.actor.area.id,
      action: "meeting.case_minutes_set",
      entity: "meeting_cases",
      entityId: mc.mc.id,
      caseId: mc.mc.caseId,
      detail: { minutes: options.minutes },
    });
  });
}

/** Move a case to another (open) meeting of the same area. */
export async function moveCaseToMeeting(options: { actor: CaseActor; meetingCaseId: string; targetMeetingId: string; tx?: Db }) {
  if (!options.actor.permissions.has("list:compile")) throw new AppError("FORBIDDEN", "errors.forbidden");
  return inTransaction(options.tx, async (tx) => {
    const [row] = await tx
      .select({ mc: meetingCases, isRepeat: cases.isRepeat })
      .from(meetingCases)
      .innerJoin(meetings, eq(meetings.id, meetingCases.meetingId))
      .innerJoin(cases, eq(cases.id, meetingCases.caseId))
      .where(and(eq(meetingCases.id, options.meetingCaseId), eq(meetings.areaId, options.actor.area.id)))
      .for("update");
    if (!row) throw new AppError("NOT_FOUND", "errors.notFound");
    const target = await loadMeeting(tx, options.actor, options.targetMeetingId, { forUpdate: true });
    if (target.id === row.mc.meetingId) return target;
    if (!(OPEN_FOR_LISTING as readonly string[]).includes(target.status)) throw new AppError("CONFLICT", "cases:agenda.errors.targetClosed");
    await tx.delete(meetingCases).where(eq(meetingCases.id, row.mc.id));
    await appendToMeeting(tx, target, { id: row.mc.caseId, isRepeat: row.isRepeat }, { carriedFromMeetingId: row.mc.carriedFromMeetingId ?? undefined });
    await tx.update(meetings).set({ version: sql`${meetings.version} + 1` }).where(eq(meetings.id, row.mc.meetingId));
    await writeAudit(tx, options.actor.actor, {
      areaId: options.actor.area.id,
      action: "meeting.case_moved",
      entity: "meeting_cases",
      entityId: row.mc.id,
      caseId: row.mc.caseId,
      detail: { from: row.mc.meetingId, to: target.id },
    });
    return target;
  });
}

/** Move a single meeting to another date/time or venue; its timetable follows. */
export async function rescheduleMeeting(options: { actor: CaseActor; meetingId: string; version: number; date: string; time: string; venue: string; tx?: Db }) {
  if (!options.actor.permissions.has("list:compile")) throw new AppError("FORBIDDEN", "errors.forbidden");
  return inTransaction(options.tx, async (tx) => {
    const meeting = await loadMeeting(tx, options.actor, options.meetingId, { forUpdate: true });
    assertVersion(meeting, options.version);
    if (meeting.status === "cancelled" || meeting.status === "held" || meeting.status === "minutes_circulated") throw new AppError("CONFLICT", "cases:meetings.errors.notMovable");
    const area = await loadArea(tx, meeting.areaId);
    const [updated] = await tx
      .update(meetings)
      .set({ startsAt: londonToUtc(options.date, options.time), venue: options.venue, ...meetingColumns(options.date, area), version: meeting.version + 1, updatedAt: new Date() })
      .where(eq(meetings.id, meeting.id))
      .returning();
    await writeAudit(tx, options.actor.actor, {
      areaId: options.actor.area.id,
      action: "meeting.rescheduled",
      entity: "meetings",
      entityId: meeting.id,
      detail: { from: utcToLondon(meeting.startsAt), to: { date: options.date, time: options.time } },
    });
    return updated;
  });
}

/** Cancel a meeting; its cases move to the next open meeting. */
export async function cancelMeeting(options: { actor: CaseActor; meetingId: string; version: number; reason: string; tx?: Db }) {
  if (!options.actor.permissions.has("list:compile")) throw new AppError("FORBIDDEN", "errors.forbidden");
  if (!options.reason.trim()) throw new AppError("INVALID", "cases:meetings.errors.reasonRequired", { field: "reason" });
  return inTransaction(options.tx, async (tx) => {
    const meeting = await loadMeeting(tx, options.actor, options.meetingId, { forUpdate: true });
    assertVersion(meeting, options.version);
    if (!(OPEN_FOR_LISTING as readonly string[]).includes(meeting.status) && meeting.status !== "circulated") throw new AppError("CONFLICT", "cases:meetings.errors.notCancellable");
    const [next] = await tx
      .select()
      .from(meetings)
      .where(and(eq(meetings.areaId, meeting.areaId), ne(meetings.id, meeting.id), inArray(meetings.status, [...OPEN_FOR_LISTING]), gte(meetings.startsAt, meeting.startsAt)))
      .orderBy(asc(meetings.startsAt))
      .limit(1);
    const listed = await tx
      .select({ mc: meetingCases, isRepeat: cases.isRepeat })
      .from(meetingCases)
      .innerJoin(cases, eq(cases.id, meetingCases.caseId))
      .where(eq(meetingCases.meetingId, meeting.id))
      .orderBy(asc(meetingCases.position));
    if (listed.length && !next) throw new AppError("CONFLICT", "cases:meetings.errors.noMeeting");
    for (const r of listed) {
      await tx.delete(meetingCases).where(eq(meetingCases.id, r.mc.id));
      await appendToMeeting(tx, next!, { id: r.mc.caseId, isRepeat: r.isRepeat });
    }
    const [updated] = await tx
      .update(meetings)
      .set({ status: "cancelled", cancelledReason: options.reason.trim(), version: meeting.version + 1, updatedAt: new Date() })
      .where(eq(meetings.id, meeting.id))
      .returning();
    await writeAudit(tx, options.actor.actor, {
      areaId: options.actor.area.id,
      action: "meeting.cancelled",
      entity: "meetings",
      entityId: meeting.id,
      detail: { movedCases: listed.length, movedTo: next?.id ?? null },
    });
    return updated;
  });
}

/** Mark the list circulated: every agency of the panel can now see it. */
export async function circulateList(options: { actor: CaseActor; meetingId: string; version: number; tx?: Db }) {
  if (!options.actor.permissions.has("list:compile")) throw new AppError("FORBIDDEN", "errors.forbidden");
  return inTransaction(options.tx, async (tx) => {
    const meeting = await loadMeeting(tx, options.actor, options.meetingId, { forUpdate: true });
    assertVersion(meeting, options.version);
    if (!(OPEN_FOR_LISTING as readonly string[]).includes(meeting.status)) throw new AppError("CONFLICT", "cases:meetings.errors.alreadyCirculated");
    const [updated] = await tx
      .update(meetings)
      .set({ status: "circulated", circulatedAt: new Date(), version: meeting.version + 1, updatedAt: new Date() })
      .where(eq(meetings.id, meeting.id))
      .returning();
    await writeAudit(tx, options.actor.actor, { areaId: options.actor.area.id, action: "meeting.list_circulated", entity: "meetings", entityId: meeting.id });
    await notifyListCirculated(tx, updated);
    return updated;
  });
}

