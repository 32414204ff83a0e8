import { and, asc, eq, gt, inArray, isNull } from "drizzle-orm";
import type { Db } from "#db/client";
import { agencies, attendance, cases, meetingCases, meetings, type Meeting } from "#db/schema";
import { inTransaction, writeAudit } from "./audit.server";
import { assertVersion, type CaseActor } from "./cases/access.server";
import { AppError } from "./errors.server";
import { isUuid } from "./preparation/shared.server";
import { notifyMinutesCirculated } from "./mail/notifications.server";

function requireRunner(actor: CaseActor) {
  if (!actor.permissions.has("meeting:run")) throw new AppError("FORBIDDEN", "errors.forbidden");
}

async function lockMeeting(tx: Db, actor: CaseActor, meetingId: string): Promise<Meeting> {
  if (!isUuid(meetingId)) throw new AppError("NOT_FOUND", "errors.notFound");
  const [meeting] = await tx.select().from(meetings).where(and(eq(meetings.id, meetingId), eq(meetings.areaId, actor.area.id))).for("update");
  if (!meeting) throw new AppError("NOT_FOUND", "errors.notFound");
  return meeting;
}

/** The chair opens a circulated meeting. */
export async function startMeeting(options: { actor: CaseActor; meetingId: string; version: number; tx?: Db }) {
  requireRunner(options.actor);
  return inTransaction(options.tx, async (tx) => {
    const meeting = await lockMeeting(tx, options.actor, options.meetingId);
    assertVersion(meeting, options.version);
    if (meeting.status !== "circulated") throw new AppError("CONFLICT", "cases:meetingRoom.errors.notCirculated");
    const [updated] = await tx.update(meetings).set({ status: "in_progress", startedAt: new Date(), version: meeting.version + 1, updatedAt: new Date() }).where(eq(meetings.id, meeting.id)).returning();
    await writeAudit(tx, options.actor.actor, { areaId: options.actor.area.id, action: "meeting.started", entity: "meetings", entityId: meeting.id });
    return updated;
  });
}

export interface AttendanceInput {
  agencyId: string | null;
  personName: string;
  observerOrganisation?: string;
  status: "present" | "apologies" | "absent";
  infoSent: boolean;
  confirmConfidentiality: boolean;
}

/** Record one agency's (or an observer's) attendance; confirming the confidentiality statement stamps the time. */
export async function recordAttendance(options: { actor: CaseActor; meetingId: string; attendanceId?: string; version?: number; input: AttendanceInput; tx?: Db }) {
  requireRunner(options.actor);
  const { input } = options;
  if (!input.personName.trim() && input.status === "present") throw new AppError("INVALID", "cases:meetingRoom.errors.name", { field: "personName" });
  if (!input.agencyId && !input.observerOrganisation?.trim()) throw new AppError("INVALID", "cases:meetingRoom.errors.organisation", { field: "observerOrganisation" });
  return inTransaction(options.tx, async (tx) => {
    const meeting = await lockMeeting(tx, options.actor, options.meetingId);
    if (!["circulated", "in_progress", "held"].includes(meeting.status)) throw new AppError("CONFLICT", "cases:meetingRoom.errors.notOpen");
    if (input.agencyId) {
      if (!isUuid(input.agencyId)) throw new AppError("NOT_FOUND", "errors.notFound");
      const [agency] = await tx.select({ id: agencies.id }).from(agencies).where(and(eq(agencies.id, input.agencyId), eq(agencies.areaId, options.actor.area.id)));
      if (!agency) throw new AppError("NOT_FOUND", "errors.notFound");
    }
    const values = {
      agencyId: input.agencyId,
      personName: input.personName.trim(),
      observerOrganisation: input.observerOrganisation?.trim() ?? "",
      status: input.status,
      // Information sent in advance matters only for apologies and absence.
      infoSent: input.status !== "present" && input.infoSent,
    };
    let row;
    if (options.attendanceId) {
      if (!isUuid(options.attendanceId)) throw new AppError("NOT_FOUND", "errors.notFound");
      const [existing] = await tx.select().from(attendance).where(and(eq(attendance.id, options.attendanceId), eq(attendance.meetingId, meeting.id))).for("update");
      if (!existing) throw new AppError("NOT_FOUND", "errors.notFound");
      assertVersion(existing, options.version ?? -1);
      [row] = await tx
        .update(attendance)
        .set({ ...values, confidentialityConfirmedAt: input.confirmConfidentiality ? (existing.confidentialityConfirmedAt ?? new Date()) : null, version: existing.version + 1 })
        .where(eq(attendance.id, existing.id))
        .returning();
    } else {
      [row] = await tx
        .insert(attendance)
        .values({ ...values, meetingId: meeting.id, confidentialityConfirmedAt: input.confirmConfidentiality ? new Date() : null })
        .returning();
    }
    await writeAudit(tx, options.actor.actor, { areaId: options.actor.area.id, action: "meeting.attendance_recorded", entity: "attendance", entityId: row.id, detail: { status: row.status, agencyId: row.agencyId } });
    return row;
  });
}

export interface MinutesInput {
  infoShared: string;
  risksVictim: string;
  risksChildren: string;
  risksOthers: string;
  risksStaff: string;
  safetyPlanning: string;
  crimesReported: string;
  decisions: string;
}

/** Save a case's minutes. Several people may edit: a stale version is refused, never overwritten. */
export async function saveMinutes(options: { actor: CaseActor; meetingCaseId: string; version: number; minutes: MinutesInput; tx?: Db }) {
  requireRunner(options.actor);
  if (!isUuid(options.meetingCaseId)) throw new AppError("NOT_FOUND", "errors.notFound");
  return inTransaction(options.tx, async (tx) => {
    const [row] = await tx
      .select({ mc: meetingCases, status: meetings.status })
      .from(meetingCases)
      .innerJoin(meetings, eq(meetings.id, meetingCases.meetingId))
      .where(and(eq(meetingCases.id, options.meetingCaseId), eq(meetings.areaId, options.actor.area.id)))
      .for("update", { of: meetingCases });
    if (!row) throw new AppError("NOT_FOUND", "errors.notFound");
    if (row.status !== "in_progress" && row.status !== "held") throw new AppError("CONFLICT", "cases:meetingRoom.errors.notRunning");
    if (row.mc.version !== options.version) throw new AppError("CONFLICT", "errors.stale", { detail: { current: row.mc } });
    const [updated] = await tx.update(meetingCases).set({ ...options.minutes, version: row.mc.version + 1 }).where(eq(meetingCases.id, row.mc.id)).returning();
    await writeAudit(tx, options.actor.actor, { areaId: options.actor.area.id, action: "meeting.minutes_saved", entity: "meeting_cases", entityId: row.mc.id, caseId: row.mc.caseId });
    return updated;
  });
}

/** Mark a case discussed, deferred (it moves to the next open meeting) or withdrawn. */
export async function setCaseOutcome(options: { actor: CaseActor; meetingCaseId: string; version: number; outcome: "discussed" | "deferred" | "withdrawn"; tx?: Db }) {
  requireRunner(options.actor);
  if (!isUuid(options.meetingCaseId)) throw new AppError("NOT_FOUND", "errors.notFound");
  return inTransaction(options.tx, async (tx) => {
    const [row] = await tx
      .select({ mc: meetingCases, meeting: meetings })
      .from(meetingCases)
      .innerJoin(meetings, eq(meetings.id, meetingCases.meetingId))
      .where(and(eq(meetingCases.id, options.meetingCaseId), eq(meetings.areaId, options.actor.area.id)))
      .for("update", { of: meetingCases });
    if (!row) throw new AppError("NOT_FOUND", "errors.notFound");
    if (row.meeting.status !== "in_progress") throw new AppError("CONFLICT", "cases:meetingRoom.errors.notRunning");
    if (row.mc.version !== options.version) throw new AppError("CONFLICT", "errors.stale", { detail: { current: row.mc } });
    const [updated] = await tx.update(meetingCases).set({ outcome: options.outcome, version: row.mc.version + 1 }).where(eq(meetingCases.id, row.mc.id)).returning();
    if (options.outcome === "deferred") {
      const [next] = await tx
        .select()
        .from(meetings)
        .where(and(eq(meetings.areaId, row.meeting.areaId), inArray(meetings.status, ["planned", "verification"]), gt(meetings.startsAt, row.meeting.startsAt)))
        .orderBy(asc(meetings.startsAt))
        .limit(1);
      if (!next) throw new AppError("CONFLICT", "cases:meetings.errors.noMeeting");
      const listed = await tx.select({ id: meetingCases.id }).from(meetingCases).where(eq(meetingCases.meetingId, next.id));
      await tx
        .insert(meetingCases)
        .values({ meetingId: next.id, caseId: row.mc.caseId, position: listed.length + 1, isRepeat: row.mc.isRepeat, plannedMinutes: row.mc.plannedMinutes, carriedFromMeetingId: row.meeting.id })
        .onConflictDoNothing();
    }
    await writeAudit(tx, options.actor.actor, { areaId: options.actor.area.id, action: "meeting.case_outcome", entity: "meeting_cases", entityId: row.mc.id, caseId: row.mc.caseId, detail: { outcome: options.outcome } });
    return updated;
  });
}

/** Close the meeting once every case has an outcome; discussed cases become "discussed". */
export async function closeMeeting(options: { actor: CaseActor; meetingId: string; version: number; tx?: Db }) {
  requireRunner(options.actor);
  return inTransaction(options.tx, async (tx) => {
    const meeting = await lockMeeting(tx, options.actor, options.meetingId);
    assertVersion(meeting, options.version);
    if (meeting.status !== "in_progress") throw new AppError("CONFLICT", "cases:meetingRoom.errors.notRunning");
    const open = await tx.select({ id: meetingCases.id }).from(meetingCases).where(and(eq(meetingCases.meetingId, meeting.id), isNull(meetingCases.outcome)));
    if (open.length) throw new AppError("CONFLICT", "cases:meetingRoom.errors.casesOpen", { detail: { open: open.length } });
    const discussed = await tx.select({ caseId: meetingCases.caseId }).from(meetingCases).where(and(eq(meetingCases.meetingId, meeting.id), eq(meetingCases.outcome, "discussed")));
    if (discussed.length) await tx.update(cases).set({ status: "discussed", updatedAt: new Date() }).where(inArray(cases.id, discussed.map((d) => d.caseId)));
    const [updated] = await tx.update(meetings).set({ status: "held", closedAt: new Date(), version: meeting.version + 1, updatedAt: new Date() }).where(eq(meetings.id, meeting.id)).returning();
    await writeAudit(tx, options.actor.actor, { areaId: options.actor.area.id, action: "meeting.closed", entity: "meetings", entityId: meeting.id, detail: { discussed: discussed.length } });
    return updated;
  });
}

/** The coordinator marks the minutes circulated. */
export async function circulateMinutes(options: { actor: CaseActor; meetingId: string; version: number; tx?: Db }) {
  if (!options.actor.permissions.has("list:compile")) throw new AppError("FORBIDDEN", "errors.forbidden");
  return inTransaction(options.tx, async (tx) => {
    const meeting = await lockMeeting(tx, options.actor, options.meetingId);
    assertVersion(meeting, options.version);
    if (meeting.status !== "held") throw new AppError("CONFLICT", "cases:meetingRoom.errors.notHeld");
    const [updated] = await tx.update(meetings).set({ status: "minutes_circulated", minutesCirculatedAt: new Date(), version: meeting.version + 1, updatedAt: new Date() }).where(eq(meetings.id, meeting.id)).returning();
    await writeAudit(tx, options.actor.actor, { areaId: options.actor.area.id, action: "meeting.minutes_circulated", entity: "meetings", entityId: meeting.id });
    await notifyMinutesCirculated(tx, updated);
    return updated;
  });
}

/** Attendance for a meeting, agencies first. */
export async function listAttendance(options: { actor: CaseActor; meetingId: string; tx?: Db }) {
  if (!isUuid(options.meetingId)) throw new AppError("NOT_FOUND", "errors.notFound");
  return inTransaction(options.tx, async (tx) => {
    const [meeting] = await tx.select({ id: meetings.id }).from(meetings).where(and(eq(meetings.id, options.meetingId), eq(meetings.areaId, options.actor.area.id)));
    if (!meeting) throw new AppError("NOT_FOUND", "errors.notFound");
    return tx
      .select({ row: attendance, agency: agencies.name })
      .from(attendance)
      .leftJoin(agencies, eq(agencies.id, attendance.agencyId))
      .where(eq(attendance.meetingId, meeting.id))
      .orderBy(asc(agencies.name), asc(attendance.personName));
  });
}
