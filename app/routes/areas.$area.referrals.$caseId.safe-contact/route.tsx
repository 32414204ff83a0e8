import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, CheckboxField, TextArea, TextField, useSchemaForm } from "~/components/form";
import { InsetText } from "~/components/layout";
import { parseForm } from "~/lib/forms.server";
import { saveSafeContact } from "~/models/cases/referrals.server";
import { withAppErrors } from "~/models/errors.server";
import { afterSave, loadEditableReferral, referralPaths, replyWithReferralError, requireReferrer } from "../areas.$area.referrals.$caseId._index/referral.server";
import { revalidateOnConflict, SectionFrame, useActionParts } from "../areas.$area.referrals.$caseId._index/ui";
import { SafeContactSchema } from "./schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];
export const shouldRevalidate = revalidateOnConflict;

export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const { view, paths, title, area } = await loadEditableReferral(request, params, "referrals:sections.safe-contact");
  const safe = view.safeContact;
  return {
    title,
    area,
    paths,
    version: view.case.version,
    values: (safe ? { ...safe, noMessages: safe.noMessages ? "on" : "" } : {}) as Record<string, string>,
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requireReferrer(request, params);
  const parsed = await parseForm(request, SafeContactSchema);
  if (!parsed.ok) return parsed.response;
  const { version, ...values } = parsed.value;
  const caseId = params.caseId ?? "";
  try {
    await saveSafeContact({ actor: ctx, caseId, caseVersion: version, values });
  } catch (error) {
    return replyWithReferralError(parsed.submission, error);
  }
  return afterSave(referralPaths(ctx.area.code, caseId), "perpetrators");
});

export default function SafeContactSection() {
  const { title, area, paths, version, values } = useLoaderData<typeof loader>();
  const { result, conflict } = useActionParts(useActionData<typeof action>());
  const navigation = useNavigation();
  const { t } = useTranslation("referrals");
  const [form, fields] = useSchemaForm(SafeContactSchema, {
    id: `safe-contact-${version}`,
    lastResult: result,
    defaultValue: values,
  });
  return (
    <SectionFrame base={paths.base} caption={area.name} title={title} form={form} conflict={conflict}>
      <InsetText>{t("safeContact.intro")}</InsetText>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="version" value={version} />
        <TextField field={fields.safeNumber} label={t("safeContact.safeNumber")} labelClass="govuk-label--s" type="tel" width="20" autoComplete="off" />
        <TextField field={fields.safeTimes} label={t("safeContact.safeTimes")} hint={t("safeContact.safeTimesHint")} labelClass="govuk-label--s" />
        <CheckboxField field={fields.noMessages} label={t("safeContact.noMessages")} />
        <TextArea field={fields.mustNotKnow} label={t("safeContact.mustNotKnow")} labelClass="govuk-label--s" rows={3} />
        <TextArea field={fields.notes} label={t("safeContact.notes")} labelClass="govuk-label--s" rows={3} />
        <Button disabled={navigation.state === "submitting"}>{t("saveAndContinue")}</Button>
      </Form>
    </SectionFrame>
  );
}
