import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary, RadiosField, TextArea, TextField, useSchemaForm } from "~/components/form";
import { BackLink, PageHeading, SummaryList, Table } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm, replyWithAppError } from "~/lib/forms.server";
import { formatLongDate, utcToLondon } from "~/lib/london-time";
import { getAction, updateActionStatus, type StatusChange } from "~/models/actions.server";
import { getAgency } from "~/models/agencies.server";
import { AppError, withAppErrors } from "~/models/errors.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { ActionStatusTag } from "../areas.$area.actions._index/present";
import { ActionUpdateSchema } from "./schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.action.reference ?? ""} – Panel` }];

/** One action with its history and the progress form (owner agency, coordinator or chair; other agencies 404). */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "action:update", { area: params.area });
  const language = languageFromRequest(request);
  const { action, history, reference } = await getAction({ actor: ctx, actionId: params.actionId ?? "" });
  const agency = await getAgency({ actor: ctx.actor, areaId: ctx.area.id, agencyId: action.ownerAgencyId });
  const closed = action.status === "completed" || action.status === "not_completed";
  return {
    area: { name: ctx.area.name },
    back: areaPath(ctx.area.code, "/actions"),
    action: {
      reference,
      description: action.description,
      agency: agency.name,
      owner: action.ownerName,
      due: formatLongDate(action.dueOn, language),
      priority: action.priority,
      status: action.status,
      completedOn: action.completedOn ? formatLongDate(action.completedOn, language) : null,
      reason: action.notCompletedReason,
      note: action.note,
      version: action.version,
    },
    editable: !closed || ctx.permissions.has("action:track"),
    history: history.map((h) => {
      const at = utcToLondon(h.at);
      return { id: h.id, when: `${formatLongDate(at.date, language)} ${at.time}`, from: h.fromStatus, to: h.toStatus, note: h.note, changes: h.changes };
    }),
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "action:update", { area: params.area });
  const actionId = params.actionId ?? "";
  // An action the user may not see answers 404 before any form is read.
  const { reference } = await getAction({ actor: ctx, actionId });
  const parsed = await parseForm(request, ActionUpdateSchema);
  if (!parsed.ok) return parsed.response;
  const v = parsed.value;
  const change: StatusChange =
    v.status === "completed"
      ? { status: "completed", completedOn: v.completedOn ?? "", note: v.note ?? "" }
      : v.status === "not_completed"
        ? { status: "not_completed", reason: v.reason ?? "not_undertaken", note: v.note ?? "" }
        : { status: "in_progress", note: v.note || undefined };
  try {
    await updateActionStatus({ actor: ctx, actionId, version: v.version, change });
  } catch (error) {
    if (error instanceof AppError && error.code === "CONFLICT") {
      const current = (error.options.detail as { current?: { status: string } } | undefined)?.current;
      return data({ conflict: error.messageKey, currentStatus: current?.status ?? null }, { status: 409 });
    }
    return replyWithAppError(parsed.submission, error);
  }
  return redirectWithFlash(areaPath(ctx.area.code, "/actions"), { key: "actions:action.updated", values: { reference } });
});

export default function ActionPage() {
  const { area, back, action: item, editable, history } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation("actions");
  const [form, fields] = useSchemaForm(ActionUpdateSchema, {
    id: `action-${item.version}`,
    lastResult: actionData && "result" in actionData ? actionData.result : undefined,
    defaultValue: { status: item.status === "open" ? undefined : item.status },
  });
  const conflict =
    actionData && "conflict" in actionData
      ? [
          {
            message:
              actionData.conflict === "errors.stale"
                ? `actions:action.conflict|${JSON.stringify({ status: t(`statuses.${("currentStatus" in actionData ? actionData.currentStatus : null) ?? item.status}`) })}`
                : actionData.conflict,
          },
        ]
      : [];
  const historyText = (h: (typeof history)[number]) => {
    if (h.changes.includes("created")) return t("action.created");
    if (h.from === h.to) return t("action.revised");
    return t("action.changed", { from: h.from ? t(`statuses.${h.from}`) : "", to: t(`statuses.${h.to}`) });
  };
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={back}>{t("list.title")}</BackLink>
        <ErrorSummary form={form} extra={conflict} />
        <PageHeading caption={area.name}>{t("action.title", { reference: item.reference })}</PageHeading>
        <SummaryList
          rows={[
            { key: t("action.fields.reference"), value: item.reference },
            { key: t("action.fields.description"), value: <span className="panel-pre-line">{item.description}</span> },
            { key: t("action.fields.agency"), value: item.agency },
            { key: t("action.fields.owner"), value: item.owner || t("action.notSet") },
            { key: t("action.fields.due"), value: item.due },
            { key: t("action.fields.priority"), value: t(`priorities.${item.priority}`) },
            { key: t("action.fields.status"), value: <ActionStatusTag status={item.status} /> },
            ...(item.completedOn ? [{ key: t("action.fields.completedOn"), value: item.completedOn }] : []),
            ...(item.reason ? [{ key: t("action.fields.reason"), value: t(`reasons.${item.reason}`) }] : []),
            ...(item.note ? [{ key: t("action.fields.note"), value: <span className="panel-pre-line">{item.note}</span> }] : []),
          ]}
        />
        <h2 className="govuk-heading-m">{t("action.historyTitle")}</h2>
        <Table
          caption={t("action.historyCaption")}
          head={[t("action.history.when"), t("action.history.change"), t("action.history.note")]}
          rows={history.map((h) => [h.when, historyText(h), h.note])}
        />
        {editable ? (
          <>
            <h2 className="govuk-heading-m">{t("action.updateTitle")}</h2>
            <Form method="post" {...getFormProps(form)}>
              <input type="hidden" name="version" value={item.version} />
              <RadiosField
                field={fields.status}
                legend={t("action.statusLegend")}
                options={(["in_progress", "completed", "not_completed"] as const).map((s) => ({ value: s, label: t(`statuses.${s}`) }))}
              />
              <TextField field={fields.completedOn} label={t("action.completedOn")} hint={t("action.completedOnHint")} width="10" spellCheck={false} />
              <RadiosField
                field={fields.reason}
                legend={t("action.reason")}
                options={(["circumstances_changed", "not_undertaken"] as const).map((r) => ({ value: r, label: t(`reasons.${r}`) }))}
              />
              <TextArea field={fields.note} label={t("action.note")} hint={t("action.noteHint")} rows={4} />
              <Button disabled={busy}>{t("action.save")}</Button>
            </Form>
          </>
        ) : (
          <p className="govuk-body">{t("action.closed")}</p>
        )}
      </div>
    </div>
  );
}
