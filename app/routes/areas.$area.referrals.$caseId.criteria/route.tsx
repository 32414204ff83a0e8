import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, CheckboxField, RadiosField, TextArea, TextField, useSchemaForm } from "~/components/form";
import { SummaryList } from "~/components/layout";
import { parseForm } from "~/lib/forms.server";
import { updateReferral } from "~/models/cases/referrals.server";
import { withAppErrors } from "~/models/errors.server";
import { afterSave, loadEditableReferral, referralPaths, replyWithReferralError, requireReferrer } from "../areas.$area.referrals.$caseId._index/referral.server";
import { revalidateOnConflict, SectionFrame, useActionParts, yesNo } from "../areas.$area.referrals.$caseId._index/ui";
import { CriteriaSchema } from "./schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];
export const shouldRevalidate = revalidateOnConflict;

export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const { view, paths, title, area } = await loadEditableReferral(request, params, "referrals:sections.criteria");
  const c = view.case;
  return {
    title,
    area,
    paths,
    version: c.version,
    visible: { met: c.criteriaVisibleHighRisk, score: c.dashScore },
    values: {
      criteriaProfessionalJudgement: c.criteriaProfessionalJudgement ? "on" : "",
      professionalJudgementRationale: c.professionalJudgementRationale,
      criteriaEscalation: c.criteriaEscalation ? "on" : "",
      escalationIncidentCount: c.escalationIncidentCount === null ? "" : String(c.escalationIncidentCount),
      criteriaRepeat: c.criteriaRepeat ? "on" : "",
      previousMaracElsewhere: yesNo(c.previousMaracElsewhere) ?? "",
      previousMaracDetails: c.previousMaracDetails,
    },
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requireReferrer(request, params);
  const parsed = await parseForm(request, CriteriaSchema);
  if (!parsed.ok) return parsed.response;
  const { version, ...v } = parsed.value;
  const caseId = params.caseId ?? "";
  try {
    await updateReferral({
      actor: ctx,
      caseId,
      version,
      section: "criteria",
      changes: {
        ...v,
        // A count only means something with the escalation criterion.
        escalationIncidentCount: v.criteriaEscalation ? (v.escalationIncidentCount ?? null) : null,
      },
    });
  } catch (error) {
    return replyWithReferralError(parsed.submission, error);
  }
  return afterSave(referralPaths(ctx.area.code, caseId), "consent");
});

export default function CriteriaSection() {
  const { title, area, paths, version, visible, values } = useLoaderData<typeof loader>();
  const { result, conflict } = useActionParts(useActionData<typeof action>());
  const navigation = useNavigation();
  const { t } = useTranslation("referrals");
  const [form, fields] = useSchemaForm(CriteriaSchema, {
    id: `criteria-${version}`,
    lastResult: result,
    defaultValue: values,
  });
  const visibleText =
    visible.score === null ? t("criteria.visibleNoDash") : visible.met ? t("criteria.visibleMet", { score: visible.score }) : t("criteria.visibleNotMet", { score: visible.score });
  return (
    <SectionFrame base={paths.base} caption={area.name} title={title} form={form} conflict={conflict}>
      <p className="govuk-body">{t("criteria.intro")}</p>
      <SummaryList rows={[{ key: t("criteria.visibleHighRisk"), value: <span id="visible-high-risk">{visibleText}</span> }]} />
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="version" value={version} />
        <CheckboxField field={fields.criteriaProfessionalJudgement} label={t("criteria.professionalJudgement")} />
        <TextArea field={fields.professionalJudgementRationale} label={t("criteria.rationale")} labelClass="govuk-label--s" rows={4} />
        <CheckboxField field={fields.criteriaEscalation} label={t("criteria.escalation")} />
        <TextField field={fields.escalationIncidentCount} label={t("criteria.incidents")} labelClass="govuk-label--s" width="3" inputMode="numeric" />
        <CheckboxField field={fields.criteriaRepeat} label={t("criteria.repeat")} />
        <RadiosField
          field={fields.previousMaracElsewhere}
          legend={t("criteria.previousMarac")}
          options={[
            { value: "yes", label: t("common:yes") },
            { value: "no", label: t("common:no") },
          ]}
          inline
        />
        <TextArea field={fields.previousMaracDetails} label={t("criteria.previousMaracDetails")} labelClass="govuk-label--s" rows={3} />
        <Button disabled={navigation.state === "submitting"}>{t("saveAndContinue")}</Button>
      </Form>
    </SectionFrame>
  );
}
