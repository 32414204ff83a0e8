import { and, asc, desc, eq, gte, inArray, lt, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { Db } from "#db/client";
import { getDb } from "#db/client";
import { type Placeholders, statementByShape } from "#db/statements";
import { actions, actionTotals, actionUpdates, agencies, cases, meetingCases, meetings, workingUntil, type Action, type ActionStatus } from "#db/schema";
import { londonToUtc, todayInLondon } from "~/lib/london-time";
import { inTransaction, writeAudit } from "./audit.server";
import type { CaseActor } from "./cases/access.server";
import { AppError } from "./errors.server";
import { isUuid } from "./preparation/shared.server";
import { addCalendarDays } from "~/lib/timetable";

const INCOMPLETE: ActionStatus[] = ["open", "in_progress"];
/** Not completed at two meetings running: flagged for the steering group. */
export const ESCALATION_CARRIES = 2;

export interface ActionDraft {
  description: string;
  ownerAgencyId: string;
  ownerName?: string;
  dueOn: string;
  priority: "low" | "medium" | "high";
}

async function checkOwnerAgency(tx: Db, actor: CaseActor, agencyId: string) {
  if (!isUuid(agencyId)) throw new AppError("INVALID", "cases:actions.errors.owner", { field: "ownerAgencyId" });
  const [agency] = await tx.select({ id: agencies.id }).from(agencies).where(and(eq(agencies.id, agencyId), eq(agencies.areaId, actor.area.id), eq(agencies.active, true)));
  if (!agency) throw new AppError("INVALID", "cases:actions.errors.owner", { field: "ownerAgencyId" });
}

function checkSmart(draft: ActionDraft, meetingDate: string) {
  if (!draft.description.trim()) throw new AppError("INVALID", "cases:actions.errors.description", { field: "description" });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.dueOn)) throw new AppError("INVALID", "cases:actions.errors.due", { field: "dueOn" });
  if (draft.dueOn < meetingDate) throw new AppError("INVALID", "cases:actions.errors.dueBeforeMeeting", { field: "dueOn" });
}

/** Agree an action in the meeting (chair or coordinator). SMART: one owner agency and a due date. */
export async function createAction(options: { actor: CaseActor; meetingCaseId: string; draft: ActionDraft; tx?: Db }) {
  const { actor, draft } = options;
  if (!actor.permissions.has("meeting:run")) throw new AppError("FORBIDDEN", "errors.forbidden");
  if (!isUuid(options.meetingCaseId)) throw new AppError("NOT_FOUND", "errors.notFound");
  return inTransaction(options.tx, async (tx) => {
    const [row] = await tx
      .select({ mc: meetingCases, meeting: meetings })
      .from(meetingCases)
      .innerJoin(meetings, eq(meetings.id, meetingCases.meetingId))
      .where(and(eq(meetingCases.id, options.meetingCaseId), eq(meetings.areaId, actor.area.id)));
    if (!row) throw new AppError("NOT_FOUND", "errors.notFound");
    if (row.meeting.status !== "in_progress" && row.meeting.status !== "held") throw new AppError("CONFLICT", "cases:actions.errors.meetingNotRunning");
    checkSmart(draft, row.meeting.seriesDate);
    await checkOwnerAgency(tx, actor, draft.ownerAgencyId);
    const [created] = await tx
      .insert(actions)
      .values({
        meetingCaseId: row.mc.id,
        meetingId: row.meeting.id,
        caseId: row.mc.caseId,
        areaId: actor.area.id,
        description: draft.description.trim(),
        ownerAgencyId: draft.ownerAgencyId,
        ownerName: draft.ownerName?.trim() ?? "",
        dueOn: draft.dueOn,
        priority: draft.priority,
        createdBy: actor.actor.userId,
      })
      .returning();
    await tx.insert(actionUpdates).values({ actionId: created.id, userId: actor.actor.userId, toStatus: "open", changes: ["created"] });
    await writeAudit(tx, actor.actor, { areaId: actor.area.id, action: "action.created", entity: "actions", entityId: created.id, caseId: row.mc.caseId, detail: { ownerAgencyId: draft.ownerAgencyId, dueOn: draft.dueOn } });
    return created;
  });
}

async function loadAction(tx: Db, actor: CaseActor, actionId: string) {
  if (!isUuid(actionId)) throw new AppError("NOT_FOUND", "errors.notFound");
  const [row] = await tx.select().from(actions).where(and(eq(actions.id, actionId), eq(actions.areaId, actor.area.id))).for("update");
  // An agency representative sees only their own agency's actions; any other answers 404.
  if (!row || (!actor.permissions.has("action:track") && row.ownerAgencyId !== actor.agencyId)) throw new AppError("NOT_FOUND", "errors.notFound");
  return row;
}

/**
 * Change an action's wording, owner, due date or priority (chair or coordinator).
 * A stale version is refused with the newer action, never overwritten.
 */
export async function reviseAction(options: { actor: CaseActor; actionId: string; version: number; draft: ActionDraft; tx?: Db }) {
  if (!options.actor.permissions.has("meeting:run")) throw new AppError("FORBIDDEN", "errors.forbidden");
  return inTransaction(options.tx, async (tx) => {
    const row = await loadAction(tx, options.actor, options.actionId);
    if (row.version !== options.version) throw new AppError("CONFLICT", "errors.stale", { detail: { current: row } });
    const [meeting] = await tx.select({ date: meetings.seriesDate }).from(meetings).where(eq(meetings.id, row.meetingId));
    checkSmart(options.draft, meeting.date);
    await checkOwnerAgency(tx, options.actor, options.draft.ownerAgencyId);
    const next = { description: options.draft.description.trim(), ownerAgencyId: options.draft.ownerAgencyId, ownerName: options.draft.ownerName?.trim() ?? "", dueOn: options.draft.dueOn, priority: options.draft.priority };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== row[k]);
    const [updated] = await tx
      .update(actions)
      .set({ ...next, version: row.version + 1, updatedAt: new Date() })
      .where(and(eq(actions.id, row.id), eq(actions.version, row.version)))
      .returning();
    await tx.insert(actionUpdates).values({ actionId: row.id, userId: options.actor.actor.userId, fromStatus: row.status, toStatus: row.status, changes: changed });
    await writeAudit(tx, options.actor.actor, { areaId: options.actor.area.id, action: "action.revised", entity: "actions", entityId: row.id, caseId: row.caseId, detail: { changed } });
    return updated;
  });
}

export type StatusChange =
  | { status: "in_progress"; note?: string }
  | { status: "completed"; completedOn: string; note: string }
  | { status: "not_completed"; reason: "circumstances_changed" | "not_undertaken"; note: string };

/**
 * The owner agency (or the chair/coordinator) reports progress: in progress,
 * completed with a date and note, or not completed with a reason.
 */
export async function updateActionStatus(options: { actor: CaseActor; actionId: string; version: number; change: StatusChange; today?: string; tx?: Db }) {
  const { actor, change } = options;
  if (!actor.permissions.has("action:update")) throw new AppError("FORBIDDEN", "errors.forbidden");
  const today = options.today ?? todayInLondon();
  if (change.status === "completed") {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(change.completedOn) || change.completedOn > today) throw new AppError("INVALID", "cases:actions.errors.completedOn", { field: "completedOn" });
    if (!change.note.trim()) throw new AppError("INVALID", "cases:actions.errors.note", { field: "note" });
  }
  if (change.status === "not_completed" && !change.note.trim()) throw new AppError("INVALID", "cases:actions.errors.note", { field: "note" });
  return inTransaction(options.tx, async (tx) => {
    const row = await loadAction(tx, actor, options.actionId);
    if (row.version !== options.version) throw new AppError("CONFLICT", "errors.stale", { detail: { current: row } });
    // Closed actions are reopened only by the coordinator or chair.
    if (!INCOMPLETE.includes(row.status) && !actor.permissions.has("action:track")) throw new AppError("CONFLICT", "cases:actions.errors.closed");
    const [updated] = await tx
      .update(actions)
      .set({
        status: change.status,
        completedOn: change.status === "completed" ? change.completedOn : null,
        notCompletedReason: change.status === "not_completed" ? change.reason : null,
        note: change.note?.trim() ?? row.note,
        version: row.version + 1,
        updatedAt: new Date(),
      })
      .where(and(eq(actions.id, row.id), eq(actions.version, row.version)))
      .returning();
    await tx.insert(actionUpdates).values({ actionId: row.id, userId: actor.actor.userId, fromStatus: row.status, toStatus: change.status, note: change.note?.trim() ?? "" });
    await writeAudit(tx, actor.actor, { areaId: actor.area.id, action: "action.status_changed", entity: "actions", entityId: row.id, caseId: row.caseId, detail: { from: row.status, to: change.status } });
    return updated;
  });
}

/**
 * Before the next meeting: every case with incomplete actions from held meetings
 * goes onto the next meeting for review (marked carried), and each such action
 * counts one more carry. Idempotent for a given next meeting.
 */
export async function carryForwardIncompleteActions(options: { actor: CaseActor; nextMeetingId: string; tx?: Db }) {
  if (!options.actor.permissions.has("list:compile")) throw new AppError("FORBIDDEN", "errors.forbidden");
  if (!isUuid(options.nextMeetingId)) throw new AppError("NOT_FOUND", "errors.notFound");
  return inTransaction(options.tx, async (tx) => {
    const [next] = await tx.select().from(meetings).where(and(eq(meetings.id, options.nextMeetingId), eq(meetings.areaId, options.actor.area.id))).for("update");
    if (!next) throw new AppError("NOT_FOUND", "errors.notFound");
    if (next.status !== "planned" && next.status !== "verification") throw new AppError("CONFLICT", "cases:actions.errors.nextClosed");
    const pending = await tx
      .select({ action: actions, heldMeetingId: meetings.id })
      .from(actions)
      .innerJoin(meetings, eq(meetings.id, actions.meetingId))
      .where(and(eq(actions.areaId, options.actor.area.id), inArray(actions.status, INCOMPLETE), inArray(meetings.status, ["held", "minutes_circulated"]), lt(meetings.startsAt, next.startsAt)));
    const listed = await tx.select({ caseId: meetingCases.caseId, carried: meetingCases.carriedFromMeetingId }).from(meetingCases).where(eq(meetingCases.meetingId, next.id));
    const alreadyCarried = new Set(listed.filter((l) => l.carried).map((l) => l.caseId));
    const onList = new Set(listed.map((l) => l.caseId));
    let position = listed.length;
    const carriedCases = new Set<string>();
    for (const { action, heldMeetingId } of pending) {
      if (alreadyCarried.has(action.caseId)) continue;
      if (!onList.has(action.caseId)) {
        const [c] = await tx.select({ isRepeat: cases.isRepeat }).from(cases).where(eq(cases.id, action.caseId));
        await tx.insert(meetingCases).values({ meetingId: next.id, caseId: action.caseId, position: ++position, isRepeat: c?.isRepeat ?? false, carriedFromMeetingId: heldMeetingId });
        onList.add(action.caseId);
      } else if (!carriedCases.has(action.caseId)) {
        await tx.update(meetingCases).set({ carriedFromMeetingId: heldMeetingId }).where(and(eq(meetingCases.meetingId, next.id), eq(meetingCases.caseId, action.caseId)));
      }
      carriedCases.add(action.caseId);
      await tx.update(actions).set({ carriedCount: sql`${actions.carriedCount} + 1` }).where(eq(actions.id, action.id));
    }
    await tx.update(meetings).set({ version: next.version + 1 }).where(eq(meetings.id, next.id));
    await writeAudit(tx, options.actor.actor, { areaId: options.actor.area.id, action: "actions.carried_forward", entity: "meetings", entityId: next.id, detail: { cases: carriedCases.size } });
    return { cases: carriedCases.size };
  });
}

/** How far back (days: two years) the tracker's meeting filter goes for meetings whose actions are all closed. */
export const ACTION_MEETINGS_DAYS = 730;

/**
 * The meetings the tracker's filter offers, newest first: those that agreed actions in the last
 * two years, older ones only while one of their actions is still open, and the meeting the filter
 * already names. Ten years of a panel's meetings would be some 260 options, most of them closed
 * history; future meetings have no actions yet.
 */
export async function listActionMeetings(options: { actor: CaseActor; selectedId?: string; today?: string; tx?: Db }) {
  const { actor } = options;
  if (!actor.permissions.has("action:track")) throw new AppError("FORBIDDEN", "errors.forbidden");
  const db = options.tx ?? getDb();
  const today = options.today ?? todayInLondon();
  const since = addCalendarDays(today, -ACTION_MEETINGS_DAYS);
  // The area's open actions through (area, status, due): bounded by the panel, not every open
  // action in the country (docs/performance.md, finding 16).
  const selectedId = options.selectedId && isUuid(options.selectedId) ? options.selectedId : null;
  return actionMeetings(selectedId ? "selected" : "none", db, { areaId: actor.area.id, since, selectedId: selectedId ?? "" });
}
const actionMeetings = statementByShape((db, p: Placeholders<{ areaId: string; since: string; selectedId: string }>, shape: "selected" | "none") => {
  const stillOpen = inArray(meetings.id, db.select({ id: actions.meetingId }).from(actions).where(and(eq(actions.areaId, p.areaId), inArray(actions.status, INCOMPLETE))));
  const hasActions = sql`exists (select 1 from ${actions} a where a.meeting_id = ${meetings}."id")`;
  return db
    .select({ id: meetings.id, startsAt: meetings.startsAt })
    .from(meetings)
    .where(and(eq(meetings.areaId, p.areaId), or(and(gte(meetings.seriesDate, p.since), hasActions), stillOpen, shape === "selected" ? eq(meetings.id, p.selectedId) : undefined)))
    .orderBy(desc(meetings.startsAt));
});

export interface ActionFilter {
  meetingId?: string;
  agencyId?: string;
  status?: ActionStatus;
  overdue?: boolean;
  escalated?: boolean;
  /** Only incomplete actions and those changed since this date (an agency's working list, not ten years of history). */
  changedSince?: string;
}

type ListValues = { areaId: string; actorAgencyId: string; meetingId: string; agencyId: string; status: ActionStatus; today: string; changedSince: Date };
/** Which of the list's conditions apply: the agency's own (not a tracker) and each filter that is on. */
function listShape(tracker: boolean, filter: ActionFilter) {
  return [
    tracker ? "tracker" : "agency",
    filter.meetingId && isUuid(filter.meetingId) ? "meeting" : "",
    filter.agencyId && isUuid(filter.agencyId) ? "owner" : "",
    filter.status ? "status" : "",
    filter.overdue ? "overdue" : "",
    filter.escalated ? "escalated" : "",
    filter.changedSince ? "changed" : "",
  ].join(" ");
}
function listConditions(p: Placeholders<ListValues>, shape: string): SQL[] {
  const on = new Set(shape.split(" "));
  const where: SQL[] = [eq(actions.areaId, p.areaId)];
  if (on.has("agency")) where.push(eq(actions.ownerAgencyId, p.actorAgencyId));
  if (on.has("meeting")) where.push(eq(actions.meetingId, p.meetingId));
  if (on.has("owner")) where.push(eq(actions.ownerAgencyId, p.agencyId));
  if (on.has("status")) where.push(eq(actions.status, p.status));
  if (on.has("overdue")) where.push(inArray(actions.status, INCOMPLETE), lt(actions.dueOn, p.today));
  if (on.has("escalated")) where.push(inArray(actions.status, INCOMPLETE), gte(actions.carriedCount, ESCALATION_CARRIES));
  // Incomplete, or changed since: one range of the working-list index (finding 28).
  if (on.has("changed")) where.push(gte(workingUntil(actions), p.changedSince));
  return where;
}
/** What the lists and the CSV show of an action: not its other ids, owner user, version or timestamps (finding 29). */
const LISTED_COLUMNS = ["id", "description", "ownerAgencyId", "ownerName", "dueOn", "priority", "status", "notCompletedReason", "completedOn", "carriedCount", "note"] as const;
/** The page's columns: those listed, and the case and meeting to join its rows to. */
const PAGE_COLUMNS = [...LISTED_COLUMNS, "caseId", "meetingId"] as const;
/** The list's order: overdue first, then by due date, the most urgent first on a day. */
const listOrder = (p: Placeholders<ListValues>, from: { status: AnyColumn; dueOn: AnyColumn; priority: AnyColumn }) => [
  sql`case when ${from.status} in ('open', 'in_progress') and ${from.dueOn} < ${p.today} then 0 else 1 end`,
  asc(from.dueOn),
  desc(from.priority),
];
/**
 * A page of actions with their agency, case reference and meeting date. The page is picked from
 * the actions alone and only its rows are joined: joining first made PostgreSQL join every match
 * (a panel's whole history when nothing is filtered) before keeping a hundred (finding 28).
 */
const actionPage = statementByShape((db, p: Placeholders<ListValues & { limit: number; offset: number }>, shape: string) => {
  const page = db
    .select(Object.fromEntries(PAGE_COLUMNS.map((k) => [k, actions[k]])) as { [K in (typeof PAGE_COLUMNS)[number]]: (typeof actions)[K] })
    .from(actions)
    .where(and(...listConditions(p, shape)))
    .orderBy(...listOrder(p, actions))
    .limit(p.limit)
    .offset(p.offset)
    .as("page");
  const action = Object.fromEntries(LISTED_COLUMNS.map((k) => [k, page[k]])) as { [K in (typeof LISTED_COLUMNS)[number]]: (typeof page)[K] };
  return db
    .select({ action, agency: agencies.name, reference: cases.reference, meetingDate: meetings.seriesDate })
    .from(page)
    .innerJoin(agencies, eq(agencies.id, page.ownerAgencyId))
    .innerJoin(cases, eq(cases.id, page.caseId))
    .innerJoin(meetings, and(eq(meetings.id, page.meetingId), eq(meetings.areaId, p.areaId)))
    .orderBy(...listOrder(p, page));
});
/** How many match in all, for paging (every action has its agency, case and meeting). */
const actionTotal = statementByShape((db, p: Placeholders<ListValues>, shape: string) =>
  db.select({ total: sql<number>`count(*)::int` }).from(actions).where(and(...listConditions(p, shape))),
);
/**
 * Open, overdue, completed and not-completed actions by owner agency, over the area's (or the
 * agency's own) whole history. All but "overdue" come from `action_totals`, kept by a trigger as
 * actions change, so they cost a few rows rather than a count of the panel's whole history
 * (docs/performance.md, finding 36). Overdue depends on the day, and only incomplete actions can
 * be: counted from those, agency by agency. Counted per agency first and named afterwards.
 */
const countsByAgency = statementByShape((db, p: Placeholders<ListValues>, shape: "tracker" | "agency") => {
  const byAgency = db
    .select({
      agencyId: actionTotals.ownerAgencyId,
      open: sql<number>`coalesce(sum(${actionTotals.total}) filter (where ${actionTotals.status} in ('open', 'in_progress')), 0)::int`.as("open"),
      completed: sql<number>`coalesce(sum(${actionTotals.total}) filter (where ${actionTotals.status} = 'completed'), 0)::int`.as("completed"),
      notCompleted: sql<number>`coalesce(sum(${actionTotals.total}) filter (where ${actionTotals.status} = 'not_completed'), 0)::int`.as("not_completed"),
    })
    .from(actionTotals)
    .where(and(eq(actionTotals.areaId, p.areaId), ...(shape === "agency" ? [eq(actionTotals.ownerAgencyId, p.actorAgencyId)] : [])))
    .groupBy(actionTotals.ownerAgencyId)
    .having(sql`sum(${actionTotals.total}) > 0`)
    .as("by_agency");
  // Overdue, per agency shown: a range of the agency index (panel, agency, status, due date) for
  // each, which the prepared statement's generic plan keeps to (a join of all overdue actions was
  // planned as a scan of the panel's whole history by agency: finding 36).
  const overdue = sql<number>`(select count(*)::int from ${actions} where ${actions.areaId} = ${p.areaId} and ${actions.ownerAgencyId} = ${byAgency.agencyId} and ${actions.status} in ('open', 'in_progress') and ${actions.dueOn} < ${p.today})`;
  return db
    .select({
      agencyId: byAgency.agencyId,
      agency: agencies.name,
      open: byAgency.open,
      overdue,
      completed: byAgency.completed,
      notCompleted: byAgency.notCompleted,
    })
    .from(byAgency)
    .innerJoin(agencies, eq(agencies.id, byAgency.agencyId))
    .orderBy(agencies.name, agencies.id);
});

/**
 * The action tracker (chair and coordinator): filtered actions, overdue first,
 * and counts by agency. Reading it is audited.
 */
export async function listActions(options: { actor: CaseActor; filter?: ActionFilter; today?: string; limit?: number; offset?: number; counts?: boolean; tx?: Db }) {
  const { actor } = options;
  const filter = options.filter ?? {};
  const today = options.today ?? todayInLondon();
  const tracker = actor.permissions.has("action:track");
  if (!tracker && !(actor.permissions.has("action:update") && actor.agencyId)) throw new AppError("FORBIDDEN", "errors.forbidden");
  return inTransaction(options.tx, async (tx) => {
    const shape = listShape(tracker, filter);
    const values: ListValues = {
      areaId: actor.area.id,
      actorAgencyId: actor.agencyId ?? "",
      meetingId: filter.meetingId ?? "",
      agencyId: filter.agencyId ?? "",
      status: filter.status ?? "open",
      today,
      changedSince: filter.changedSince ? londonToUtc(filter.changedSince, "00:00") : new Date(0),
    };
    const [rows, [{ total }], counts] = await Promise.all([
      actionPage(shape, tx, { ...values, limit: Math.min(options.limit ?? 500, 2000), offset: Math.max(0, options.offset ?? 0) }),
      actionTotal(shape, tx, values),
      // The counts by agency aggregate the area's whole history: only for pages that show them.
      options.counts === false ? Promise.resolve([]) : countsByAgency(tracker ? "tracker" : "agency", tx, values),
    ]);
    await writeAudit(tx, actor.actor, { areaId: actor.area.id, action: "actions.read", entity: "actions", detail: { filter: { ...filter }, rows: rows.length } });
    return {
      // The action's columns are spread last: properties added after a spread cost V8 about 1 µs each
      // a row (docs/performance.md, finding 41). No column has the name of one of these.
      rows: rows.map((r) => ({
        agency: r.agency,
        reference: r.reference ?? "",
        meetingDate: r.meetingDate,
        overdue: INCOMPLETE.includes(r.action.status) && r.action.dueOn < today,
        escalated: INCOMPLETE.includes(r.action.status) && r.action.carriedCount >= ESCALATION_CARRIES,
        ...r.action,
      })),
      counts,
      total: Number(total),
    };
  });
}

function csvCell(value: string | number | null | undefined) {
  const text = value === null || value === undefined ? "" : String(value);
  // Quote everything, double quotes, and defuse spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The tracker as CSV (case references, never names). */
export function actionsToCsv(rows: Awaited<ReturnType<typeof listActions>>["rows"], headers: string[]) {
  const lines = [headers.map(csvCell).join(",")];
  for (const r of rows) {
    lines.push(
      [r.reference, r.meetingDate, r.description, r.agency, r.ownerName, r.dueOn, r.priority, r.status, r.notCompletedReason ?? "", r.completedOn ?? "", r.overdue ? "yes" : "no", r.escalated ? "yes" : "no", r.note]
        .map(csvCell)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** An action with its history, for its update page. */
export async function getAction(options: { actor: CaseActor; actionId: string; tx?: Db }) {
  return inTransaction(options.tx, async (tx) => {
    const row = await loadAction(tx, options.actor, options.actionId);
    const history = await tx.select().from(actionUpdates).where(eq(actionUpdates.actionId, row.id)).orderBy(asc(actionUpdates.at));
    const [ref] = await tx.select({ reference: cases.reference }).from(cases).where(eq(cases.id, row.caseId));
    await writeAudit(tx, options.actor.actor, { areaId: options.actor.area.id, action: "action.read", entity: "actions", entityId: row.id, caseId: row.caseId });
    return { action: row as Action, history, reference: ref?.reference ?? "" };
  });
}

