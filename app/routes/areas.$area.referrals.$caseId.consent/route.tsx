import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, RadiosField, TextArea, useSchemaForm } from "~/components/form";
import { parseForm } from "~/lib/forms.server";
import { updateReferral } from "~/models/cases/referrals.server";
import { withAppErrors } from "~/models/errors.server";
import { afterSave, loadEditableReferral, referralPaths, replyWithReferralError, requireReferrer } from "../areas.$area.referrals.$caseId._index/referral.server";
import { revalidateOnConflict, SectionFrame, useActionParts, yesNo } from "../areas.$area.referrals.$caseId._index/ui";
import { ConsentSchema } from "./schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];
export const shouldRevalidate = revalidateOnConflict;

export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const { view, paths, title, area } = await loadEditableReferral(request, params, "referrals:sections.consent");
  const c = view.case;
  return {
    title,
    area,
    paths,
    version: c.version,
    values: {
      victimAware: yesNo(c.victimAware) ?? "",
      victimNotAwareReason: c.victimNotAwareReason,
      consentGiven: yesNo(c.consentGiven) ?? "",
      noConsentLawfulBasis: c.noConsentLawfulBasis,
      whoVictimFears: c.whoVictimFears,
      safeToTalkTo: c.safeToTalkTo,
      notSafeToTalkTo: c.notSafeToTalkTo,
      victimWants: c.victimWants,
    },
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requireReferrer(request, params);
  const parsed = await parseForm(request, ConsentSchema);
  if (!parsed.ok) return parsed.response;
  const { version, ...changes } = parsed.value;
  const caseId = params.caseId ?? "";
  try {
    await updateReferral({ actor: ctx, caseId, version, section: "consent", changes });
  } catch (error) {
    return replyWithReferralError(parsed.submission, error);
  }
  return afterSave(referralPaths(ctx.area.code, caseId), "check");
});

export default function ConsentSection() {
  const { title, area, paths, version, values } = useLoaderData<typeof loader>();
  const { result, conflict } = useActionParts(useActionData<typeof action>());
  const navigation = useNavigation();
  const { t } = useTranslation("referrals");
  const [form, fields] = useSchemaForm(ConsentSchema, {
    id: `consent-${version}`,
    lastResult: result,
    defaultValue: values,
  });
  const options = [
    { value: "yes", label: t("common:yes") },
    { value: "no", label: t("common:no") },
  ];
  return (
    <SectionFrame base={paths.base} caption={area.name} title={title} form={form} conflict={conflict}>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="version" value={version} />
        <RadiosField field={fields.victimAware} legend={t("consent.victimAware")} options={options} inline />
        <TextArea field={fields.victimNotAwareReason} label={t("consent.notAwareReason")} labelClass="govuk-label--s" rows={3} />
        <RadiosField field={fields.consentGiven} legend={t("consent.consentGiven")} options={options} inline />
        <TextArea field={fields.noConsentLawfulBasis} label={t("consent.lawfulBasis")} hint={t("consent.lawfulBasisHint")} labelClass="govuk-label--s" rows={3} />
        <TextArea field={fields.whoVictimFears} label={t("consent.whoVictimFears")} labelClass="govuk-label--s" rows={3} />
        <TextArea field={fields.safeToTalkTo} label={t("consent.safeToTalkTo")} labelClass="govuk-label--s" rows={3} />
        <TextArea field={fields.notSafeToTalkTo} label={t("consent.notSafeToTalkTo")} labelClass="govuk-label--s" rows={3} />
        <TextArea field={fields.victimWants} label={t("consent.victimWants")} labelClass="govuk-label--s" rows={3} />
        <Button disabled={navigation.state === "submitting"}>{t("saveAndContinue")}</Button>
      </Form>
    </SectionFrame>
  );
}
