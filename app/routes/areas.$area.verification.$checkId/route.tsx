import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { IDENTITY_FIELDS } from "#db/schema";
import { Button, ErrorSummary, RadiosField, TextArea, TextField, useSchemaForm } from "~/components/form";
import { BackLink, InsetText, PageHeading, SummaryList } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm, replyWithAppError } from "~/lib/forms.server";
import { formatLongDate } from "~/lib/london-time";
import { withAppErrors } from "~/models/errors.server";
import { getIdentityCheck, respondToIdentityCheck } from "~/models/preparation/verification.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { CheckAnswerSchema } from "./schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.check.reference ?? ""} – Panel` }];

/** One identity check: only the person's identity fields, and the agency's answer. */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "identity:verify", { area: params.area });
  const view = await getIdentityCheck({ actor: ctx, checkId: params.checkId ?? "" });
  return {
    area: { name: ctx.area.name },
    back: areaPath(ctx.area.code, "/verification"),
    check: {
      reference: view.reference,
      role: view.role,
      due: formatLongDate(view.due, languageFromRequest(request)),
      status: view.check.status,
      version: view.check.version,
      addressConfidential: view.addressConfidential,
      values: view.values,
    },
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "identity:verify", { area: params.area });
  const parsed = await parseForm(request, CheckAnswerSchema);
  if (!parsed.ok) return parsed.response;
  const { version, status, ...fields } = parsed.value;
  try {
    await respondToIdentityCheck({ actor: ctx, checkId: params.checkId ?? "", version, status, corrections: status === "corrected" ? fields : undefined });
    return redirectWithFlash(areaPath(ctx.area.code, "/verification"), { key: "preparation:verification.saved" });
  } catch (error) {
    return replyWithAppError(parsed.submission, error);
  }
});

export default function IdentityCheckPage() {
  const { area, back, check } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("preparation");
  const [form, fields] = useSchemaForm(CheckAnswerSchema, {
    id: `check-${check.version}`,
    lastResult: actionData && "result" in actionData ? actionData.result : undefined,
    defaultValue: { status: check.status === "pending" ? undefined : check.status, ...check.values },
  });
  const conflict = actionData && "conflict" in actionData ? [{ message: actionData.conflict }] : [];
  const role = t(`roles.${check.role}`);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={back}>{t("verification.title")}</BackLink>
        <ErrorSummary form={form} extra={conflict} />
        <PageHeading caption={area.name}>{t("verification.checkTitle", { role: role.toLowerCase(), reference: check.reference })}</PageHeading>
        <p className="govuk-body">{t("verification.intro")}</p>
        <p className="govuk-body">{t("verification.due", { due: check.due })}</p>
        {check.status !== "pending" ? <InsetText>{t("verification.answered", { status: t(`checkStatuses.${check.status}`) })}</InsetText> : null}
        <h2 className="govuk-heading-m">{t("verification.currentTitle")}</h2>
        <SummaryList
          rows={IDENTITY_FIELDS.map((f) => ({
            key: t(`fields.${f}`),
            value:
              f === "address" && check.addressConfidential ? (
                t("verification.withheld")
              ) : check.values[f] ? (
                <span className="panel-pre-line">{check.values[f]}</span>
              ) : (
                t("empty")
              ),
          }))}
        />
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="version" value={check.version} />
          <RadiosField
            field={fields.status}
            legend={t("verification.answerLegend")}
            options={(["confirmed", "corrected", "not_known"] as const).map((value) => ({ value, label: t(`verification.answers.${value}`) }))}
          />
          <h2 className="govuk-heading-m">{t("verification.correctedTitle")}</h2>
          <p className="govuk-body">{t("verification.correctedHint")}</p>
          <TextField field={fields.firstName} label={t("fields.firstName")} spellCheck={false} />
          <TextField field={fields.lastName} label={t("fields.lastName")} spellCheck={false} />
          <TextArea field={fields.aliases} label={t("fields.aliases")} hint={t("verification.aliasesHint")} rows={3} />
          <TextArea field={fields.dobs} label={t("fields.dobs")} hint={t("verification.dobsHint")} rows={3} />
          <TextArea field={fields.address} label={t("fields.address")} hint={check.addressConfidential ? t("verification.addressHint") : undefined} rows={3} />
          <TextField field={fields.nhsNumber} label={t("fields.nhsNumber")} width="10" inputMode="numeric" spellCheck={false} />
          <Button disabled={navigation.state === "submitting"}>{t("verification.submit")}</Button>
        </Form>
      </div>
    </div>
  );
}
