import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PageHeading, Table, Tag } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { formatLongDate } from "~/lib/london-time";
import { withAppErrors } from "~/models/errors.server";
import { listResearchTasks } from "~/models/preparation/research.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction = () => [{ title: "Research returns – Panel" }];

const STATUS_COLOURS = { none: "grey", draft: "yellow", submitted: "green", nothing_held: "blue" } as const;

/** The agency's research returns for circulated lists. */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "research:submit", { area: params.area });
  const language = languageFromRequest(request);
  const tasks = await listResearchTasks({ actor: ctx });
  return {
    area: { name: ctx.area.name },
    tasks: tasks.map((r) => ({
      meetingCaseId: r.meetingCaseId,
      reference: r.reference,
      meetingDate: formatLongDate(r.meetingDate, language),
      due: formatLongDate(r.due, language),
      status: r.status as keyof typeof STATUS_COLOURS,
      late: r.late,
      overdue: r.overdue,
      href: areaPath(ctx.area.code, `/research/${r.meetingCaseId}`),
    })),
  };
});

export default function ResearchTasks() {
  const { area, tasks } = useLoaderData<typeof loader>();
  const { t } = useTranslation("preparation");
  return (
    <>
      <PageHeading caption={area.name}>{t("research.title")}</PageHeading>
      {tasks.length === 0 ? (
        <p className="govuk-body">{t("research.none")}</p>
      ) : (
        <Table
          caption={t("research.caption")}
          head={[t("research.columns.reference"), t("research.columns.meeting"), t("research.columns.due"), t("research.columns.status"), t("research.columns.open")]}
          rows={tasks.map((r) => [
            r.reference,
            r.meetingDate,
            r.due,
            <span key="status">
              <Tag colour={STATUS_COLOURS[r.status]}>{t(`researchStatuses.${r.status}`)}</Tag> {r.late ? <Tag colour="orange">{t("late")}</Tag> : null}{" "}
              {r.overdue ? <Tag colour="red">{t("overdue")}</Tag> : null}
            </span>,
            <AppLink key="open" className="govuk-link" to={r.href}>
              {t("research.open")}
              <span className="govuk-visually-hidden"> {r.reference}</span>
            </AppLink>,
          ])}
        />
      )}
    </>
  );
}
