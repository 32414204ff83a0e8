import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BackLink, PageHeading, SummaryList } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { formatLongDate, utcToLondon } from "~/lib/london-time";
import { withAppErrors } from "~/models/errors.server";
import { readMailboxMessage } from "~/models/outbox.server";
import { areaPath, requirePermission } from "~/policy/index.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.subject ?? ""} – Panel` }];

/** One message of the demo mailbox: its headers and plain-text body, read back from the .eml file. */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "mailbox:read", { area: params.area });
  const language = languageFromRequest(request);
  const message = await readMailboxMessage({ actor: ctx.actor, areaId: ctx.area.id, emailId: params.emailId ?? "" });
  const at = message.sentAt ? utcToLondon(new Date(message.sentAt)) : null;
  return {
    area: { name: ctx.area.name },
    back: areaPath(ctx.area.code, "/admin/mailbox"),
    subject: message.subject,
    from: message.from,
    to: message.to,
    sent: at ? `${formatLongDate(at.date, language)} ${at.time}` : "",
    messageId: message.messageId,
    attachments: message.attachments,
    text: message.text,
  };
});

export default function MailboxMessagePage() {
  const m = useLoaderData<typeof loader>();
  const { t } = useTranslation("mail");
  return (
    <>
      <BackLink to={m.back}>{t("mailbox.back")}</BackLink>
      <PageHeading caption={m.area.name}>{m.subject}</PageHeading>
      <SummaryList
        rows={[
          { key: t("mailbox.from"), value: m.from },
          { key: t("mailbox.to"), value: m.to },
          { key: t("mailbox.sent"), value: m.sent },
          { key: t("mailbox.messageId"), value: m.messageId },
          { key: t("mailbox.attachments"), value: t("mailbox.attachmentCount", { count: m.attachments }) },
        ]}
      />
      <h2 className="govuk-heading-m">{t("mailbox.body")}</h2>
      <div className="panel-email-text govuk-body" data-testid="email-text">
        {m.text}
      </div>
    </>
  );
}
