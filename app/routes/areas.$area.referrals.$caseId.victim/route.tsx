import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, CheckboxField, RadiosField, TextArea, TextField, useSchemaForm } from "~/components/form";
import { parseForm } from "~/lib/forms.server";
import { savePerson } from "~/models/cases/referrals.server";
import { withAppErrors } from "~/models/errors.server";
import { personFormValues } from "../areas.$area.referrals.$caseId._index/person-schema";
import { afterSave, loadEditableReferral, referralPaths, replyWithReferralError, requirePersonId, requireReferrer } from "../areas.$area.referrals.$caseId._index/referral.server";
import { revalidateOnConflict, SectionFrame, useActionParts } from "../areas.$area.referrals.$caseId._index/ui";
import { VictimSchema } from "./schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];
export const shouldRevalidate = revalidateOnConflict;

export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const { view, paths, title, area } = await loadEditableReferral(request, params, "referrals:sections.victim");
  const victim = view.people.find((p) => p.role === "victim");
  return {
    title,
    area,
    paths,
    version: view.case.version,
    personId: victim?.id ?? null,
    values: victim ? personFormValues(victim) : {},
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requireReferrer(request, params);
  const parsed = await parseForm(request, VictimSchema);
  if (!parsed.ok) return parsed.response;
  const { version, personId, personVersion, ...values } = parsed.value;
  const caseId = params.caseId ?? "";
  try {
    await savePerson({
      actor: ctx,
      caseId,
      caseVersion: version,
      personId: personId === undefined ? undefined : requirePersonId(personId),
      personVersion,
      role: "victim",
      values,
    });
  } catch (error) {
    return replyWithReferralError(parsed.submission, error);
  }
  return afterSave(referralPaths(ctx.area.code, caseId), "safe-contact");
});

export default function VictimSection() {
  const { title, area, paths, version, personId, values } = useLoaderData<typeof loader>();
  const { result, conflict } = useActionParts(useActionData<typeof action>());
  const navigation = useNavigation();
  const { t } = useTranslation("referrals");
  const [form, fields] = useSchemaForm(VictimSchema, {
    id: `victim-${version}`,
    lastResult: result,
    defaultValue: values,
  });
  const yesNo = [
    { value: "yes", label: t("common:yes") },
    { value: "no", label: t("common:no") },
  ];
  return (
    <SectionFrame base={paths.base} caption={area.name} title={title} form={form} conflict={conflict}>
      <p className="govuk-body">{t("victim.intro")}</p>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="version" value={version} />
        {personId ? (
          <>
            <input type="hidden" name="personId" value={personId} />
            <input type="hidden" name="personVersion" value={values.personVersion} />
          </>
        ) : null}
        <TextField field={fields.firstName} label={t("person.firstName")} labelClass="govuk-label--s" spellCheck={false} autoComplete="off" />
        <TextField field={fields.lastName} label={t("person.lastName")} labelClass="govuk-label--s" spellCheck={false} autoComplete="off" />
        <TextArea field={fields.aliases} label={t("person.aliases")} hint={t("person.aliasesHint")} labelClass="govuk-label--s" rows={3} />
        <TextArea field={fields.dobs} label={t("person.dobs")} hint={t("person.dobsHint")} labelClass="govuk-label--s" rows={2} />
        <TextField field={fields.gender} label={t("person.gender")} labelClass="govuk-label--s" width="20" />
        <TextArea field={fields.address} label={t("person.address")} labelClass="govuk-label--s" rows={3} />
        <CheckboxField field={fields.confidentialAddress} label={t("person.confidentialAddress")} hint={t("person.confidentialAddressHint")} />
        <TextField field={fields.phone} label={t("person.phone")} labelClass="govuk-label--s" type="tel" width="20" autoComplete="off" />
        <RadiosField field={fields.safeToCall} legend={t("person.safeToCall")} options={yesNo} inline />
        <TextArea field={fields.contactNotes} label={t("person.contactNotes")} labelClass="govuk-label--s" rows={3} />
        <TextField field={fields.language} label={t("person.language")} labelClass="govuk-label--s" width="20" />
        <RadiosField field={fields.interpreterNeeded} legend={t("person.interpreterNeeded")} options={yesNo} inline />
        <RadiosField field={fields.pregnant} legend={t("person.pregnant")} options={yesNo} inline />
        <fieldset className="govuk-fieldset">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">{t("person.equality")}</legend>
          <TextField field={fields.ethnicity} label={t("person.ethnicity")} width="20" />
          <TextField field={fields.disability} label={t("person.disability")} width="30" />
          <TextField field={fields.sexualOrientation} label={t("person.sexualOrientation")} width="20" />
          <TextField field={fields.genderIdentity} label={t("person.genderIdentity")} width="20" />
          <TextField field={fields.age} label={t("person.age")} width="3" inputMode="numeric" />
        </fieldset>
        <Button disabled={navigation.state === "submitting"}>{t("saveAndContinue")}</Button>
      </Form>
    </SectionFrame>
  );
}
