import { and, asc, count, desc, eq, gte, isNull, lt, lte, ne, or, sql, type AnyColumn, type Placeholder, type SQL } from "drizzle-orm";
import { type Placeholders, statement, statementByShape, statementForRows } from "#db/statements";
import type { Db } from "#db/client";
import { getDb } from "#db/client";
import {
  actions,
  agencies,
  casePeople,
  cases,
  digests,
  identityChecks,
  meetingCases,
  meetings,
  outbox,
  researchReturns,
  type Agency,
  type Area,
  type Meeting,
} from "#db/schema";
import { formatLongDate, londonToUtc, todayInLondon, utcToLondon } from "~/lib/london-time";
import { forEachConcurrently } from "~/lib/concurrently";
import { groupBy } from "~/lib/group";
import { isAccreditedAddress } from "~/lib/secure-domains";
import { addCalendarDays, workingDaysBefore } from "~/lib/timetable";
import { agenciesOfArea } from "./agencies.server";
import { loadArea } from "./areas.server";
import { inTransaction, writeAudit, writeAuditRows, type Actor } from "./audit.server";
import { initialsOf } from "./cases/references.server";
import { AppError } from "./errors.server";
import { rememberingT } from "~/i18n/remembering-t";
import { appLink, mailT, renderAgencyEmail, type AgencyContent, type MailT } from "./mail/agency-mail.server";
import { queueEmails, type QueuedEmail } from "./outbox.server";
import { isUuid } from "./preparation/shared.server";

/** Longest list of one kind in a digest; the rest are counted and left to the app. */
const MAX_ITEMS = 50;

export interface DigestActionLine {
  id: string;
  reference: string;
  initials: string;
  description: string;
  dueOn: string;
  completedOn: string | null;
}

export interface DigestContent {
  agency: Pick<Agency, "id" | "name" | "secureEmail" | "isVerifier">;
  meeting: { id: string; date: string; status: Meeting["status"] } | null;
  deadlines: { key: "verificationDue" | "researchDue" | "actionUpdatesDue"; date: string }[];
  verification: { reference: string; people: number }[];
  research: { reference: string; meetingCaseId: string; started: boolean }[];
  overdue: DigestActionLine[];
  dueSoon: DigestActionLine[];
  completed: DigestActionLine[];
  /** More rows than the email lists, per section. */
  more: { overdue: number; dueSoon: number; completed: number };
  listCount: number;
  referredCount: number;
  since: string;
}

const nextMeeting = statement((db, p: Placeholders<{ areaId: string; from: Date }>) =>
  db
    .select()
    .from(meetings)
    .where(and(eq(meetings.areaId, p.areaId), ne(meetings.status, "cancelled"), gte(meetings.startsAt, p.from)))
    .orderBy(asc(meetings.startsAt))
    .limit(1),
);

/** The next meeting of the area that is not cancelled and has not yet started (today counts). */
export async function findNextMeeting(db: Db, areaId: string, today: string): Promise<Meeting | null> {
  const [row] = await nextMeeting(db, { areaId, from: londonToUtc(today, "00:00") });
  return row ?? null;
}

/** The period a digest belongs to: the digest date of the meeting it leads up to (or today with no meeting). */
export function digestPeriod(meeting: Pick<Meeting, "digestOn"> | null, today: string) {
  return meeting?.digestOn ?? today;
}

/** An action as a digest lists it, with its case's reference and the victim's initials (`c`: the case, when found). */
function actionLine(
  r: { id: string; description: string; dueOn: string; completedOn: string | null },
  c: { reference: string | null; firstName: string | null; lastName: string | null } | undefined,
): DigestActionLine {
  return {
    id: r.id,
    reference: c?.reference ?? "",
    initials: initialsOf(c && c.firstName !== null ? { firstName: c.firstName, lastName: c.lastName ?? "" } : null),
    description: r.description,
    dueOn: r.dueOn,
    completedOn: r.completedOn,
  };
}

type DigestAgency = DigestContent["agency"];

/**
 * What one agency's digest says: the next meeting and the agency's deadlines,
 * its open identity checks and research returns, its actions (overdue, due
 * before the next meeting, completed since the last digest) and the size of
 * the next list. Reads only; the caller audits.
 */
export async function composeAgencyDigest(db: Db, options: { area: Area; agency: DigestAgency; meeting: Meeting | null; today: string }): Promise<DigestContent> {
  const composed = await composeAreaDigests(db, { area: options.area, agencies: [options.agency], meeting: options.meeting, today: options.today });
  return composed.get(options.agency.id)!;
}

/** A list of ids given to a statement as one array value (`= any(...)`), so its shape does not change with the count. */
const anyOf = (column: AnyColumn | SQL, ids: Placeholder) => sql`${column} = any(${ids}::uuid[])`;

// An area's digests are composed with these statements, built once per process (decision 015): a
// digest day composes every area's, and drizzle building each of them afresh cost more CPU than
// PostgreSQL took to run them (docs/performance.md, finding 26).
const lastDigests = statement((db, p: Placeholders<{ areaId: string; ids: string[]; period: string }>) =>
  db
    .selectDistinctOn([digests.agencyId], { agencyId: digests.agencyId, at: digests.createdAt })
    .from(digests)
    .where(and(eq(digests.areaId, p.areaId), anyOf(digests.agencyId, p.ids), lt(digests.period, p.period)))
    .orderBy(digests.agencyId, desc(digests.createdAt)),
);
const pendingChecks = statement((db, p: Placeholders<{ meetingId: string; verifiers: string[] }>) =>
  db
    .select({ agencyId: identityChecks.agencyId, reference: cases.reference, people: count() })
    .from(identityChecks)
    .innerJoin(meetingCases, eq(meetingCases.id, identityChecks.meetingCaseId))
    .innerJoin(cases, eq(cases.id, meetingCases.caseId))
    .where(and(eq(meetingCases.meetingId, p.meetingId), anyOf(identityChecks.agencyId, p.verifiers), eq(identityChecks.status, "pending")))
    .groupBy(identityChecks.agencyId, cases.reference, meetingCases.position)
    .orderBy(asc(meetingCases.position)),
);
// Every listed case against every agency: the pairs with no return yet, or only a draft.
const openResearch = statement((db, p: Placeholders<{ meetingId: string; ids: string[] }>) =>
  db
    .select({ agencyId: agencies.id, reference: cases.reference, meetingCaseId: meetingCases.id, status: researchReturns.status })
    .from(meetingCases)
    .innerJoin(cases, eq(cases.id, meetingCases.caseId))
    .innerJoin(agencies, anyOf(agencies.id, p.ids))
    .leftJoin(researchReturns, and(eq(researchReturns.meetingCaseId, meetingCases.id), eq(researchReturns.agencyId, agencies.id)))
    .where(and(eq(meetingCases.meetingId, p.meetingId), or(isNull(researchReturns.id), eq(researchReturns.status, "draft"))))
    .orderBy(asc(meetingCases.position)),
);
const listedByReferrer = statement((db, p: Placeholders<{ meetingId: string }>) =>
  db
    .select({ agencyId: cases.referringAgencyId, listed: count() })
    .from(meetingCases)
    .innerJoin(cases, eq(cases.id, meetingCases.caseId))
    .where(eq(meetingCases.meetingId, p.meetingId))
    .groupBy(cases.referringAgencyId),
);

/** What the action lists read: the agencies' actions in the area, and each list's rows and order. */
type ActionLists = Placeholders<{ areaId: string; ids: string[]; sinces: string[]; earliestSince: string; today: string; meetingDate: string | null }>;
const actionLists = (p: ActionLists) => {
  // The statuses are written into the statement, not sent as values: PostgreSQL's generic plan for a
  // prepared statement can then use them in the (area, status, due) index, as a one-off plan would
  // (docs/performance.md, finding 26).
  const open = sql`${actions.status} in ('open', 'in_progress')`;
  // Each agency's "since" is the one at its place in the ids. Sent as text[]: drizzle hands postgres.js
  // date arrays unserialised, as it does single dates.
  const sinceForOwner = sql`(${p.sinces}::text[]::date[])[array_position(${p.ids}::uuid[], ${actions.ownerAgencyId})]`;
  return {
    mine: and(eq(actions.areaId, p.areaId), anyOf(actions.ownerAgencyId, p.ids))!,
    open,
    overdue: { where: and(open, lt(actions.dueOn, sql`${p.today}::date`))!, order: sql`${actions.dueOn} asc, ${actions.id} asc` },
    // With no next meeting the date is null and nothing is due before it.
    dueSoon: { where: and(open, gte(actions.dueOn, sql`${p.today}::date`), lte(actions.dueOn, sql`${p.meetingDate}::date`))!, order: sql`${actions.dueOn} asc, ${actions.id} asc` },
    completed: { where: and(sql`${actions.status} = 'completed'`, gte(actions.completedOn, sql`${p.earliestSince}::date`), sql`${actions.completedOn} >= ${sinceForOwner}`)!, order: sql`${actions.completedOn} desc, ${actions.id} asc` },
  };
};
type ListKey = "overdue" | "dueSoon" | "completed";
const actionTotals = statement((db, p: ActionLists) => {
  const lists = actionLists(p);
  return db
    .select({
      agencyId: actions.ownerAgencyId,
      overdue: sql<number>`count(*) filter (where ${lists.overdue.where})::int`,
      dueSoon: sql<number>`count(*) filter (where ${lists.dueSoon.where})::int`,
      completed: sql<number>`count(*) filter (where ${lists.completed.where})::int`,
    })
    .from(actions)
    .where(and(lists.mine, or(lists.open, lists.completed.where)))
    .groupBy(actions.ownerAgencyId);
});
/** Each agency's first MAX_ITEMS rows of one list. */
const topActions = statementByShape((db, p: ActionLists, shape: ListKey) => {
  const lists = actionLists(p);
  const ranked = db
    .select({
      id: actions.id,
      agencyId: actions.ownerAgencyId,
      caseId: actions.caseId,
      description: actions.description,
      dueOn: actions.dueOn,
      completedOn: actions.completedOn,
      rank: sql<number>`row_number() over (partition by ${actions.ownerAgencyId} order by ${lists[shape].order})`.as("rank"),
    })
    .from(actions)
    .where(and(lists.mine, lists[shape].where))
    .as("ranked");
  return db.select().from(ranked).where(lte(ranked.rank, MAX_ITEMS));
});
const casesWithVictims = statement((db, p: Placeholders<{ caseIds: string[] }>) =>
  db
    .select({ id: cases.id, reference: cases.reference, firstName: casePeople.firstName, lastName: casePeople.lastName })
    .from(cases)
    .leftJoin(casePeople, and(eq(casePeople.caseId, cases.id), eq(casePeople.role, "victim"), eq(casePeople.position, 0)))
    .where(anyOf(cases.id, p.caseIds)),
);

/**
 * The digests of several agencies of one area, composed together: each query reads every
 * agency's rows at once (about ten statements for the area instead of about seven an agency).
 */
export async function composeAreaDigests(
  db: Db,
  options: { area: Area; agencies: DigestAgency[]; meeting: Meeting | null; today: string },
): Promise<Map<string, DigestContent>> {
  const { area, meeting, today } = options;
  const result = new Map<string, DigestContent>();
  if (options.agencies.length === 0) return result;
  const ids = options.agencies.map((a) => a.id);
  // "Since the last digest" means the previous period's, so a preview made after this period's
  // digest was queued still shows what was sent.
  const lasts = await lastDigests(db, { areaId: area.id, ids, period: digestPeriod(meeting, today) });
  const lastAt = new Map(lasts.map((l) => [l.agencyId, l.at]));
  const sinceOf = new Map(ids.map((id) => [id, lastAt.has(id) ? utcToLondon(lastAt.get(id)!).date : addCalendarDays(today, -area.cadenceDays)]));
  const meetingDate = meeting ? utcToLondon(meeting.startsAt).date : null;

  let verification = new Map<string, DigestContent["verification"]>();
  let research = new Map<string, DigestContent["research"]>();
  let listCount = 0;
  const referred = new Map<string, number>();
  const verifiers = options.agencies.filter((a) => a.isVerifier).map((a) => a.id);
  const researchOpen = meeting?.status === "circulated" || meeting?.status === "in_progress";
  if (meeting && meetingDate) {
    if (meeting.status === "verification" && verifiers.length) {
      const rows = await pendingChecks(db, { meetingId: meeting.id, verifiers });
      verification = groupBy(rows, (r) => r.agencyId, (r) => ({ reference: r.reference ?? "", people: Number(r.people) }));
    }
    if (researchOpen) {
      const rows = await openResearch(db, { meetingId: meeting.id, ids });
      research = groupBy(rows, (r) => r.agencyId, (r) => ({ reference: r.reference ?? "", meetingCaseId: r.meetingCaseId, started: r.status === "draft" }));
    }
    const counts = await listedByReferrer(db, { meetingId: meeting.id });
    for (const c of counts) {
      listCount += Number(c.listed);
      if (c.agencyId) referred.set(c.agencyId, Number(c.listed));
    }
  }

  // An agency may own thousands of actions over the years: count each list in one pass over the
  // area's index, then read only each agency's first rows and join their cases afterwards.
  const listValues = { areaId: area.id, ids, sinces: ids.map((id) => sinceOf.get(id)!), earliestSince: [...sinceOf.values()].sort()[0], today, meetingDate };
  const totalRows = await actionTotals(db, listValues);
  const totals = new Map(totalRows.map((t) => [t.agencyId, t]));
  const total = (agencyId: string, key: ListKey) => Number(totals.get(agencyId)?.[key] ?? 0);
  const top = async (key: ListKey) => (ids.some((id) => total(id, key) > 0) ? topActions(key, db, listValues) : []);
  const picked = { overdue: await top("overdue"), dueSoon: await top("dueSoon"), completed: await top("completed") };
  const caseIds = [...new Set(Object.values(picked).flatMap((rows) => rows.map((r) => r.caseId)))];
  const caseRows = caseIds.length ? await casesWithVictims(db, { caseIds }) : [];
  const byCase = new Map(caseRows.map((c) => [c.id, c]));
  const lines = (key: ListKey, agencyId: string) => {
    const rows = picked[key]
      .filter((r) => r.agencyId === agencyId)
      .map((r) => actionLine(r, byCase.get(r.caseId)));
    // Same order as the query, with the case reference breaking ties of date.
    const date = (a: DigestActionLine) => (key === "completed" ? (a.completedOn ?? "") : a.dueOn);
    return rows.sort((a, b) => (key === "completed" ? date(b).localeCompare(date(a)) : date(a).localeCompare(date(b))) || a.reference.localeCompare(b.reference));
  };

  for (const agency of options.agencies) {
    const deadlines: DigestContent["deadlines"] = [];
    if (meeting && meetingDate) {
      if (agency.isVerifier && meeting.status === "verification") deadlines.push({ key: "verificationDue", date: meeting.verificationDue });
      if (researchOpen) deadlines.push({ key: "researchDue", date: meeting.researchDue });
      deadlines.push({ key: "actionUpdatesDue", date: workingDaysBefore(meetingDate, area.actionUpdatesDueDays, area.nation) });
    }
    const overdue = lines("overdue", agency.id);
    const dueSoon = lines("dueSoon", agency.id);
    const completed = lines("completed", agency.id);
    const extra = (key: ListKey, shown: number) => Math.max(0, total(agency.id, key) - shown);
    result.set(agency.id, {
      agency,
      meeting: meeting && meetingDate ? { id: meeting.id, date: meetingDate, status: meeting.status } : null,
      deadlines,
      verification: verification.get(agency.id) ?? [],
      research: research.get(agency.id) ?? [],
      overdue,
      dueSoon,
      completed,
      more: { overdue: extra("overdue", overdue.length), dueSoon: extra("dueSoon", dueSoon.length), completed: extra("completed", completed.length) },
      listCount,
      referredCount: referred.get(agency.id) ?? 0,
      since: sinceOf.get(agency.id)!,
    });
  }
  return result;
}

export function isDigestEmpty(content: DigestContent) {
  return content.verification.length + content.research.length + content.overdue.length + content.dueSoon.length === 0;
}

/** The finished strings of a digest (the template never queries). Empty sections are left out. */
export function digestEmailContent(content: DigestContent, area: Pick<Area, "code">, t: MailT, lang = "en"): AgencyContent {
  const date = (iso: string) => formatLongDate(iso, lang, { weekday: true });
  // Up to 150 action lines share a few dozen dates and one link text: each is translated once.
  const updateAction = t("digest.updateAction");
  const said = new Map<string, string>();
  const onDate = (key: "digest.dueOn" | "digest.completedOn", iso: string) => {
    const id = `${key}|${iso}`;
    let text = said.get(id);
    if (text === undefined) said.set(id, (text = t(key, { date: date(iso) })));
    return text;
  };
  const actionLink = (a: DigestActionLine) => ({ href: appLink(area.code, `/actions/${a.id}`), linkText: updateAction });
  const actionText = (a: DigestActionLine, due: boolean) =>
    [a.reference, a.initials ? `(${a.initials})` : "", `${a.description.trim()}.`, due ? onDate("digest.dueOn", a.dueOn) : onDate("digest.completedOn", a.completedOn ?? a.dueOn)]
      .filter(Boolean)
      .join(" ")
      .replace(/\.\./g, ".");
  const sections: AgencyContent["sections"] = [];
  if (content.deadlines.length) {
    sections.push({ heading: t("digest.deadlines"), items: content.deadlines.map((d) => ({ text: t(`digest.deadline.${d.key}`, { date: date(d.date) }) })) });
  }
  if (content.verification.length) {
    sections.push({
      heading: t("digest.verification", { count: content.verification.length }),
      items: content.verification.map((v) => ({ text: t("digest.verificationItem", { reference: v.reference, count: v.people }) })),
    });
  }
  if (content.research.length) {
    sections.push({
      heading: t("digest.research", { count: content.research.length }),
      items: content.research.map((r) => ({
        text: t(r.started ? "digest.researchDraft" : "digest.researchNone", { reference: r.reference }),
        href: appLink(area.code, `/research/${r.meetingCaseId}`),
        linkText: t("digest.openResearch"),
      })),
    });
  }
  const actionSection = (key: "overdue" | "dueSoon" | "completed") => {
    const rows = content[key];
    if (!rows.length) return;
    const items = rows.map((a) => ({ text: actionText(a, key !== "completed"), ...(key === "completed" ? {} : actionLink(a)) }));
    if (content.more[key]) items.push({ text: t("digest.more", { count: content.more[key] }), href: appLink(area.code, "/actions"), linkText: t("digest.allActions") });
    sections.push({ heading: t(`digest.${key}`, { count: rows.length + content.more[key] }), items });
  };
  actionSection("overdue");
  actionSection("dueSoon");
  actionSection("completed");

  const intro: string[] = [];
  if (content.meeting) {
    intro.push(t("digest.nextMeeting", { date: date(content.meeting.date) }));
    intro.push(t("digest.listCount", { count: content.listCount, referred: content.referredCount }));
  } else {
    intro.push(t("digest.noMeeting"));
  }
  if (isDigestEmpty(content)) intro.push(t("digest.nothingOutstanding"));
  return {
    preview: t("digest.preview", { agency: content.agency.name }),
    heading: t("digest.heading", { agency: content.agency.name }),
    intro,
    sections,
    button: { text: t("digest.signIn"), href: appLink(area.code, "/actions") },
  };
}

export function digestSubject(content: Pick<DigestContent, "meeting">, t: MailT, lang = "en") {
  return content.meeting ? t("digest.subject", { date: formatLongDate(content.meeting.date, lang) }) : t("digest.subjectNoMeeting");
}

export interface DigestPreview {
  content: DigestContent;
  to: string | null;
  subject: string;
  text: string;
  html: string;
  accredited: boolean;
  period: string;
  alreadySent: boolean;
}

/** The area, its next meeting and the digest period that meeting sets. */
async function currentPeriod(db: Db, areaId: string, today: string) {
  const area = await loadArea(db, areaId);
  const meeting = await findNextMeeting(db, area.id, today);
  return { area, meeting, period: digestPeriod(meeting, today) };
}

const periodDigests = statement((db, p: Placeholders<{ areaId: string; period: string }>) =>
  db.select({ agencyId: digests.agencyId }).from(digests).where(and(eq(digests.areaId, p.areaId), eq(digests.period, p.period))),
);

/** The area's active agencies (or those named), by name, and which of them already have the period's digest. */
async function digestRecipients(db: Db, areaId: string, period: string, agencyIds?: string[]) {
  const active = await agenciesOfArea(db, areaId, "active");
  const named = agencyIds && new Set(agencyIds);
  const list = named ? active.filter((agency) => named.has(agency.id)) : active;
  const done = new Set((await periodDigests(db, { areaId, period })).map((d) => d.agencyId));
  return { list, done };
}

/** What both rendering and queueing a digest need: recipient, subject, content and the notice's link. */
function digestEmail(area: Area, content: DigestContent, t: MailT = mailT()) {
  return {
    area,
    agency: { name: content.agency.name, secureEmail: content.agency.secureEmail ?? "" },
    subject: digestSubject(content, t),
    content: () => digestEmailContent(content, area, t),
    noticeLink: appLink(area.code, "/actions"),
  };
}

/** The coordinator's preview of one agency's digest, exactly as it would be sent. Audited: it reads case data. */
export async function previewAgencyDigest(options: { actor: Actor; areaId: string; agencyId: string; today?: string; tx?: Db }): Promise<DigestPreview> {
  if (!isUuid(options.agencyId)) throw new AppError("NOT_FOUND", "errors.notFound");
  const today = options.today ?? todayInLondon();
  return inTransaction(options.tx, async (tx) => {
    const { area, meeting, period } = await currentPeriod(tx, options.areaId, today);
    const [agency] = await tx.select().from(agencies).where(and(eq(agencies.id, options.agencyId), eq(agencies.areaId, area.id)));
    if (!agency) throw new AppError("NOT_FOUND", "errors.notFound");
    const content = await composeAgencyDigest(tx, { area, agency, meeting, today });
    const rendered = await renderAgencyEmail(digestEmail(area, content));
    const [sent] = await tx.select({ id: digests.id }).from(digests).where(and(eq(digests.areaId, area.id), eq(digests.agencyId, agency.id), eq(digests.period, period)));
    await writeAudit(tx, options.actor, { areaId: area.id, action: "digest.previewed", entity: "agencies", entityId: agency.id, detail: { period } });
    return { content, to: agency.secureEmail, subject: rendered.subject, text: rendered.text, html: rendered.html, accredited: rendered.accredited, period, alreadySent: Boolean(sent) };
  });
}

/** An area's digest rows, written with one insert built once per number of agencies (finding 47). */
const insertDigests = statementForRows(
  (
    db,
    rows: Placeholders<{ areaId: string; agencyId: string; meetingId: string | null; period: string; outboxId: string; sentBy: string | null; overdueCount: number; dueCount: number }>[],
  ) =>
    db
      .insert(digests)
      .values(rows.map((p) => ({ areaId: p.areaId, agencyId: p.agencyId, meetingId: p.meetingId, period: p.period, outboxId: p.outboxId, sentBy: p.sentBy, overdueCount: p.overdueCount, dueCount: p.dueCount })))
      .returning({ id: digests.id, agencyId: digests.agencyId }),
);

export interface DigestRunResult {
  period: string;
  queued: { agencyId: string; agency: string; to: string; accredited: boolean; outboxId: string }[];
  alreadySent: { agencyId: string; agency: string }[];
  noAddress: { agencyId: string; agency: string }[];
}

/**
 * Queue the digest of every active agency of the area (or those named) for the
 * current period, each with its outbox row in one transaction. Idempotent per
 * agency and period: a digest already queued is not queued again.
 */
export async function queueAreaDigests(options: { actor: Actor; areaId: string; agencyIds?: string[]; today?: string; tx?: Db }): Promise<DigestRunResult> {
  const today = options.today ?? todayInLondon();
  if (options.agencyIds?.some((id) => !isUuid(id))) throw new AppError("NOT_FOUND", "errors.notFound");
  return inTransaction(options.tx, async (tx) => {
    const { area, meeting, period } = await currentPeriod(tx, options.areaId, today);
    const { list, done } = await digestRecipients(tx, area.id, period, options.agencyIds);
    if (options.agencyIds && list.length !== new Set(options.agencyIds).size) throw new AppError("NOT_FOUND", "errors.notFound");
    const result: DigestRunResult = { period, queued: [], alreadySent: [], noAddress: [] };
    const pending = list.filter((agency) => !done.has(agency.id) && agency.secureEmail);
    const composed = await composeAreaDigests(tx, { area, agencies: pending, meeting, today });
    const emails: QueuedEmail[] = [];
    // The area's digests share many lines (a case's reference in each agency's research list).
    const t = rememberingT(mailT());
    for (const agency of pending) {
      const email = await renderAgencyEmail(digestEmail(area, composed.get(agency.id)!, t));
      emails.push({ ...email, kind: "digest" as const, areaId: area.id, idempotencyKey: `digest:${area.code}:${agency.id}:${period}`, refId: agency.id });
    }
    const rows = await queueEmails(tx, emails);
    const queued = pending.flatMap((agency, i) => {
      const row = rows.get(emails[i].idempotencyKey);
      return row ? [{ agency, row, content: composed.get(agency.id)! }] : [];
    });
    const inserted = queued.length
      ? await insertDigests(
          tx,
          queued.map(({ agency, row, content }) => ({
            areaId: area.id,
            agencyId: agency.id,
            meetingId: meeting?.id ?? null,
            period,
            outboxId: row.id,
            sentBy: options.actor.userId,
            overdueCount: content.overdue.length + content.more.overdue,
            dueCount: content.dueSoon.length + content.more.dueSoon,
          })),
        )
      : [];
    const digestIds = new Map(inserted.map((d) => [d.agencyId, d.id]));
    await writeAuditRows(
      tx,
      options.actor,
      queued.map(({ agency, row, content }) => ({
        areaId: area.id,
        action: "digest.queued",
        entity: "digests",
        entityId: digestIds.get(agency.id),
        detail: { outboxId: row.id, agencyId: agency.id, period, accredited: row.accredited, overdue: content.overdue.length + content.more.overdue, research: content.research.length, verification: content.verification.length },
      })),
    );
    const queuedRows = new Map(queued.map((q) => [q.agency.id, q.row]));
    for (const agency of list) {
      const row = queuedRows.get(agency.id);
      if (row) result.queued.push({ agencyId: agency.id, agency: agency.name, to: agency.secureEmail!, accredited: row.accredited, outboxId: row.id });
      else if (done.has(agency.id) || agency.secureEmail) result.alreadySent.push({ agencyId: agency.id, agency: agency.name });
      else result.noAddress.push({ agencyId: agency.id, agency: agency.name });
    }
    return result;
  });
}

export type DryRunEmail =
  | { agency: string; to: string | null; skipped: "already_sent" | "no_address" }
  | { agency: string; to: string; skipped: null; subject: string; accredited: boolean; text: string };

/**
 * Queue the digests of several areas, each area in its own transaction, a few
 * areas at a time (the scheduler's run on a digest day). Each committed area
 * wakes the outbox worker, so sending starts while later areas are composed.
 */
export async function queueDigestsForAreas(options: { areaIds: string[]; today?: string; concurrency?: number; db?: Db }): Promise<number> {
  const db = options.db ?? getDb();
  let queued = 0;
  await forEachConcurrently(options.areaIds, options.concurrency ?? 4, async (areaId) => {
    const result = await db.transaction((tx) => queueAreaDigests({ actor: { userId: null }, areaId, today: options.today, tx: tx as unknown as Db }));
    queued += result.queued.length;
  });
  return queued;
}

/** What `queueAreaDigests` would queue, rendered, without writing anything (the dry run). */
export async function dryRunAreaDigests(options: { areaId: string; actor?: Actor; today?: string; db?: Db }) {
  const db = options.db ?? getDb();
  const today = options.today ?? todayInLondon();
  const { area, meeting, period } = await currentPeriod(db, options.areaId, today);
  const { list, done } = await digestRecipients(db, area.id, period);
  const out: DryRunEmail[] = [];
  const composed = await composeAreaDigests(db, { area, agencies: list.filter((a) => a.secureEmail && !done.has(a.id)), meeting, today });
  const t = rememberingT(mailT());
  for (const agency of list) {
    if (!agency.secureEmail || done.has(agency.id)) {
      out.push({ agency: agency.name, to: agency.secureEmail, skipped: done.has(agency.id) ? ("already_sent" as const) : ("no_address" as const) });
      continue;
    }
    const rendered = await renderAgencyEmail(digestEmail(area, composed.get(agency.id)!, t));
    out.push({ agency: agency.name, to: agency.secureEmail, skipped: null, subject: rendered.subject, accredited: rendered.accredited, text: rendered.text });
  }
  // The dry run prints case references and action text: a read of case data, audited like the preview.
  await db.transaction((tx) =>
    writeAudit(tx as unknown as Db, options.actor ?? { userId: null }, { areaId: area.id, action: "digest.dry_run", entity: "areas", entityId: area.id, detail: { period, agencies: out.filter((e) => !e.skipped).length } }),
  );
  return { area: { code: area.code, name: area.name }, period, meetingDate: meeting ? utcToLondon(meeting.startsAt).date : null, emails: out };
}

/** The area's digest history, newest first, with each email's delivery state. */
export async function listDigestHistory(options: { actor: Actor; areaId: string; limit?: number; db?: Db }) {
  const db = options.db ?? getDb();
  return db
    .select({
      id: digests.id,
      period: digests.period,
      agency: agencies.name,
      to: outbox.to,
      accredited: outbox.accredited,
      status: outbox.status,
      attempts: outbox.attempts,
      sentAt: outbox.sentAt,
      createdAt: digests.createdAt,
      overdueCount: digests.overdueCount,
      dueCount: digests.dueCount,
      byScheduler: sql<boolean>`${digests.sentBy} is null`,
    })
    .from(digests)
    .innerJoin(agencies, eq(agencies.id, digests.agencyId))
    .innerJoin(outbox, eq(outbox.id, digests.outboxId))
    .where(eq(digests.areaId, options.areaId))
    .orderBy(desc(digests.createdAt), asc(agencies.name))
    .limit(options.limit ?? 100);
}

/** The coordinator's digest page: the period, and each active agency with its address and whether this period's digest is queued. */
export async function listDigestRecipients(options: { actor: Actor; areaId: string; today?: string; db?: Db }) {
  const db = options.db ?? getDb();
  const today = options.today ?? todayInLondon();
  const { area, meeting, period } = await currentPeriod(db, options.areaId, today);
  const rows = await db
    .select({ id: agencies.id, name: agencies.name, secureEmail: agencies.secureEmail, status: outbox.status })
    .from(agencies)
    .leftJoin(digests, and(eq(digests.agencyId, agencies.id), eq(digests.period, period)))
    .leftJoin(outbox, eq(outbox.id, digests.outboxId))
    .where(and(eq(agencies.areaId, area.id), eq(agencies.active, true)))
    .orderBy(asc(agencies.name));
  return {
    period,
    meeting: meeting ? { id: meeting.id, date: utcToLondon(meeting.startsAt).date, digestOn: meeting.digestOn } : null,
    agencies: rows.map((r) => ({
      id: r.id,
      name: r.name,
      secureEmail: r.secureEmail,
      accredited: r.secureEmail ? isAccreditedAddress(r.secureEmail, area.secureDomains) : false,
      status: r.status ?? null,
    })),
  };
}
