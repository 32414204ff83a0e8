import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { nations } from "#db/schema/areas";
import { Button, CheckboxField, ErrorSummary, SelectField, TextArea, TextField, useSchemaForm } from "~/components/form";
import { BackLink, PageHeading } from "~/components/layout";
import { createI18n, languageFromRequest } from "~/i18n/config";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm, replyWithAppError } from "~/lib/forms.server";
import { AREA_SETTING_KEYS, getAreaSettings, updateAreaSettings, type AreaSettings } from "~/models/areas.server";
import { withAppErrors } from "~/models/errors.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { SettingsSchema, TIMETABLE_ORDER } from "./schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];

const AFTER_TIMETABLE = ["minutesDueDaysAfter", "actionUpdatesDueDays", "digestDays"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, "area:admin", { area: params.area });
  const area = await getAreaSettings({ actor: ctx.actor, areaId: ctx.area.id });
  const settings = Object.fromEntries(AREA_SETTING_KEYS.map((k) => [k, area[k]])) as AreaSettings;
  return {
    title: createI18n(languageFromRequest(request)).t("admin:settings.title"),
    base: areaPath(ctx.area.code, "/admin"),
    settings,
    version: area.version,
  };
}

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "area:admin", { area: params.area });
  const parsed = await parseForm(request, SettingsSchema);
  if (!parsed.ok) return parsed.response;
  const { version, ...values } = parsed.value;
  try {
    await updateAreaSettings({
      actor: ctx.actor,
      areaId: ctx.area.id,
      version,
      values: { ...values, firstMeetingOn: values.firstMeetingOn ?? null, defaultVenue: values.defaultVenue ?? "" },
    });
    return redirectWithFlash(areaPath(ctx.area.code, "/admin/settings"), { key: "admin:settings.saved" });
  } catch (error) {
    return replyWithAppError(parsed.submission, error);
  }
});

export default function AreaSettingsPage() {
  const { base, settings, version } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("admin");
  const [form, fields] = useSchemaForm(SettingsSchema, {
    // A new version (after a conflict or a save) starts the form again from the stored settings.
    id: `settings-${version}`,
    lastResult: actionData && "result" in actionData ? actionData.result : undefined,
    defaultValue: {
      ...Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, typeof v === "number" ? String(v) : v])),
      firstMeetingOn: settings.firstMeetingOn ?? "",
      secureDomains: settings.secureDomains.join("\n"),
      mfaRequired: settings.mfaRequired ? "on" : undefined,
    },
  });
  const conflict = actionData && "conflict" in actionData ? [{ message: actionData.conflict }] : [];
  const dayField = (name: (typeof TIMETABLE_ORDER)[number] | (typeof AFTER_TIMETABLE)[number]) => (
    <TextField key={name} field={fields[name]} label={t(`settings.${name}`)} width="3" inputMode="numeric" />
  );
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={base}>{t("index.title")}</BackLink>
        <ErrorSummary form={form} extra={conflict} />
        <PageHeading caption={settings.name}>{t("settings.title")}</PageHeading>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="version" value={version} />
          <h2 className="govuk-heading-m">{t("settings.general")}</h2>
          <TextField field={fields.name} label={t("settings.name")} labelClass="govuk-label--s" />
          <SelectField
            field={fields.nation}
            label={t("settings.nation")}
            labelClass="govuk-label--s"
            hint={t("settings.nationHint")}
            options={nations.map((n) => ({ value: n, label: t(`common:nations.${n}`) }))}
          />
          <h2 className="govuk-heading-m">{t("settings.meetings")}</h2>
          <TextField field={fields.cadenceDays} label={t("settings.cadenceDays")} labelClass="govuk-label--s" hint={t("settings.cadenceHint")} width="3" inputMode="numeric" />
          <TextField field={fields.firstMeetingOn} label={t("settings.firstMeetingOn")} labelClass="govuk-label--s" hint={t("settings.firstMeetingHint")} width="10" />
          <TextField field={fields.meetingTime} label={t("settings.meetingTime")} labelClass="govuk-label--s" hint={t("settings.meetingTimeHint")} width="5" />
          <TextField field={fields.defaultVenue} label={t("settings.defaultVenue")} labelClass="govuk-label--s" />
          <h2 className="govuk-heading-m">{t("settings.timetable")}</h2>
          <p className="govuk-hint">{t("settings.timetableHint")}</p>
          {TIMETABLE_ORDER.map(dayField)}
          {AFTER_TIMETABLE.map(dayField)}
          <h2 className="govuk-heading-m">{t("settings.information")}</h2>
          <TextArea field={fields.confidentialityStatement} label={t("settings.confidentialityStatement")} labelClass="govuk-label--s" hint={t("settings.confidentialityHint")} rows={6} />
          <TextArea field={fields.secureDomains} label={t("settings.secureDomains")} labelClass="govuk-label--s" hint={t("settings.secureDomainsHint")} rows={6} />
          <h2 className="govuk-heading-m">{t("settings.security")}</h2>
          <CheckboxField field={fields.mfaRequired} label={t("settings.mfaRequired")} hint={t("settings.mfaRequiredHint")} />
          <TextField field={fields.retentionMonths} label={t("settings.retentionMonths")} labelClass="govuk-label--s" width="3" inputMode="numeric" />
          <Button disabled={navigation.state === "submitting"}>{t("settings.save")}</Button>
        </Form>
      </div>
    </div>
  );
}
