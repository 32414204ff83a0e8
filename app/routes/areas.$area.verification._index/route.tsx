import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PageHeading, Table, Tag } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { formatLongDate } from "~/lib/london-time";
import { withAppErrors } from "~/models/errors.server";
import { listVerificationTasks } from "~/models/preparation/verification.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction = () => [{ title: "Identity verification – Panel" }];

const CHECK_STATUS_COLOURS = { pending: "grey", confirmed: "green", corrected: "blue", not_known: "yellow" } as const;

/** The agency's identity checks, grouped by meeting and listed case. */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "identity:verify", { area: params.area });
  const language = languageFromRequest(request);
  const tasks = await listVerificationTasks({ actor: ctx });
  const meetings: { meetingId: string; date: string; due: string; cases: { reference: string; checks: typeof rows }[] }[] = [];
  const rows = tasks.map((t) => ({
    checkId: t.checkId,
    role: t.role,
    initials: t.initials,
    status: t.status,
    overdue: t.overdue,
    due: formatLongDate(t.due, language),
    href: areaPath(ctx.area.code, `/verification/${t.checkId}`),
  }));
  tasks.forEach((t, i) => {
    let m = meetings.find((x) => x.meetingId === t.meetingId);
    if (!m) meetings.push((m = { meetingId: t.meetingId, date: formatLongDate(t.meetingDate, language), due: formatLongDate(t.due, language), cases: [] }));
    let c = m.cases.find((x) => x.reference === t.reference);
    if (!c) m.cases.push((c = { reference: t.reference, checks: [] }));
    c.checks.push(rows[i]);
  });
  return { area: { name: ctx.area.name }, meetings };
});

export default function VerificationTasks() {
  const { area, meetings } = useLoaderData<typeof loader>();
  const { t } = useTranslation("preparation");
  return (
    <>
      <PageHeading caption={area.name}>{t("verification.title")}</PageHeading>
      {meetings.length === 0 ? <p className="govuk-body">{t("verification.none")}</p> : null}
      {meetings.map((m) => (
        <section key={m.meetingId} aria-labelledby={`meeting-${m.meetingId}`}>
          <h2 className="govuk-heading-m" id={`meeting-${m.meetingId}`}>
            {t("verification.meetingCaption", { date: m.date, due: m.due })}
          </h2>
          {m.cases.map((c) => (
            <Table
              key={c.reference}
              caption={t("verification.caseHeading", { reference: c.reference })}
              head={[t("verification.columns.role"), t("verification.columns.initials"), t("verification.columns.due"), t("verification.columns.status"), t("verification.columns.open")]}
              rows={c.checks.map((r) => [
                t(`roles.${r.role}`),
                r.initials,
                r.due,
                <span key="status">
                  <Tag colour={CHECK_STATUS_COLOURS[r.status]}>{t(`checkStatuses.${r.status}`)}</Tag> {r.overdue ? <Tag colour="red">{t("overdue")}</Tag> : null}
                </span>,
                <AppLink key="open" className="govuk-link" to={r.href}>
                  {t("verification.open")}
                  <span className="govuk-visually-hidden">
                    {" "}
                    {c.reference} {t(`roles.${r.role}`)}
                  </span>
                </AppLink>,
              ])}
            />
          ))}
        </section>
      ))}
    </>
  );
}
