import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary, SelectField, TextField, useSchemaForm } from "~/components/form";
import { PageHeading, Pagination, Table } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { londonToUtc } from "~/lib/london-time";
import { decodeAuditCursor, GLOBAL_CHAIN, listAuditEvents, listAuditUserOptions } from "~/models/audit.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { formatUkDateTime, isoDate, nextDay, parseCalendarDate } from "./dates";
import { AuditFilterSchema } from "./schema";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction = () => [{ title: "Audit log – Panel" }];

const FILTER_FIELDS = ["user", "action", "entity", "from", "to"] as const;

/** The log of everything done in the panel, newest first. Admins only; reading it is itself logged. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, "audit:read", { area: params.area });
  const url = new URL(request.url);
  const language = languageFromRequest(request);
  const userOptions = await listAuditUserOptions({ areaId: ctx.area.id });
  const base = {
    area: { name: ctx.area.name },
    userOptions: userOptions.map((u) => ({ value: u.id, label: `${u.name} (${u.email})` })),
    filters: Object.fromEntries(FILTER_FIELDS.map((f) => [f, url.searchParams.get(f) ?? ""])) as Record<(typeof FILTER_FIELDS)[number], string>,
    events: [] as ReturnType<typeof presentEvent>[],
    olderHref: null as string | null,
    newestHref: null as string | null,
  };
  const submission = parseWithZod(url.searchParams, { schema: AuditFilterSchema });
  if (submission.status !== "success") return data({ ...base, result: submission.reply() }, { status: 400 });
  const value = submission.value;
  if (value.user && !userOptions.some((u) => u.id === value.user)) {
    return data({ ...base, result: submission.reply({ fieldErrors: { user: ["audit:errors.userInvalid"] } }) }, { status: 400 });
  }
  const beforeParam = url.searchParams.get("before");
  const before = beforeParam ? decodeAuditCursor(beforeParam) : undefined;
  if (before === null) return data({ ...base, result: submission.reply({ formErrors: ["audit:errors.cursorInvalid"] }) }, { status: 400 });

  const from = value.from ? parseCalendarDate(value.from) : null;
  const to = value.to ? parseCalendarDate(value.to) : null;
  const page = await listAuditEvents({
    actor: ctx.actor,
    filter: {
      areaId: ctx.area.id,
      userId: value.user,
      action: value.action,
      entity: value.entity,
      // "To" includes the whole of that day: events before the next UK midnight.
      from: from ? londonToUtc(isoDate(from), "00:00") : undefined,
      to: to ? londonToUtc(isoDate(nextDay(to)), "00:00") : undefined,
      before,
    },
  });
  const kept = new URLSearchParams();
  for (const field of FILTER_FIELDS) if (value[field]) kept.set(field, value[field]!);
  const listPath = areaPath(ctx.area.code, "/audit");
  const withParams = (extra: Record<string, string>) => {
    const q = new URLSearchParams(kept);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    const text = q.toString();
    return text ? `${listPath}?${text}` : listPath;
  };
  return data({
    ...base,
    result: undefined,
    events: page.events.map((e) => presentEvent(e, language)),
    olderHref: page.nextBefore ? withParams({ before: page.nextBefore }) : null,
    newestHref: before ? withParams({}) : null,
  });
}

type ListedEvent = Awaited<ReturnType<typeof listAuditEvents>>["events"][number];

function presentEvent(e: ListedEvent, language: string) {
  return {
    id: e.id,
    chain: e.chain === GLOBAL_CHAIN ? ("accounts" as const) : ("panel" as const),
    seq: e.seq,
    at: e.at.toISOString(),
    time: formatUkDateTime(e.at, language),
    who: e.userId
      ? { kind: "user" as const, name: e.userName ?? "", email: e.userEmail ?? "" }
      : { kind: e.action.startsWith("auth.") ? ("anonymous" as const) : ("system" as const) },
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    caseId: e.caseId,
    ip: e.ip,
    detail: Object.entries(e.detail ?? {}).map(([key, v]) => [key, typeof v === "string" ? v : JSON.stringify(v)] as const),
  };
}

export default function AuditLog() {
  // A new set of filters is a new form: remount so the fields show what was applied.
  const location = useLocation();
  return <AuditLogPage key={location.search} />;
}

function AuditLogPage() {
  const { area, userOptions, filters, events, olderHref, newestHref, result } = useLoaderData<typeof loader>();
  const { t } = useTranslation("audit");
  const navigation = useNavigation();
  const { pathname } = useLocation();
  const [form, fields] = useSchemaForm(AuditFilterSchema, {
    id: "audit-filter",
    lastResult: result,
    defaultValue: filters,
  });
  return (
    <>
      <ErrorSummary form={form} />
      <PageHeading caption={area.name}>{t("title")}</PageHeading>
      <p className="govuk-body">{t("intro")}</p>
      <Form method="get" {...getFormProps(form)}>
        <h2 className="govuk-heading-m">{t("filters.title")}</h2>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-third">
            <SelectField field={fields.user} label={t("filters.user")} options={userOptions} placeholder={t("filters.anyone")} />
          </div>
          <div className="govuk-grid-column-one-third">
            <TextField field={fields.action} label={t("filters.action")} hint={t("filters.actionHint")} spellCheck={false} />
          </div>
          <div className="govuk-grid-column-one-third">
            <TextField field={fields.entity} label={t("filters.entity")} hint={t("filters.entityHint")} spellCheck={false} />
          </div>
        </div>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-third">
            <TextField field={fields.from} label={t("filters.from")} hint={t("filters.dateHint")} width="10" />
          </div>
          <div className="govuk-grid-column-one-third">
            <TextField field={fields.to} label={t("filters.to")} hint={t("filters.dateHint")} width="10" />
          </div>
        </div>
        <div className="govuk-button-group">
          <Button disabled={navigation.state === "loading" && navigation.formMethod === "GET"}>{t("filters.apply")}</Button>
          <AppLink className="govuk-link" to={pathname}>
            {t("common:actions.clearFilters")}
          </AppLink>
        </div>
      </Form>
      {events.length === 0 ? (
        <p className="govuk-body">{result ? t("notShown") : t("empty")}</p>
      ) : (
        <Table
          caption={t("table.caption")}
          head={[t("table.time"), t("table.who"), t("table.action"), t("table.record"), t("table.case"), t("table.ip"), t("table.detail"), t("table.chain")]}
          rows={events.map((e) => [
            <time dateTime={e.at} key="time">
              {e.time}
            </time>,
            e.who.kind === "user" ? (
              <span key="who">
                {e.who.name}
                <br />
                <span className="govuk-body-s">{e.who.email}</span>
              </span>
            ) : (
              t(`who.${e.who.kind}`)
            ),
            <code key="action">{e.action}</code>,
            <span key="record">
              {e.entity}
              {e.entityId ? (
                <>
                  <br />
                  <span className="govuk-body-s panel-break-anywhere">{e.entityId}</span>
                </>
              ) : null}
            </span>,
            e.caseId ? (
              <span key="case" className="govuk-body-s panel-break-anywhere">
                {e.caseId}
              </span>
            ) : (
              ""
            ),
            e.ip ?? "",
            e.detail.length ? (
              <ul key="detail" className="govuk-list govuk-body-s">
                {e.detail.map(([k, v]) => (
                  <li key={k} className="panel-break-anywhere">
                    {k}: {v}
                  </li>
                ))}
              </ul>
            ) : (
              ""
            ),
            t(`chain.${e.chain}`, { seq: e.seq }),
          ])}
        />
      )}
      <Pagination label={t("pagination.label")} previous={newestHref ? { to: newestHref, text: t("pagination.newest") } : null} next={olderHref ? { to: olderHref, text: t("pagination.older") } : null} />
    </>
  );
}
