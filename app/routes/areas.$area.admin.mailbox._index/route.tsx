import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { InsetText, PageHeading, Table } from "~/components/layout";
import { createI18n, languageFromRequest } from "~/i18n/config";
import { formatLongDate, utcToLondon } from "~/lib/london-time";
import { withAppErrors } from "~/models/errors.server";
import { listMailbox } from "~/models/outbox.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];

/** The demo mailbox: with no SMTP server configured, the emails this panel sent, as written to disk. */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "mailbox:read", { area: params.area });
  const language = languageFromRequest(request);
  const { offline, messages } = await listMailbox({ actor: ctx.actor, areaId: ctx.area.id });
  const base = areaPath(ctx.area.code, "/admin/mailbox");
  return {
    title: createI18n(language).t("mail:mailbox.title"),
    area: { name: ctx.area.name },
    offline,
    messages: messages.map((m) => {
      const at = m.sentAt ? utcToLondon(new Date(m.sentAt)) : null;
      return { id: m.id, href: `${base}/${m.id}`, to: m.to, subject: m.subject, kind: m.kind, sent: at ? `${formatLongDate(at.date, language)} ${at.time}` : "" };
    }),
  };
});

export default function MailboxPage() {
  const { area, offline, messages } = useLoaderData<typeof loader>();
  const { t } = useTranslation("mail");
  return (
    <>
      <PageHeading caption={area.name}>{t("mailbox.title")}</PageHeading>
      {offline ? <InsetText>{t("mailbox.intro")}</InsetText> : <p className="govuk-body">{t("mailbox.smtp")}</p>}
      {offline && messages.length === 0 ? <p className="govuk-body">{t("mailbox.empty")}</p> : null}
      {messages.length ? (
        <Table
          caption={<span className="govuk-visually-hidden">{t("mailbox.title")}</span>}
          head={[t("mailbox.columns.subject"), t("mailbox.columns.to"), t("mailbox.columns.kind"), t("mailbox.columns.sent")]}
          rows={messages.map((m) => [
            <AppLink key="s" className="govuk-link" to={m.href}>
              {m.subject}
            </AppLink>,
            m.to,
            t(`outbox.kinds.${m.kind}`),
            m.sent,
          ])}
        />
      ) : null}
    </>
  );
}
