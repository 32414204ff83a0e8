import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PageHeading, Table } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { formatLongDate, todayInLondon } from "~/lib/london-time";
import { paging, requestedPage } from "~/lib/paging";
import { addCalendarDays } from "~/lib/timetable";
import { listActions } from "~/models/actions.server";
import { withAppErrors } from "~/models/errors.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { ActionPages, actionStatusTags } from "./present";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction = () => [{ title: "Actions – Panel" }];

const RECENT_DAYS = 90;
const PAGE_SIZE = 100;

/** The agency's actions (all actions for the coordinator and chair), overdue first. */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "action:update", { area: params.area });
  const language = languageFromRequest(request);
  // By default the working list: incomplete actions and those closed in the last 90 days.
  const url = new URL(request.url);
  const all = url.searchParams.get("all") === "1";
  // A page at a time: an agency's list across a large panel can run to hundreds.
  const page = requestedPage(url);
  const filter = all ? {} : { changedSince: addCalendarDays(todayInLondon(), -RECENT_DAYS) };
  const { rows, total } = await listActions({ actor: ctx, counts: false, filter, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const base = areaPath(ctx.area.code, "/actions");
  // An agency's own list would repeat its name on every row: the owner is shown only where rows can differ.
  const everyAgency = ctx.permissions.has("action:track");
  return {
    area: { name: ctx.area.name },
    // Each row links to base/id: one path in the page's data, not one a row (finding 29).
    base,
    all,
    everyAgency,
    toggle: all ? base : `${base}?all=1`,
    paging: paging({ page, size: PAGE_SIZE, total, path: base, query: new URLSearchParams(all ? { all: "1" } : {}) }),
    rows: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      description: r.description,
      agency: everyAgency ? r.agency : null,
      due: formatLongDate(r.dueOn, language),
      status: r.status,
      overdue: r.overdue,
      escalated: r.escalated,
    })),
  };
});

export default function ActionsPage() {
  const { area, base, rows, all, everyAgency, toggle, paging } = useLoaderData<typeof loader>();
  const { t } = useTranslation("actions");
  return (
    <>
      <PageHeading caption={area.name}>{t("list.title")}</PageHeading>
      <p className="govuk-body">{everyAgency ? t("list.introAll") : t("list.intro")}</p>
      <p className="govuk-body">
        {all ? t("list.showingAll") : t("list.showingRecent", { days: RECENT_DAYS })}{" "}
        <AppLink className="govuk-link" to={toggle}>
          {all ? t("list.showRecent") : t("list.showAll")}
        </AppLink>
      </p>
      {rows.length === 0 ? (
        <p className="govuk-body">{paging.total === 0 ? t("list.empty") : t("paging.pastEnd")}</p>
      ) : (
        <Table
          caption={t("paging.showing", { from: paging.from, to: paging.to, count: paging.total })}
          head={[t("columns.reference"), t("columns.description"), ...(everyAgency ? [t("columns.agency")] : []), t("columns.due"), t("columns.status"), <span key="u" className="govuk-visually-hidden">{t("list.update")}</span>]}
          rows={rows.map((r) => [
            r.reference,
            r.description,
            ...(everyAgency ? [r.agency] : []),
            r.due,
            actionStatusTags(t, r),
            <AppLink key="l" className="govuk-link" to={`${base}/${r.id}`}>
              {t("list.update")}
              <span className="govuk-visually-hidden"> {r.reference}</span>
            </AppLink>,
          ])}
        />
      )}
      <ActionPages paging={paging} />
    </>
  );
}
