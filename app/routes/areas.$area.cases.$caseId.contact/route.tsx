import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { contactMethods, contactOutcomes, contactPhases } from "#db/schema/preparation";
import { Button, CheckboxField, ErrorSummary, RadiosField, SelectField, TextArea, TextField, useSchemaForm } from "~/components/form";
import { BackLink, InsetText, PageHeading, SummaryList, Table, Tag, WarningText } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm, replyWithAppError } from "~/lib/forms.server";
import { formatLongDate, londonToUtc, todayInLondon, utcToLondon } from "~/lib/london-time";
import { AppError, withAppErrors } from "~/models/errors.server";
import { getContactRecord, logVictimContact, saveVictimViews } from "~/models/preparation/victim-contact.server";
import { areaPath, can, requireAreaMember, requirePermission } from "~/policy/index.server";
import { ContactSchema, NOTES_MAX, ViewsSchema, VIEWS_MAX } from "./schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.reference ?? ""} – Panel` }];

/**
 * The victim contact page: the safe-contact rules first, then the contact log
 * and the forms. Any member may ask, but the domain answers 404 unless the user
 * may read contact and safe-contact details (IDVAs, coordinator, chair), so the
 * page does not even confirm that the case exists. The read is audited.
 */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requireAreaMember(request, params.area);
  const language = languageFromRequest(request);
  const record = await getContactRecord({ actor: ctx, caseId: params.caseId ?? "" });
  const s = record.safeContact;
  return {
    area: { name: ctx.area.name },
    reference: record.case.reference ?? "",
    back: areaPath(ctx.area.code, "/cases"),
    canLog: can(ctx, "contact:log"),
    today: todayInLondon(),
    safeContact: s ? { safeNumber: s.safeNumber, safeTimes: s.safeTimes, noMessages: s.noMessages, mustNotKnow: s.mustNotKnow, notes: s.notes } : null,
    contacts: record.contacts.map(({ contact: c, userName }) => {
      const at = utcToLondon(c.at);
      return {
        id: c.id,
        when: `${formatLongDate(at.date, language)}, ${at.time}`,
        method: c.method,
        outcome: c.outcome,
        phase: c.phase,
        who: userName,
        notes: c.notes,
        feedbackGiven: c.feedbackGiven,
      };
    }),
    views: record.views ? { text: record.views.views, version: record.views.version } : null,
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "contact:log", { area: params.area });
  const caseId = params.caseId ?? "";
  const here = areaPath(ctx.area.code, `/cases/${caseId}/contact`);
  const intent = (await request.clone().formData()).get("intent");
  if (intent === "views") {
    const parsed = await parseForm(request, ViewsSchema);
    if (!parsed.ok) return parsed.response;
    try {
      await saveVictimViews({ actor: ctx, caseId, version: parsed.value.version ?? null, views: parsed.value.views });
    } catch (error) {
      return replyWithAppError(parsed.submission, error);
    }
    return redirectWithFlash(here, { key: "contact:viewsSaved" });
  }
  const parsed = await parseForm(request, ContactSchema);
  if (!parsed.ok) return parsed.response;
  const { date, time, ...rest } = parsed.value;
  try {
    await logVictimContact({ actor: ctx, caseId, contact: { ...rest, at: londonToUtc(date, time) } });
  } catch (error) {
    // The domain names the instant "at"; this form asks for it as a date and a time.
    const mapped = error instanceof AppError && error.code === "INVALID" && error.options.field === "at" ? new AppError("INVALID", error.messageKey, { field: "date" }) : error;
    return replyWithAppError(parsed.submission, mapped);
  }
  return redirectWithFlash(here, { key: "contact:logged" });
});

export default function VictimContact() {
  const { area, reference, back, canLog, today, safeContact, contacts, views } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const { t } = useTranslation("contact");
  const result = actionData && "result" in actionData ? actionData.result : undefined;
  const resultIntent = (result as { initialValue?: { intent?: unknown } } | undefined)?.initialValue?.intent;
  const [logForm, logFields] = useSchemaForm(ContactSchema, {
    // A new id after each logged attempt, so the form starts empty again.
    id: `log-${contacts.length}`,
    lastResult: resultIntent === "log" ? result : undefined,
    defaultValue: { date: today },
  });
  const [viewsForm, viewsFields] = useSchemaForm(ViewsSchema, {
    id: `views-${views?.version ?? 0}`,
    lastResult: resultIntent === "views" ? result : undefined,
    defaultValue: { views: views?.text ?? "" },
  });
  const conflict = actionData && "conflict" in actionData ? [{ message: actionData.conflict, href: `#${viewsForm.id}-views` }] : [];
  const yesNo = (v: boolean) => (v ? t("common:yes") : t("common:no"));
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <BackLink to={back}>{t("list.title")}</BackLink>
        <ErrorSummary form={resultIntent === "views" ? viewsForm : logForm} extra={conflict} />
        <PageHeading caption={area.name}>{t("page.title", { reference })}</PageHeading>
        <section aria-labelledby="safe-contact-title">
          <h2 className="govuk-heading-m" id="safe-contact-title">
            {t("safe.title")}
          </h2>
          {safeContact ? (
            <>
              {safeContact.noMessages ? <WarningText>{t("safe.noMessages")}</WarningText> : null}
              <InsetText>
                <SummaryList
                  rows={[
                    { key: t("safe.safeNumber"), value: safeContact.safeNumber || t("notRecorded") },
                    { key: t("safe.safeTimes"), value: safeContact.safeTimes || t("notRecorded") },
                    { key: t("safe.messages"), value: safeContact.noMessages ? t("safe.messagesNo") : t("safe.messagesYes") },
                    { key: t("safe.mustNotKnow"), value: safeContact.mustNotKnow || t("notRecorded") },
                    { key: t("safe.notes"), value: safeContact.notes || t("notRecorded") },
                  ]}
                />
              </InsetText>
            </>
          ) : (
            <WarningText>{t("safe.none")}</WarningText>
          )}
        </section>
        <h2 className="govuk-heading-m">{t("log.title")}</h2>
        {contacts.length === 0 ? (
          <p className="govuk-body">{t("log.empty")}</p>
        ) : (
          <Table
            caption={t("log.caption", { count: contacts.length })}
            head={[t("log.columns.when"), t("log.columns.method"), t("log.columns.outcome"), t("log.columns.phase"), t("log.columns.who"), t("log.columns.notes"), t("log.columns.feedback")]}
            rows={contacts.map((c) => [
              c.when,
              t(`methods.${c.method}`),
              <Tag key="outcome" colour={c.outcome === "spoke" ? "green" : "grey"}>
                {t(`outcomes.${c.outcome}`)}
              </Tag>,
              t(`phases.${c.phase}`),
              c.who,
              c.notes,
              yesNo(c.feedbackGiven),
            ])}
          />
        )}
        {canLog ? (
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-two-thirds">
              <h2 className="govuk-heading-m">{t("form.title")}</h2>
              <Form method="post" {...getFormProps(logForm)}>
                <input type="hidden" name="intent" value="log" />
                <TextField field={logFields.date} label={t("form.date")} hint={t("form.dateHint")} type="date" width="10" />
                <TextField field={logFields.time} label={t("form.time")} hint={t("form.timeHint")} type="time" width="5" />
                <SelectField field={logFields.method} label={t("form.method")} placeholder={t("form.choose")} options={contactMethods.map((m) => ({ value: m, label: t(`methods.${m}`) }))} />
                <RadiosField
                  field={logFields.outcome}
                  legend={t("form.outcome")}
                  hint={safeContact?.noMessages ? t("safe.noMessages") : undefined}
                  options={contactOutcomes.map((o) => ({ value: o, label: t(`outcomes.${o}`) }))}
                />
                <RadiosField field={logFields.phase} legend={t("form.phase")} inline options={contactPhases.map((p) => ({ value: p, label: t(`phases.${p}`) }))} />
                <TextArea field={logFields.notes} label={t("form.notes")} hint={t("form.notesHint", { max: NOTES_MAX })} />
                <CheckboxField field={logFields.feedbackGiven} label={t("form.feedbackGiven")} hint={t("form.feedbackHint")} />
                <Button disabled={busy}>{t("form.submit")}</Button>
              </Form>
              <h2 className="govuk-heading-m">{t("views.title")}</h2>
              <Form method="post" {...getFormProps(viewsForm)}>
                <input type="hidden" name="intent" value="views" />
                {views ? <input type="hidden" name="version" value={views.version} /> : null}
                <TextArea field={viewsFields.views} label={t("views.label")} hint={t("views.hint", { max: VIEWS_MAX })} rows={8} />
                <Button disabled={busy}>{t("views.submit")}</Button>
              </Form>
            </div>
          </div>
        ) : (
          <>
            <h2 className="govuk-heading-m">{t("views.title")}</h2>
            <p className="govuk-body">{views?.text || t("views.none")}</p>
          </>
        )}
      </div>
    </div>
  );
}
