import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary } from "~/components/form";
import { InsetText, PageHeading, Table, Tag } from "~/components/layout";
import { getEnv } from "~/env.server";
import { createI18n, languageFromRequest } from "~/i18n/config";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms.server";
import { formatLongDate, utcToLondon } from "~/lib/london-time";
import { listDigestHistory, listDigestRecipients, queueAreaDigests } from "~/models/digests.server";
import { withAppErrors } from "~/models/errors.server";
import { areaPath, can, requirePermission } from "~/policy/index.server";
import { OutboxStatusTag } from "~/components/outbox-status-tag";
import { SendDigestsSchema } from "./schema";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];

/** The coordinator's fortnightly digests: who gets one this period, a preview for each, and the history. */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "digest:send", { area: params.area });
  const language = languageFromRequest(request);
  const recipients = await listDigestRecipients({ actor: ctx.actor, areaId: ctx.area.id });
  const history = await listDigestHistory({ actor: ctx.actor, areaId: ctx.area.id, limit: 60 });
  const base = areaPath(ctx.area.code, "/digests");
  return {
    title: createI18n(language).t("mail:digests.title"),
    area: { name: ctx.area.name },
    period: formatLongDate(recipients.period, language),
    meeting: recipients.meeting ? { date: formatLongDate(recipients.meeting.date, language, { weekday: true }), digestOn: formatLongDate(recipients.meeting.digestOn, language) } : null,
    agencies: recipients.agencies.map((a) => ({ ...a, previewHref: `${base}/${a.id}` })),
    // Offline (no mail server), the demo mailbox shows what was "sent".
    mailboxHref: !getEnv().SMTP_URL && can(ctx, "mailbox:read") ? areaPath(ctx.area.code, "/admin/mailbox") : null,
    toSend: recipients.agencies.filter((a) => a.secureEmail && !a.status).length,
    history: history.map((h) => ({
      id: h.id,
      period: formatLongDate(h.period, language),
      agency: h.agency,
      to: h.to,
      accredited: h.accredited,
      status: h.status,
      queuedAt: `${formatLongDate(utcToLondon(h.createdAt).date, language)} ${utcToLondon(h.createdAt).time}`,
      byScheduler: h.byScheduler,
    })),
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "digest:send", { area: params.area });
  const parsed = await parseForm(request, SendDigestsSchema);
  if (!parsed.ok) return parsed.response;
  const result = await queueAreaDigests({ actor: ctx.actor, areaId: ctx.area.id });
  return redirectWithFlash(areaPath(ctx.area.code, "/digests"), {
    key: result.queued.length ? "mail:digests.queued" : "mail:digests.nothingToQueue",
    values: { count: result.queued.length },
  });
});

export default function DigestsPage() {
  const { area, period, meeting, agencies, toSend, history, mailboxHref } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("mail");
  return (
    <>
      {actionData ? <ErrorSummary extra={[{ message: "mail:digests.errors.badRequest" }]} /> : null}
      <PageHeading caption={area.name}>{t("digests.title")}</PageHeading>
      <p className="govuk-body">{t("digests.intro")}</p>
      <p className="govuk-body">
        {meeting ? t("digests.periodWithMeeting", { period, date: meeting.date, digestOn: meeting.digestOn }) : t("digests.periodNoMeeting", { period })}
      </p>
      <InsetText>{t("digests.secureRule")}</InsetText>
      <Table
        caption={t("digests.agenciesCaption")}
        head={[t("digests.columns.agency"), t("digests.columns.address"), t("digests.columns.content"), t("digests.columns.thisPeriod"), t("digests.columns.preview")]}
        rows={agencies.map((a) => [
          a.name,
          a.secureEmail ?? t("digests.noAddress"),
          a.secureEmail ? a.accredited ? <Tag key="c" colour="green">{t("digests.full")}</Tag> : <Tag key="c" colour="yellow">{t("digests.noticeOnly")}</Tag> : "–",
          a.status ? <OutboxStatusTag key="s" status={a.status} /> : t("digests.notSent"),
          a.secureEmail ? (
            <AppLink key="p" className="govuk-link" to={a.previewHref}>
              {t("digests.previewLink")}
              <span className="govuk-visually-hidden"> {t("digests.forAgency", { agency: a.name })}</span>
            </AppLink>
          ) : (
            t("digests.askAdmin")
          ),
        ])}
      />
      {toSend > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="send" />
          <Button disabled={navigation.state === "submitting"}>{t("digests.send", { count: toSend })}</Button>
        </Form>
      ) : (
        <p className="govuk-body">{t("digests.allSent")}</p>
      )}
      <h2 className="govuk-heading-m">{t("digests.historyTitle")}</h2>
      {mailboxHref ? (
        <p className="govuk-body">
          <AppLink className="govuk-link" to={mailboxHref}>
            {t("digests.mailboxLink")}
          </AppLink>
        </p>
      ) : null}
      {history.length === 0 ? (
        <p className="govuk-body">{t("digests.noHistory")}</p>
      ) : (
        <Table
          caption={<span className="govuk-visually-hidden">{t("digests.historyTitle")}</span>}
          head={[t("digests.columns.period"), t("digests.columns.agency"), t("digests.columns.address"), t("digests.columns.queued"), t("digests.columns.status")]}
          rows={history.map((h) => [
            h.period,
            h.agency,
            `${h.to}${h.accredited ? "" : ` (${t("digests.noticeOnly")})`}`,
            `${h.queuedAt}${h.byScheduler ? ` (${t("digests.scheduled")})` : ""}`,
            <OutboxStatusTag key="s" status={h.status} />,
          ])}
        />
      )}
    </>
  );
}
