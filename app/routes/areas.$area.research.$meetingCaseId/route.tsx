import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary, TextArea, TextField, useSchemaForm } from "~/components/form";
import { BackLink, InsetText, PageHeading, SummaryList, Tag, WarningText } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm, replyWithAppError } from "~/lib/forms.server";
import { formatLongDate, utcToLondon } from "~/lib/london-time";
import { withAppErrors } from "~/models/errors.server";
import { getOwnResearch, saveResearch } from "~/models/preparation/research.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { BLANK_FACT_ROWS, ResearchSchema } from "./schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.reference ?? ""} – Panel` }];

const TEXT_FIELDS = ["opinion", "actionsInPlace", "suggestedActions"] as const;

/** The agency's research return for one listed case: draft, submit, or "no information held". */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "research:submit", { area: params.area });
  const language = languageFromRequest(request);
  const view = await getOwnResearch({ actor: ctx, meetingCaseId: params.meetingCaseId ?? "" });
  const ret = view.ret;
  return {
    area: { name: ctx.area.name },
    back: areaPath(ctx.area.code, "/research"),
    reference: view.reference,
    meetingDate: formatLongDate(utcToLondon(view.meeting.startsAt).date, language),
    due: formatLongDate(view.meeting.researchDue, language),
    pastDeadline: view.pastDeadline,
    editable: view.editable,
    status: ret?.status ?? "none",
    late: ret?.late ?? false,
    version: ret?.version ?? null,
    values: {
      facts: (ret?.facts ?? []).map((f) => ({ date: f.date, text: f.text })),
      opinion: ret?.opinion ?? "",
      actionsInPlace: ret?.actionsInPlace ?? "",
      suggestedActions: ret?.suggestedActions ?? "",
      withheld: ret?.withheld ?? "",
      withheldReason: ret?.withheldReason ?? "",
    },
    factDates: (ret?.facts ?? []).map((f) => formatLongDate(f.date, language)),
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "research:submit", { area: params.area });
  const parsed = await parseForm(request, ResearchSchema);
  if (!parsed.ok) return parsed.response;
  const { intent, version, ...values } = parsed.value;
  try {
    const meetingCaseId = params.meetingCaseId ?? "";
    const saved = await saveResearch({ actor: ctx, meetingCaseId, version: version ?? null, intent, values });
    const key = saved.status === "draft" ? "savedDraft" : saved.status === "submitted" ? "submitted" : "submittedNothing";
    const { reference } = await getOwnResearch({ actor: ctx, meetingCaseId });
    return redirectWithFlash(areaPath(ctx.area.code, "/research"), { key: `preparation:research.${key}`, values: { reference } });
  } catch (error) {
    return replyWithAppError(parsed.submission, error);
  }
});

export default function ResearchReturnPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation("preparation");
  const blank = Array.from({ length: BLANK_FACT_ROWS }, () => ({ date: "", text: "" }));
  const [form, fields] = useSchemaForm(ResearchSchema, {
    id: `research-${data.version ?? 0}`,
    lastResult: actionData && "result" in actionData ? actionData.result : undefined,
    defaultValue: { ...data.values, facts: [...data.values.facts, ...blank] },
  });
  const conflict = actionData && "conflict" in actionData ? [{ message: actionData.conflict }] : [];
  const factRows = fields.facts.getFieldList();
  const statusTag = (
    <p className="govuk-body">
      {t("research.status", { status: t(`researchStatuses.${data.status}`) })} {data.late ? <Tag colour="orange">{t("late")}</Tag> : null}
    </p>
  );
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={data.back}>{t("research.title")}</BackLink>
        <ErrorSummary form={form} extra={conflict} />
        <PageHeading caption={data.area.name}>{t("research.formTitle", { reference: data.reference })}</PageHeading>
        <p className="govuk-body">{t("research.meetingOn", { date: data.meetingDate, due: data.due })}</p>
        {statusTag}
        {data.pastDeadline && data.editable ? <WarningText>{t("research.deadlinePassed")}</WarningText> : null}
        {!data.editable ? (
          <>
            <InsetText>{t("research.readOnly")}</InsetText>
            <SummaryList
              rows={[
                {
                  key: t("research.factsTitle"),
                  value: data.values.facts.length ? (
                    <ul className="govuk-list">
                      {data.values.facts.map((f, i) => (
                        <li key={i}>
                          {data.factDates[i]}: {f.text}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    t("empty")
                  ),
                },
                ...[...TEXT_FIELDS, "withheld" as const, "withheldReason" as const].map((k) => ({
                  key: t(`research.${k}`),
                  value: data.values[k] ? <span className="panel-pre-line">{data.values[k]}</span> : t("empty"),
                })),
              ]}
            />
          </>
        ) : (
          <>
            <Form method="post" {...getFormProps(form)}>
              <input type="hidden" name="version" value={data.version ?? ""} />
              <fieldset className="govuk-fieldset">
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
                  <h2 className="govuk-fieldset__heading">{t("research.factsTitle")}</h2>
                </legend>
                <div className="govuk-hint">{t("research.factsHint")}</div>
                {factRows.map((row, i) => {
                  const f = row.getFieldset();
                  return (
                    <div key={row.key} className="govuk-!-margin-bottom-6">
                      <TextField field={f.date} label={t("research.factDate", { n: i + 1 })} hint={i === 0 ? t("research.dateHint") : undefined} width="10" spellCheck={false} />
                      <TextArea field={f.text} label={t("research.factText", { n: i + 1 })} rows={2} />
                    </div>
                  );
                })}
              </fieldset>
              {TEXT_FIELDS.map((k) => (
                <TextArea key={k} field={fields[k]} label={t(`research.${k}`)} labelClass="govuk-label--s" />
              ))}
              <TextArea field={fields.withheld} label={t("research.withheld")} hint={t("research.withheldHint")} labelClass="govuk-label--s" />
              <TextArea field={fields.withheldReason} label={t("research.withheldReason")} labelClass="govuk-label--s" rows={3} />
              <div className="govuk-button-group">
                <Button name="intent" value="submit" disabled={busy}>
                  {t("research.submit")}
                </Button>
                <Button secondary name="intent" value="draft" disabled={busy}>
                  {t("research.saveDraft")}
                </Button>
              </div>
            </Form>
            <h2 className="govuk-heading-m">{t("research.nothingHeldTitle")}</h2>
            <Form method="post">
              <input type="hidden" name="version" value={data.version ?? ""} />
              <Button secondary name="intent" value="nothing_held" disabled={busy}>
                {t("research.nothingHeld")}
              </Button>
            </Form>
          </>
        )}
      </div>
    </div>
  );
}
