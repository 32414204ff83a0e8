import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button } from "~/components/form";
import { PageHeading, Table } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { formatLongDate, utcToLondon } from "~/lib/london-time";
import { paging, requestedPage } from "~/lib/paging";
import { listActionMeetings, listActions } from "~/models/actions.server";
import { listAgencies } from "~/models/agencies.server";
import { inAuditedReads } from "~/models/audit.server";
import { withAppErrors } from "~/models/errors.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { ActionPages, actionStatusTags } from "../areas.$area.actions._index/present";
import { trackerFilterFromUrl, trackerFilterQuery } from "./filters";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction = () => [{ title: "Action tracker – Panel" }];

const STATUSES = ["open", "in_progress", "completed", "not_completed"] as const;
const TRACKER_PAGE_SIZE = 100;
const ESCALATIONS_SHOWN = 20;

/** The chair's and coordinator's action tracker: filters, counts by agency, the actions, and the escalation report. */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "action:track", { area: params.area });
  const language = languageFromRequest(request);
  const url = new URL(request.url);
  const filter = trackerFilterFromUrl(url);
  // A page of actions at a time: a panel's overdue list across the years can run to thousands (the CSV has them all).
  const page = requestedPage(url);
  // The reads are independent and go out at once. The two audited lists share one transaction,
  // their statements sent together and their audit rows appended together (finding 28).
  const [[{ rows, counts, total }, escalated], agencies, meetings] = await Promise.all([
    inAuditedReads((tx) =>
      Promise.all([
        listActions({ actor: ctx, filter, limit: TRACKER_PAGE_SIZE, offset: (page - 1) * TRACKER_PAGE_SIZE, tx }),
        // The escalation report shows the first few; the escalated filter pages through them all.
        listActions({ actor: ctx, filter: { escalated: true }, limit: ESCALATIONS_SHOWN, counts: false, tx }),
      ]),
    ),
    listAgencies({ actor: ctx.actor, areaId: ctx.area.id }),
    listActionMeetings({ actor: ctx, selectedId: filter.meetingId }),
  ]);
  const present = (r: (typeof rows)[number]) => ({
    id: r.id,
    reference: r.reference,
    meeting: formatLongDate(r.meetingDate, language),
    description: r.description,
    agency: r.agency,
    due: formatLongDate(r.dueOn, language),
    status: r.status,
    overdue: r.overdue,
    escalated: r.escalated,
    carried: r.carriedCount,
  });
  return {
    area: { name: ctx.area.name },
    // Each row links to base/id: one path in the page's data, not one a row (finding 29).
    actionsBase: areaPath(ctx.area.code, "/actions"),
    filter,
    paging: paging({ page, size: TRACKER_PAGE_SIZE, total, path: areaPath(ctx.area.code, "/tracker"), query: new URLSearchParams(trackerFilterQuery(filter)) }),
    csv: `${areaPath(ctx.area.code, "/tracker.csv")}${trackerFilterQuery(filter)}`,
    clear: areaPath(ctx.area.code, "/tracker"),
    agencies: agencies.map((a) => ({ value: a.id, label: a.name })),
    meetings: meetings.map((m) => ({ value: m.id, label: formatLongDate(utcToLondon(m.startsAt).date, language) })),
    counts,
    rows: rows.map(present),
    escalations: escalated.rows.map(present),
    escalationsTotal: escalated.total,
    escalationsAll: `${areaPath(ctx.area.code, "/tracker")}?escalated=on`,
  };
});

function Select({ id, name, label, value, options, any }: { id: string; name: string; label: string; value?: string; options: { value: string; label: string }[]; any: string }) {
  return (
    <div className="govuk-form-group">
      <label className="govuk-label" htmlFor={id}>
        {label}
      </label>
      <select className="govuk-select" id={id} name={name} defaultValue={value ?? ""}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function Check({ id, name, label, checked }: { id: string; name: string; label: string; checked?: boolean }) {
  return (
    <div className="govuk-checkboxes__item">
      <input className="govuk-checkboxes__input" id={id} name={name} type="checkbox" value="on" defaultChecked={checked} />
      <label className="govuk-label govuk-checkboxes__label" htmlFor={id}>
        {label}
      </label>
    </div>
  );
}

export default function TrackerPage() {
  const { area, actionsBase, filter, paging, csv, clear, agencies, meetings, counts, rows, escalations, escalationsTotal, escalationsAll } = useLoaderData<typeof loader>();
  const { t } = useTranslation("actions");
  const head = [t("columns.reference"), t("columns.meeting"), t("columns.description"), t("columns.agency"), t("columns.due"), t("columns.status")];
  const row = (r: (typeof rows)[number]) => [
    <AppLink key="ref" className="govuk-link" to={`${actionsBase}/${r.id}`}>
      {r.reference}
    </AppLink>,
    r.meeting,
    r.description,
    r.agency,
    r.due,
    actionStatusTags(t, r),
  ];
  return (
    <>
      <PageHeading caption={area.name}>{t("tracker.title")}</PageHeading>
      <Form method="get" className="govuk-!-margin-bottom-6">
        <fieldset className="govuk-fieldset">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
            <h2 className="govuk-fieldset__heading">{t("tracker.filtersTitle")}</h2>
          </legend>
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-one-third">
              <Select id="filter-meeting" name="meeting" label={t("tracker.meeting")} value={filter.meetingId} options={meetings} any={t("tracker.any")} />
            </div>
            <div className="govuk-grid-column-one-third">
              <Select id="filter-agency" name="agency" label={t("tracker.agency")} value={filter.agencyId} options={agencies} any={t("tracker.any")} />
            </div>
            <div className="govuk-grid-column-one-third">
              <Select id="filter-status" name="status" label={t("tracker.status")} value={filter.status} options={STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))} any={t("tracker.any")} />
            </div>
          </div>
          <div className="govuk-form-group">
            <div className="govuk-checkboxes govuk-checkboxes--small">
              <Check id="filter-overdue" name="overdue" label={t("tracker.overdueOnly")} checked={filter.overdue} />
              <Check id="filter-escalated" name="escalated" label={t("tracker.escalatedOnly")} checked={filter.escalated} />
            </div>
          </div>
        </fieldset>
        <div className="govuk-button-group">
          <Button secondary>{t("tracker.apply")}</Button>
          <AppLink className="govuk-link" to={clear}>
            {t("tracker.clear")}
          </AppLink>
        </div>
      </Form>
      <h2 className="govuk-heading-m">{t("tracker.countsTitle")}</h2>
      {counts.length === 0 ? (
        <p className="govuk-body">{t("tracker.empty")}</p>
      ) : (
        <Table
          caption={t("tracker.countsCaption")}
          head={[t("columns.agency"), t("columns.open"), t("columns.overdue"), t("columns.completed"), t("columns.notCompleted")]}
          rows={counts.map((c) => [c.agency, String(c.open), String(c.overdue), String(c.completed), String(c.notCompleted)])}
        />
      )}
      <h2 className="govuk-heading-m">{t("tracker.actionsTitle")}</h2>
      <p className="govuk-body">
        <a className="govuk-link" href={csv} download>
          {t("tracker.download")}
        </a>
      </p>
      {rows.length === 0 ? (
        <p className="govuk-body">{paging.total === 0 ? t("tracker.empty") : t("paging.pastEnd")}</p>
      ) : (
        <Table caption={t("paging.showing", { from: paging.from, to: paging.to, count: paging.total })} head={head} rows={rows.map(row)} />
      )}
      <ActionPages paging={paging} />
      <h2 className="govuk-heading-m" id="escalations">
        {t("tracker.escalationsTitle")}
      </h2>
      <p className="govuk-body">{t("tracker.escalationsIntro")}</p>
      {escalations.length === 0 ? (
        <p className="govuk-body">{t("tracker.escalationsEmpty")}</p>
      ) : (
        <>
          <Table
            caption={t("tracker.escalationsCaption")}
            head={[...head, t("columns.carried")]}
            rows={escalations.map((r) => [...row(r), t("tracker.carried", { count: r.carried })])}
          />
          {escalationsTotal > escalations.length ? (
            <p className="govuk-body">
              <AppLink className="govuk-link" to={escalationsAll}>
                {t("tracker.escalationsAll", { shown: escalations.length, count: escalationsTotal })}
              </AppLink>
            </p>
          ) : null}
        </>
      )}
    </>
  );
}
