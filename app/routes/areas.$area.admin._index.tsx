import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PageHeading } from "~/components/layout";
import { getEnv } from "~/env.server";
import { createI18n, languageFromRequest } from "~/i18n/config";
import { summariseArea } from "~/models/areas.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, "area:admin", { area: params.area });
  const counts = await summariseArea({ actor: ctx.actor, areaId: ctx.area.id });
  return {
    title: createI18n(languageFromRequest(request)).t("admin:index.title"),
    area: { name: ctx.area.name },
    base: areaPath(ctx.area.code, "/admin"),
    counts,
    // The demo mailbox exists only when there is no mail server.
    offlineMail: !getEnv().SMTP_URL,
  };
}

export default function AdminIndex() {
  const { area, base, counts, offlineMail } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  const sections = [
    { to: `${base}/agencies`, title: t("index.agencies"), body: t("index.agenciesBody", { count: counts.agencies }) },
    { to: `${base}/users`, title: t("index.users"), body: [t("index.usersActive", { count: counts.activeUsers }), t("index.usersPending", { count: counts.pendingInvitations }), t("index.usersBody")].join(" ") },
    { to: `${base}/settings`, title: t("index.settings"), body: t("index.settingsBody") },
    { to: `${base}/outbox`, title: t("index.outbox"), body: t("index.outboxBody") },
    ...(offlineMail ? [{ to: `${base}/mailbox`, title: t("index.mailbox"), body: t("index.mailboxBody") }] : []),
  ];
  return (
    <>
      <PageHeading caption={area.name}>{t("index.title")}</PageHeading>
      {sections.map((s) => (
        <div key={s.to}>
          <h2 className="govuk-heading-m">
            <AppLink className="govuk-link" to={s.to}>
              {s.title}
            </AppLink>
          </h2>
          <p className="govuk-body">{s.body}</p>
        </div>
      ))}
    </>
  );
}
