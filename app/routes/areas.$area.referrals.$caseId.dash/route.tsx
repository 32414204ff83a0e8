import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, RadiosField, TextArea, TextField } from "~/components/form";
import { DASH_QUESTIONS, dashAnswerValues, scoreDash } from "~/lib/dash";
import { parseForm } from "~/lib/forms.server";
import { updateReferral } from "~/models/cases/referrals.server";
import { withAppErrors } from "~/models/errors.server";
import { afterSave, loadEditableReferral, referralPaths, replyWithReferralError, requireReferrer } from "../areas.$area.referrals.$caseId._index/referral.server";
import { revalidateOnConflict, SectionFrame, useActionParts } from "../areas.$area.referrals.$caseId._index/ui";
import { DashSchema } from "./schema";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];
export const shouldRevalidate = revalidateOnConflict;

export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const { view, paths, title, area } = await loadEditableReferral(request, params, "referrals:sections.dash");
  const c = view.case;
  const { score, answered, band } = scoreDash(c.dashAnswers);
  return {
    title,
    area,
    paths,
    version: c.version,
    score: answered > 0 ? { score, answered, band } : null,
    values: { answers: c.dashAnswers, fears: c.dashFears },
  };
});

/** Saving comes back to this page so the referrer sees the score and band. */
export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requireReferrer(request, params);
  const parsed = await parseForm(request, DashSchema);
  if (!parsed.ok) return parsed.response;
  const caseId = params.caseId ?? "";
  try {
    await updateReferral({
      actor: ctx,
      caseId,
      version: parsed.value.version,
      section: "dash",
      changes: { dashAnswers: parsed.value.answers, dashFears: parsed.value.fears },
    });
  } catch (error) {
    return replyWithReferralError(parsed.submission, error);
  }
  return afterSave(referralPaths(ctx.area.code, caseId), "dash");
});

export default function DashSection() {
  const { title, area, paths, version, score, values } = useLoaderData<typeof loader>();
  const { result, conflict } = useActionParts(useActionData<typeof action>());
  const navigation = useNavigation();
  const { t } = useTranslation("referrals");
  const [form, fields] = useForm({
    id: `dash-${version}`,
    lastResult: result,
    defaultValue: values,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: DashSchema }),
    shouldValidate: "onSubmit",
  });
  const answers = fields.answers.getFieldset();
  const options = dashAnswerValues.map((v) => ({ value: v, label: t(`check.answers.${v}`) }));
  return (
    <SectionFrame base={paths.base} caption={area.name} title={title} form={form} conflict={conflict}>
      {score ? (
        <div className="govuk-inset-text" id="dash-score">
          <p className="govuk-heading-m govuk-!-margin-bottom-1">{t("dash.scoreLine", { score: score.score, band: t(`dash.bands.${score.band}`) })}</p>
          <p className="govuk-body govuk-!-margin-bottom-0">{t("dash.answered", { answered: score.answered })}</p>
        </div>
      ) : (
        <p className="govuk-body">{t("dash.notScored")}</p>
      )}
      <p className="govuk-body">{t("dash.intro")}</p>
      <p className="govuk-body">{t("cases:dash.professionalJudgementRaises")}</p>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="version" value={version} />
        {DASH_QUESTIONS.map((q) => {
          const entry = answers[q.id as keyof typeof answers].getFieldset();
          return (
            <div key={q.id}>
              <RadiosField
                field={entry.answer}
                legend={`${t("dash.question", { number: q.number })}: ${t(`cases:dash.questions.${q.id}`)}`}
                options={options}
                inline
              />
              <TextField field={entry.source} label={t("dash.source")} width="20" />
              {q.followUp === "fears" ? <TextArea field={fields.fears} label={t("cases:dash.fears.label")} hint={t("cases:dash.fears.hint")} labelClass="govuk-label--s" rows={3} /> : null}
            </div>
          );
        })}
        <div className="govuk-button-group">
          <Button disabled={navigation.state === "submitting"}>{t("save")}</Button>
          <AppLink className="govuk-link" to={`${paths.base}/criteria`}>
            {t("dash.continue")}
          </AppLink>
        </div>
      </Form>
    </SectionFrame>
  );
}
