import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PageHeading, Tag } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { formatLongDate, todayInLondon, utcToLondon } from "~/lib/london-time";
import { listActions } from "~/models/actions.server";
import { listReferralsForReview } from "~/models/cases/referrals.server";
import { CIRCULATED_STATUSES, listMeetings } from "~/models/meetings.server";
import { listResearchTasks } from "~/models/preparation/research.server";
import { listVerificationTasks } from "~/models/preparation/verification.server";
import { listContactCases } from "~/models/preparation/victim-contact.server";
import { presentMeeting } from "./areas.$area.meetings._index/present";
import { areaPath, can, requireAreaMember, type AreaContext } from "~/policy/index.server";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.area.name ?? "Home"} – Panel` }];

/** For the coordinator: referrals to review and the next meeting; for others: the next circulated list. */
async function meetingWork(ctx: AreaContext, language: string) {
  if (!can(ctx, "list:read")) return null;
  const compile = can(ctx, "list:compile");
  const toReview = compile ? (await listReferralsForReview({ actor: ctx })).length : null;
  const today = todayInLondon();
  const next = (await listMeetings({ actor: ctx, today })).find(
    (r) =>
      utcToLondon(r.meeting.startsAt).date >= today &&
      r.meeting.status !== "cancelled" &&
      (compile || (CIRCULATED_STATUSES as readonly string[]).includes(r.meeting.status)),
  );
  const meeting = next ? presentMeeting(next.meeting, language) : null;
  return {
    compile,
    toReview,
    reviewHref: areaPath(ctx.area.code, "/review"),
    next: meeting && next ? { when: meeting.when, cutoff: meeting.timetable.referralCutoff, cases: next.caseCount, href: areaPath(ctx.area.code, `/meetings/${meeting.id}`) } : null,
  };
}

/** For IDVAs: cases on the next meeting with no contact with the victim yet. */
async function contactWork(ctx: AreaContext, language: string) {
  if (!ctx.roles.includes("idva") || !can(ctx, "contact:read") || !can(ctx, "safe_contact:read")) return null;
  const list = await listContactCases({ actor: ctx });
  if (list.length === 0) return null;
  const next = list[0].meetingDate;
  return {
    date: formatLongDate(next, language),
    noContact: list.filter((r) => r.meetingDate === next && r.contact === "none").length,
    href: areaPath(ctx.area.code, "/cases"),
  };
}

/** For agencies: open identity checks and research returns, with the overdue ones first. */
async function preparationWork(ctx: AreaContext, language: string) {
  const checks = (await listVerificationTasks({ actor: ctx })).filter((r) => r.status === "pending");
  const research = (await listResearchTasks({ actor: ctx })).filter((r) => r.status === "none" || r.status === "draft");
  const item = (kind: "verification" | "research", open: { due: string; overdue: boolean }[]) => ({
    kind,
    count: open.length,
    overdue: open.filter((r) => r.overdue).length,
    nextDue: formatLongDate(open.map((r) => r.due).sort()[0], language),
    href: areaPath(ctx.area.code, `/${kind}`),
  });
  return [...(checks.length ? [item("verification", checks)] : []), ...(research.length ? [item("research", research)] : [])].sort((a, b) => b.overdue - a.overdue);
}

/** For agency representatives and IDVAs: their agency's open actions, with how many are overdue. */
async function actionWork(ctx: AreaContext) {
  if (!can(ctx, "action:update") || can(ctx, "action:track") || !ctx.agencyId) return null;
  const { counts } = await listActions({ actor: ctx, limit: 1 });
  const own = counts.find((c) => c.agencyId === ctx.agencyId);
  return { open: own?.open ?? 0, overdue: own?.overdue ?? 0, href: areaPath(ctx.area.code, "/actions") };
}

/** The panel home: what this user is, and what is due for them. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAreaMember(request, params.area);
  const mine = ctx.user.memberships.filter((m) => m.areaId === ctx.area.id);
  const work = await meetingWork(ctx, languageFromRequest(request));
  const contact = await contactWork(ctx, languageFromRequest(request));
  const preparation = await preparationWork(ctx, languageFromRequest(request));
  const actionsDue = await actionWork(ctx);
  return {
    area: { name: ctx.area.name, code: ctx.area.code },
    roles: ctx.roles,
    agencyName: mine.find((m) => m.agencyName)?.agencyName ?? null,
    work,
    contact,
    preparation,
    actionsDue,
    links: {
      referrals: can(ctx, "case:refer") ? areaPath(ctx.area.code, "/referrals") : null,
      admin: can(ctx, "area:admin") ? areaPath(ctx.area.code, "/admin") : null,
      audit: can(ctx, "audit:read") ? areaPath(ctx.area.code, "/audit") : null,
    },
  };
}

export default function AreaHome() {
  const { area, roles, agencyName, links, work, contact, preparation } = useLoaderData<typeof loader>();
  const { actionsDue } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <PageHeading caption={roles.map((r) => t(`roles.${r}`)).join(", ")}>{t("home.title", { area: area.name })}</PageHeading>
      {agencyName ? <p className="govuk-body">{t("home.agency", { agency: agencyName })}</p> : null}
      <h2 className="govuk-heading-m">{t("home.due")}</h2>
      {work ? <MeetingWork work={work} /> : contact || preparation.length ? null : <p className="govuk-body">{t("home.nothingDue")}</p>}
      {contact ? (
        <p className="govuk-body">
          <AppLink className="govuk-link" to={contact.href}>
            {contact.noContact > 0 ? t("contact:home.noContact", { count: contact.noContact, date: contact.date }) : t("contact:home.allContacted", { date: contact.date })}
          </AppLink>
        </p>
      ) : null}
      {preparation.length ? (
        <ul className="govuk-list">
          {preparation.map((p) => (
            <li key={p.kind}>
              <AppLink className="govuk-link" to={p.href}>
                {t(`preparation:home.${p.kind}`, { count: p.count })}
              </AppLink>{" "}
              {t("preparation:home.nextDue", { date: p.nextDue })} {p.overdue ? <Tag colour="red">{t("preparation:home.overdue", { count: p.overdue })}</Tag> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {actionsDue ? (
        <p className="govuk-body">
          {actionsDue.overdue ? (
            <>
              <Tag colour="red">{t("actions:home.overdue", { count: actionsDue.overdue })}</Tag>{" "}
            </>
          ) : null}
          <AppLink className="govuk-link" to={actionsDue.href}>
            {actionsDue.open ? t("actions:home.open", { count: actionsDue.open }) : t("actions:home.none")}
          </AppLink>
        </p>
      ) : null}
      {links.referrals ? (
        <>
          <h2 className="govuk-heading-m">
            <AppLink className="govuk-link" to={links.referrals}>
              {t("home.referTasks")}
            </AppLink>
          </h2>
          <p className="govuk-body">{t("home.referTasksBody")}</p>
        </>
      ) : null}
      {links.admin ? (
        <>
          <h2 className="govuk-heading-m">
            <AppLink className="govuk-link" to={links.admin}>
              {t("home.adminTasks")}
            </AppLink>
          </h2>
          <p className="govuk-body">{t("home.adminTasksBody")}</p>
        </>
      ) : null}
      {links.audit ? (
        <>
          <h2 className="govuk-heading-m">
            <AppLink className="govuk-link" to={links.audit}>
              {t("home.auditTasks")}
            </AppLink>
          </h2>
          <p className="govuk-body">{t("home.auditTasksBody")}</p>
        </>
      ) : null}
    </>
  );
}

function MeetingWork({ work }: { work: NonNullable<Awaited<ReturnType<typeof loader>>["work"]> }) {
  const { t } = useTranslation("meetings");
  return (
    <ul className="govuk-list">
      {work.toReview !== null ? (
        <li>
          <AppLink className="govuk-link" to={work.reviewHref}>
            {t("home.toReview", { count: work.toReview })}
          </AppLink>
        </li>
      ) : null}
      <li>
        {work.next ? (
          <>
            <AppLink className="govuk-link" to={work.next.href}>
              {t(work.compile ? "home.nextMeeting" : "home.nextCirculated", { when: work.next.when })}
            </AppLink>
            {work.compile ? <> {t("home.nextMeetingDetails", { cases: t("list.cases", { count: work.next.cases }), cutoff: work.next.cutoff })}</> : null}
          </>
        ) : (
          t("home.noMeeting")
        )}
      </li>
    </ul>
  );
}
