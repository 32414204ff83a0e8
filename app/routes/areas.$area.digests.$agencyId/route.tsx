import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary } from "~/components/form";
import { BackLink, InsetText, PageHeading, SummaryList, Tag } from "~/components/layout";
import { createI18n, languageFromRequest } from "~/i18n/config";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms.server";
import { formatLongDate } from "~/lib/london-time";
import { previewAgencyDigest, queueAreaDigests } from "~/models/digests.server";
import { withAppErrors } from "~/models/errors.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { SendDigestsSchema } from "../areas.$area.digests._index/schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];

/** One agency's digest exactly as it would be sent: recipient, subject and text. */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "digest:send", { area: params.area });
  const language = languageFromRequest(request);
  const preview = await previewAgencyDigest({ actor: ctx.actor, areaId: ctx.area.id, agencyId: params.agencyId ?? "" });
  return {
    title: createI18n(language).t("mail:preview.title", { agency: preview.content.agency.name }),
    area: { name: ctx.area.name },
    back: areaPath(ctx.area.code, "/digests"),
    agency: preview.content.agency.name,
    to: preview.to,
    subject: preview.subject,
    text: preview.text,
    accredited: preview.accredited,
    period: formatLongDate(preview.period, language),
    alreadySent: preview.alreadySent,
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "digest:send", { area: params.area });
  const parsed = await parseForm(request, SendDigestsSchema);
  if (!parsed.ok) return parsed.response;
  const result = await queueAreaDigests({ actor: ctx.actor, areaId: ctx.area.id, agencyIds: [params.agencyId ?? ""] });
  const [queued] = result.queued;
  return redirectWithFlash(areaPath(ctx.area.code, "/digests"), {
    key: queued ? "mail:preview.queued" : "mail:preview.notQueued",
    values: { agency: queued?.agency ?? result.alreadySent[0]?.agency ?? result.noAddress[0]?.agency ?? "" },
  });
});

export default function DigestPreviewPage() {
  const { area, back, agency, to, subject, text, accredited, period, alreadySent } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("mail");
  return (
    <>
      <BackLink to={back}>{t("preview.back")}</BackLink>
      {actionData ? <ErrorSummary extra={[{ message: "mail:digests.errors.badRequest" }]} /> : null}
      <PageHeading caption={area.name}>{t("preview.title", { agency })}</PageHeading>
      <SummaryList
        rows={[
          { key: t("preview.to"), value: to ?? t("digests.noAddress") },
          {
            key: t("preview.content"),
            value: accredited ? <Tag colour="green">{t("digests.full")}</Tag> : <Tag colour="yellow">{t("digests.noticeOnly")}</Tag>,
          },
          { key: t("preview.subject"), value: subject },
          { key: t("preview.period"), value: period },
        ]}
      />
      {accredited ? null : <InsetText>{t("preview.noticeExplained")}</InsetText>}
      <h2 className="govuk-heading-m">{t("preview.textHeading")}</h2>
      <div className="panel-email-text govuk-body" data-testid="digest-text">
        {text}
      </div>
      {alreadySent ? (
        <p className="govuk-body">{t("preview.alreadySent")}</p>
      ) : to ? (
        <Form method="post">
          <input type="hidden" name="intent" value="send" />
          <Button disabled={navigation.state === "submitting"}>{t("preview.send", { agency })}</Button>
        </Form>
      ) : null}
    </>
  );
}
