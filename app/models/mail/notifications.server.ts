import { and, asc, count, eq, gte, inArray, isNotNull, isNull, lt, ne, notExists, or, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { actions, agencies, attendance, casePeople, cases, identityChecks, meetingCases, meetings, outbox, researchReturns, type Area, type Meeting } from "#db/schema";
import { formatLongDate, londonToUtc, utcToLondon } from "~/lib/london-time";
import { addWorkingDays } from "~/lib/timetable";
import { loadArea } from "../areas.server";
import { writeAudit } from "../audit.server";
import { initialsOf } from "../cases/references.server";
import { appLink, mailT, queueAgencyEmail } from "./agency-mail.server";

type Recipient = { id: string; name: string; secureEmail: string | null };

const SYSTEM = { userId: null };

function meetingDateText(meeting: Pick<Meeting, "startsAt">) {
  return formatLongDate(utcToLondon(meeting.startsAt).date, "en", { weekday: true });
}

async function activeAgencies(tx: Db, areaId: string, where?: ReturnType<typeof eq>): Promise<Recipient[]> {
  return tx
    .select({ id: agencies.id, name: agencies.name, secureEmail: agencies.secureEmail })
    .from(agencies)
    .where(and(eq(agencies.areaId, areaId), eq(agencies.active, true), where))
    .orderBy(asc(agencies.name));
}

/** Queue one notice per agency and write one audit row saying who was told. */
async function notifyAgencies(
  tx: Db,
  options: {
    area: Area;
    meeting: Meeting;
    kind: "verification_requested" | "list_circulated" | "minutes_circulated";
    recipients: Recipient[];
    subject: string;
    intro: (agency: Recipient) => string[];
    link: string;
    linkText: string;
  },
) {
  const told: string[] = [];
  for (const agency of options.recipients) {
    const row = await queueAgencyEmail(tx, {
      area: options.area,
      areaId: options.area.id,
      agency: { name: agency.name, secureEmail: agency.secureEmail ?? "" },
      kind: options.kind,
      idempotencyKey: `${options.kind}:${options.meeting.id}:${agency.id}`,
      refId: options.meeting.id,
      subject: options.subject,
      noticeLink: options.link,
      content: () => ({
        preview: options.subject,
        heading: options.subject,
        intro: options.intro(agency),
        sections: [],
        button: { text: options.linkText, href: options.link },
      }),
    });
    if (row) told.push(agency.id);
  }
  if (told.length) {
    await writeAudit(tx, SYSTEM, { areaId: options.area.id, action: "mail.notice_queued", entity: "meetings", entityId: options.meeting.id, detail: { kind: options.kind, agencies: told } });
  }
  return told.length;
}

/** The list is out for identity checks: tell each verifier agency how many people it has to check, and by when. */
export async function notifyVerificationRequested(tx: Db, meeting: Meeting) {
  const area = await loadArea(tx, meeting.areaId);
  const t = mailT();
  const recipients = await activeAgencies(tx, area.id, eq(agencies.isVerifier, true));
  const counts = await tx
    .select({ agencyId: identityChecks.agencyId, n: count() })
    .from(identityChecks)
    .innerJoin(meetingCases, eq(meetingCases.id, identityChecks.meetingCaseId))
    .where(and(eq(meetingCases.meetingId, meeting.id), eq(identityChecks.status, "pending")))
    .groupBy(identityChecks.agencyId);
  const pending = new Map(counts.map((c) => [c.agencyId, Number(c.n)]));
  return notifyAgencies(tx, {
    area,
    meeting,
    kind: "verification_requested",
    recipients,
    subject: t("notices.verification.subject", { date: formatLongDate(utcToLondon(meeting.startsAt).date) }),
    intro: (agency) => [
      t("notices.verification.intro", { date: meetingDateText(meeting) }),
      t("notices.verification.count", { count: pending.get(agency.id) ?? 0 }),
      t("notices.verification.due", { date: formatLongDate(meeting.verificationDue, "en", { weekday: true }) }),
    ],
    link: appLink(area.code, "/verification"),
    linkText: t("notices.verification.button"),
  });
}

/** The list is circulated: every agency of the panel can see it and starts its research. */
export async function notifyListCirculated(tx: Db, meeting: Meeting) {
  const area = await loadArea(tx, meeting.areaId);
  const t = mailT();
  const [listed] = await tx.select({ n: count() }).from(meetingCases).where(eq(meetingCases.meetingId, meeting.id));
  return notifyAgencies(tx, {
    area,
    meeting,
    kind: "list_circulated",
    recipients: await activeAgencies(tx, area.id),
    subject: t("notices.circulated.subject", { date: formatLongDate(utcToLondon(meeting.startsAt).date) }),
    intro: () => [
      t("notices.circulated.intro", { date: meetingDateText(meeting), count: Number(listed?.n ?? 0) }),
      t("notices.circulated.due", { date: formatLongDate(meeting.researchDue, "en", { weekday: true }) }),
    ],
    link: appLink(area.code, "/research"),
    linkText: t("notices.circulated.button"),
  });
}

/** Minutes are out: tell the agencies that attended or sent apologies (every agency when attendance was not taken). */
export async function notifyMinutesCirculated(tx: Db, meeting: Meeting) {
  const area = await loadArea(tx, meeting.areaId);
  const t = mailT();
  const attended = await tx
    .selectDistinct({ agencyId: attendance.agencyId })
    .from(attendance)
    .where(and(eq(attendance.meetingId, meeting.id), isNotNull(attendance.agencyId), ne(attendance.status, "absent")));
  const ids = attended.map((a) => a.agencyId!).filter(Boolean);
  const recipients = ids.length ? await activeAgencies(tx, area.id, inArray(agencies.id, ids) as ReturnType<typeof eq>) : await activeAgencies(tx, area.id);
  return notifyAgencies(tx, {
    area,
    meeting,
    kind: "minutes_circulated",
    recipients,
    subject: t("notices.minutes.subject", { date: formatLongDate(utcToLondon(meeting.startsAt).date) }),
    intro: () => [t("notices.minutes.intro", { date: meetingDateText(meeting) }), t("notices.minutes.actions")],
    link: appLink(area.code, "/actions"),
    linkText: t("notices.minutes.button"),
  });
}

/**
 * Research due within two working days and not submitted: one notice per
 * agency and meeting, listing the case references still open.
 */
export async function queueResearchDueNotices(db: Db, options: { today: string; areaId?: string }) {
  const open = await db
    .select()
    .from(meetings)
    .where(and(inArray(meetings.status, ["circulated", "in_progress"]), gte(meetings.researchDue, options.today), options.areaId ? eq(meetings.areaId, options.areaId) : undefined));
  let queued = 0;
  for (const meeting of open) {
    const area = await loadArea(db, meeting.areaId);
    if (addWorkingDays(meeting.researchDue, -2, area.nation) > options.today) continue;
    const t = mailT();
    queued += await db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      const missing = await tx
        .select({ agencyId: agencies.id, agency: agencies.name, secureEmail: agencies.secureEmail, reference: cases.reference, meetingCaseId: meetingCases.id })
        .from(meetingCases)
        .innerJoin(cases, eq(cases.id, meetingCases.caseId))
        .innerJoin(agencies, and(eq(agencies.areaId, meeting.areaId), eq(agencies.active, true)))
        .leftJoin(researchReturns, and(eq(researchReturns.meetingCaseId, meetingCases.id), eq(researchReturns.agencyId, agencies.id)))
        .where(and(eq(meetingCases.meetingId, meeting.id), or(isNull(researchReturns.id), eq(researchReturns.status, "draft"))))
        .orderBy(asc(agencies.name), asc(meetingCases.position));
      const byAgency = new Map<string, { name: string; secureEmail: string | null; references: string[] }>();
      for (const m of missing) {
        const entry = byAgency.get(m.agencyId) ?? { name: m.agency, secureEmail: m.secureEmail, references: [] };
        entry.references.push(m.reference ?? "");
        byAgency.set(m.agencyId, entry);
      }
      let n = 0;
      const told: string[] = [];
      for (const [agencyId, entry] of byAgency) {
        const due = formatLongDate(meeting.researchDue, "en", { weekday: true });
        const row = await queueAgencyEmail(tx, {
          area,
          areaId: area.id,
          agency: { name: entry.name, secureEmail: entry.secureEmail ?? "" },
          kind: "research_due",
          idempotencyKey: `research_due:${meeting.id}:${agencyId}`,
          refId: meeting.id,
          subject: t("notices.research.subject", { date: formatLongDate(meeting.researchDue) }),
          noticeLink: appLink(area.code, "/research"),
          content: () => ({
            preview: t("notices.research.subject", { date: formatLongDate(meeting.researchDue) }),
            heading: t("notices.research.heading"),
            intro: [t("notices.research.intro", { date: due, meeting: meetingDateText(meeting), count: entry.references.length })],
            sections: [{ heading: t("notices.research.cases"), items: entry.references.map((r) => ({ text: r })) }],
            button: { text: t("notices.research.button"), href: appLink(area.code, "/research") },
          }),
        });
        if (row) {
          n += 1;
          told.push(agencyId);
        }
      }
      if (told.length) await writeAudit(tx, SYSTEM, { areaId: area.id, action: "mail.notice_queued", entity: "meetings", entityId: meeting.id, detail: { kind: "research_due", agencies: told } });
      return n;
    });
  }
  return queued;
}

/** At most one reminder per overdue action per week, to the owner agency's secure address. */
export const REMINDER_INTERVAL_DAYS = 7;

export async function queueOverdueReminders(db: Db, options: { today: string; areaId?: string; limit?: number }) {
  const recent = db
    .select({ one: sql`1` })
    .from(outbox)
    .where(and(eq(outbox.kind, "action_reminder"), eq(outbox.refId, actions.id), gte(outbox.createdAt, sql`now() - make_interval(days => ${REMINDER_INTERVAL_DAYS})`)));
  const due = await db
    .select({
      id: actions.id,
      caseId: actions.caseId,
      areaId: actions.areaId,
      description: actions.description,
      dueOn: actions.dueOn,
      reference: cases.reference,
      agencyId: agencies.id,
      agency: agencies.name,
      secureEmail: agencies.secureEmail,
      firstName: casePeople.firstName,
      lastName: casePeople.lastName,
    })
    .from(actions)
    .innerJoin(agencies, eq(agencies.id, actions.ownerAgencyId))
    .innerJoin(cases, eq(cases.id, actions.caseId))
    .leftJoin(casePeople, and(eq(casePeople.caseId, actions.caseId), eq(casePeople.role, "victim"), eq(casePeople.position, 0)))
    .where(
      and(
        inArray(actions.status, ["open", "in_progress"]),
        lt(actions.dueOn, options.today),
        isNotNull(agencies.secureEmail),
        eq(agencies.active, true),
        options.areaId ? eq(actions.areaId, options.areaId) : undefined,
        notExists(recent),
      ),
    )
    .orderBy(asc(actions.areaId), asc(actions.dueOn))
    .limit(options.limit ?? 1000);
  const t = mailT();
  const areaCache = new Map<string, Area>();
  let queued = 0;
  for (const action of due) {
    const area = areaCache.get(action.areaId) ?? (await loadArea(db, action.areaId));
    areaCache.set(area.id, area);
    const initials = initialsOf(action.firstName !== null ? { firstName: action.firstName, lastName: action.lastName ?? "" } : null);
    const link = appLink(area.code, `/actions/${action.id}`);
    const row = await db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      const queuedRow = await queueAgencyEmail(tx, {
        area,
        areaId: area.id,
        agency: { name: action.agency, secureEmail: action.secureEmail ?? "" },
        kind: "action_reminder",
        idempotencyKey: `action_reminder:${action.id}:${options.today}`,
        refId: action.id,
        subject: t("notices.reminder.subject"),
        noticeLink: link,
        content: () => ({
          preview: t("notices.reminder.subject"),
          heading: t("notices.reminder.heading"),
          intro: [
            t("notices.reminder.intro", { date: formatLongDate(action.dueOn, "en", { weekday: true }) }),
            [action.reference, initials ? `(${initials})` : "", action.description.trim()].filter(Boolean).join(" "),
            t("notices.reminder.ask"),
          ],
          sections: [],
          button: { text: t("notices.reminder.button"), href: link },
        }),
      });
      if (queuedRow) {
        await writeAudit(tx, SYSTEM, { areaId: area.id, action: "mail.reminder_queued", entity: "actions", entityId: action.id, caseId: action.caseId, detail: { agencyId: action.agencyId } });
      }
      return queuedRow;
    });
    if (row) queued += 1;
  }
  return queued;
}

/** Meetings of any area whose digest date has come and whose digests are not all queued. */
export async function areasWithDigestsDue(db: Db, today: string) {
  const next = await db
    .selectDistinctOn([meetings.areaId], { areaId: meetings.areaId, digestOn: meetings.digestOn, startsAt: meetings.startsAt })
    .from(meetings)
    .where(and(ne(meetings.status, "cancelled"), gte(meetings.startsAt, londonToUtc(today, "00:00"))))
    .orderBy(meetings.areaId, asc(meetings.startsAt));
  return next.filter((m) => m.digestOn <= today).map((m) => m.areaId);
}

