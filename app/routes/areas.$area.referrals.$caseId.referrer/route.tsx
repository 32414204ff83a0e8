import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, TextField, useSchemaForm } from "~/components/form";
import { parseForm } from "~/lib/forms.server";
import { updateReferral } from "~/models/cases/referrals.server";
import { withAppErrors } from "~/models/errors.server";
import { afterSave, loadEditableReferral, referralPaths, replyWithReferralError, requireReferrer } from "../areas.$area.referrals.$caseId._index/referral.server";
import { ukDate } from "../areas.$area.referrals.$caseId._index/fields";
import { revalidateOnConflict, SectionFrame, useActionParts } from "../areas.$area.referrals.$caseId._index/ui";
import { ReferrerSchema } from "./schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];
export const shouldRevalidate = revalidateOnConflict;

export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const { view, paths, title, area } = await loadEditableReferral(request, params, "referrals:sections.referrer");
  const c = view.case;
  return {
    title,
    area,
    paths,
    agency: view.referringAgencyName,
    values: { version: c.version, referrerName: c.referrerName, referrerPhone: c.referrerPhone, referrerEmail: c.referrerEmail, referralDate: ukDate(c.referralDate) },
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requireReferrer(request, params);
  const parsed = await parseForm(request, ReferrerSchema);
  if (!parsed.ok) return parsed.response;
  const { version, ...changes } = parsed.value;
  const caseId = params.caseId ?? "";
  try {
    await updateReferral({ actor: ctx, caseId, version, section: "referrer", changes });
  } catch (error) {
    return replyWithReferralError(parsed.submission, error);
  }
  return afterSave(referralPaths(ctx.area.code, caseId), "victim");
});

export default function ReferrerSection() {
  const { title, area, paths, agency, values } = useLoaderData<typeof loader>();
  const { result, conflict } = useActionParts(useActionData<typeof action>());
  const navigation = useNavigation();
  const { t } = useTranslation("referrals");
  const [form, fields] = useSchemaForm(ReferrerSchema, {
    id: `referrer-${values.version}`,
    lastResult: result,
    defaultValue: values,
  });
  return (
    <SectionFrame base={paths.base} caption={area.name} title={title} form={form} conflict={conflict}>
      <p className="govuk-body">{t("referrer.agency", { agency })}</p>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="version" value={values.version} />
        <TextField field={fields.referrerName} label={t("referrer.name")} labelClass="govuk-label--s" autoComplete="name" />
        <TextField field={fields.referrerPhone} label={t("referrer.phone")} labelClass="govuk-label--s" type="tel" width="20" autoComplete="tel" />
        <TextField field={fields.referrerEmail} label={t("referrer.email")} labelClass="govuk-label--s" type="email" spellCheck={false} autoComplete="email" />
        <TextField field={fields.referralDate} label={t("referrer.date")} hint={t("referrer.dateHint")} labelClass="govuk-label--s" width="10" />
        <Button disabled={navigation.state === "submitting"}>{t("saveAndContinue")}</Button>
      </Form>
    </SectionFrame>
  );
}
