import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BackLink, PageHeading, Table, Tag } from "~/components/layout";
import { createI18n, languageFromRequest } from "~/i18n/config";
import { redirectWithFlash } from "~/lib/flash.server";
import { withAppErrors } from "~/models/errors.server";
import { listMembers, listPendingInvitations, revokeInvitation } from "~/models/users.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, "area:admin", { area: params.area });
  const [members, invitations] = await Promise.all([
    listMembers({ actor: ctx.actor, areaId: ctx.area.id }),
    listPendingInvitations({ actor: ctx.actor, areaId: ctx.area.id }),
  ]);
  return {
    title: createI18n(languageFromRequest(request)).t("admin:users.title"),
    lang: languageFromRequest(request),
    area: { name: ctx.area.name },
    base: areaPath(ctx.area.code, "/admin"),
    members,
    invitations: invitations.map((i) => ({ ...i, expiresAt: i.expiresAt.toISOString() })),
  };
}

/** Revoking a pending invitation is the only thing posted here. */
export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "area:admin", { area: params.area });
  const form = await request.formData();
  const invitationId = form.get("invitationId");
  const revoked = await revokeInvitation({ actor: ctx.actor, areaId: ctx.area.id, invitationId: typeof invitationId === "string" ? invitationId : "" });
  return redirectWithFlash(areaPath(ctx.area.code, "/admin/users"), { key: "admin:users.revoked", values: { email: revoked.email } });
});

export default function UserList() {
  const { area, base, members, invitations, lang } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  const date = new Intl.DateTimeFormat(lang === "cy" ? "cy-GB" : "en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" });
  return (
    <>
      <BackLink to={base}>{t("index.title")}</BackLink>
      <PageHeading caption={area.name}>{t("users.title")}</PageHeading>
      <p className="govuk-body">
        <AppLink className="govuk-button" to={`${base}/users/invite`}>
          {t("users.invite")}
        </AppLink>
      </p>
      {members.length === 0 ? (
        <p className="govuk-body">{t("users.none")}</p>
      ) : (
        <Table
          caption={t("users.caption")}
          head={[t("users.name"), t("users.email"), t("users.roles"), t("users.agency"), t("users.status"), t("users.twoFactor"), <span className="govuk-visually-hidden" key="a">{t("users.view")}</span>]}
          rows={members.map((m) => [
            m.name,
            m.email,
            m.roles.map((r) => t(`common:roles.${r.role}`)).join(", "),
            [...new Set(m.roles.map((r) => r.agencyName).filter(Boolean))].join(", ") || t("common:none"),
            m.active ? <Tag colour="green">{t("users.active")}</Tag> : <Tag colour="grey">{t("users.disabled")}</Tag>,
            m.twoFactor ? t("users.on") : t("users.off"),
            <AppLink className="govuk-link" to={`${base}/users/${m.userId}`} key={m.userId}>
              {t("users.view")}
              <span className="govuk-visually-hidden"> {m.name}</span>
            </AppLink>,
          ])}
        />
      )}
      {invitations.length === 0 ? (
        <>
          <h2 className="govuk-heading-m">{t("users.invitationsCaption")}</h2>
          <p className="govuk-body">{t("users.noInvitations")}</p>
        </>
      ) : (
        <Table
          caption={t("users.invitationsCaption")}
          head={[t("users.name"), t("users.email"), t("users.role"), t("users.agency"), t("users.expires"), <span className="govuk-visually-hidden" key="a">{t("users.revoke")}</span>]}
          rows={invitations.map((i) => [
            i.name,
            i.email,
            t(`common:roles.${i.role}`),
            i.agencyName ?? t("common:none"),
            date.format(new Date(i.expiresAt)),
            <Form method="post" className="panel-inline-form" key={i.id}>
              <input type="hidden" name="invitationId" value={i.id} />
              <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">
                {t("users.revoke")}
                <span className="govuk-visually-hidden"> {t("users.revokeHidden", { email: i.email })}</span>
              </button>
            </Form>,
          ])}
        />
      )}
    </>
  );
}
