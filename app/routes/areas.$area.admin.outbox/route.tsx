import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { outboxStatuses, type OutboxStatus } from "#db/schema/mail";
import { Button, ErrorSummary } from "~/components/form";
import { BackLink, PageHeading, Table } from "~/components/layout";
import { createI18n, languageFromRequest } from "~/i18n/config";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms.server";
import { formatLongDate, utcToLondon } from "~/lib/london-time";
import { AppError, withAppErrors } from "~/models/errors.server";
import { listOutboxEmails, retryOutboxEmail } from "~/models/outbox.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { RetryEmailSchema } from "./schema";
import { OutboxStatusTag } from "~/components/outbox-status-tag";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];

const isStatus = (value: string | null): value is OutboxStatus => (outboxStatuses as readonly string[]).includes(value ?? "");

function when(at: Date | string | null, language: string) {
  if (!at) return "";
  const local = utcToLondon(new Date(at));
  return `${formatLongDate(local.date, language)} ${local.time}`;
}

/** The area's outgoing email: delivery state only (no bodies), failed ones with a retry button. */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "area:admin", { area: params.area });
  const language = languageFromRequest(request);
  const status = new URL(request.url).searchParams.get("status");
  const filter = isStatus(status) ? status : undefined;
  const { rows, counts } = await listOutboxEmails({ actor: ctx.actor, areaId: ctx.area.id, status: filter });
  const base = areaPath(ctx.area.code, "/admin/outbox");
  return {
    title: createI18n(language).t("mail:outbox.title"),
    area: { name: ctx.area.name },
    back: areaPath(ctx.area.code, "/admin"),
    filters: [undefined, ...outboxStatuses].map((s) => ({ status: s ?? "all", href: s ? `${base}?status=${s}` : base, current: s === filter, count: s ? (counts[s] ?? 0) : Object.values(counts).reduce((a, b) => a + (b ?? 0), 0) })),
    rows: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      to: r.to,
      subject: r.subject,
      status: r.status,
      attempts: r.attempts,
      lastError: r.lastError ?? "",
      queued: when(r.createdAt, language),
      sent: when(r.sentAt, language),
      nextAttempt: r.status === "queued" && r.attempts > 0 ? when(r.nextAttemptAt, language) : "",
    })),
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "area:admin", { area: params.area });
  const parsed = await parseForm(request, RetryEmailSchema);
  if (!parsed.ok) return parsed.response;
  const back = `${areaPath(ctx.area.code, "/admin/outbox")}?status=failed`;
  try {
    await retryOutboxEmail({ actor: ctx.actor, areaId: ctx.area.id, emailId: parsed.value.emailId });
  } catch (error) {
    // Already retried (by another admin or the same one twice): say so rather than fail.
    if (error instanceof AppError && error.code === "CONFLICT") return redirectWithFlash(back, { key: "mail:outbox.notFailed", kind: "info" });
    throw error;
  }
  return redirectWithFlash(back, { key: "mail:outbox.retried" });
});

export default function OutboxPage() {
  const { area, back, filters, rows } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("mail");
  return (
    <>
      <BackLink to={back}>{t("outbox.back")}</BackLink>
      {actionData ? <ErrorSummary extra={[{ message: "mail:digests.errors.badRequest" }]} /> : null}
      <PageHeading caption={area.name}>{t("outbox.title")}</PageHeading>
      <p className="govuk-body">{t("outbox.intro")}</p>
      <nav aria-label={t("outbox.filterLabel")}>
        <ul className="govuk-list panel-inline-list">
          {filters.map((f) => (
            <li key={f.status}>
              <AppLink className="govuk-link" to={f.href} aria-current={f.current ? "page" : undefined}>
                {t(`outbox.filters.${f.status}`)} ({f.count})
              </AppLink>
            </li>
          ))}
        </ul>
      </nav>
      {rows.length === 0 ? (
        <p className="govuk-body">{t("outbox.empty")}</p>
      ) : (
        <Table
          caption={<span className="govuk-visually-hidden">{t("outbox.title")}</span>}
          head={[t("outbox.columns.queued"), t("outbox.columns.kind"), t("outbox.columns.to"), t("outbox.columns.subject"), t("outbox.columns.status"), t("outbox.columns.detail")]}
          rows={rows.map((r) => [
            r.queued,
            t(`outbox.kinds.${r.kind}`),
            r.to,
            r.subject,
            <OutboxStatusTag key="s" status={r.status} />,
            <div key="d">
              {r.sent ? <p className="govuk-body-s govuk-!-margin-bottom-1">{t("outbox.sentAt", { when: r.sent })}</p> : null}
              {r.attempts > 0 && r.status !== "sent" ? <p className="govuk-body-s govuk-!-margin-bottom-1">{t("outbox.attempts", { count: r.attempts })}</p> : null}
              {r.nextAttempt ? <p className="govuk-body-s govuk-!-margin-bottom-1">{t("outbox.nextAttempt", { when: r.nextAttempt })}</p> : null}
              {r.lastError ? <p className="govuk-body-s govuk-!-margin-bottom-1">{t("outbox.lastError", { error: r.lastError })}</p> : null}
              {r.status === "failed" ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="retry" />
                  <input type="hidden" name="emailId" value={r.id} />
                  <Button secondary disabled={navigation.state === "submitting"}>
                    {t("outbox.retry")}
                    <span className="govuk-visually-hidden"> {t("outbox.retryHidden", { to: r.to })}</span>
                  </Button>
                </Form>
              ) : null}
            </div>,
          ])}
        />
      )}
    </>
  );
}
