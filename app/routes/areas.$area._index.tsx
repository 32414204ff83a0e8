import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PageHeading } from "~/components/layout";
import { areaPath, can, requireAreaMember } from "~/policy/index.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.area.name ?? "Home"} – Panel` }];

/** The panel home: what this user is, and what is due for them. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireAreaMember(request, params.area);
  const mine = ctx.user.memberships.filter((m) => m.areaId === ctx.area.id);
  return {
    area: { name: ctx.area.name, code: ctx.area.code },
    roles: ctx.roles,
    agencyName: mine.find((m) => m.agencyName)?.agencyName ?? null,
    links: {
      admin: can(ctx, "area:admin") ? areaPath(ctx.area.code, "/admin") : null,
      audit: can(ctx, "audit:read") ? areaPath(ctx.area.code, "/audit") : null,
    },
  };
}

export default function AreaHome() {
  const { area, roles, agencyName, links } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <PageHeading caption={roles.map((r) => t(`roles.${r}`)).join(", ")}>{t("home.title", { area: area.name })}</PageHeading>
      {agencyName ? <p className="govuk-body">{t("home.agency", { agency: agencyName })}</p> : null}
      <h2 className="govuk-heading-m">{t("home.due")}</h2>
      <p className="govuk-body">{t("home.nothingDue")}</p>
      {links.admin ? (
        <>
          <h2 className="govuk-heading-m">
            <Link className="govuk-link" to={links.admin}>
              {t("home.adminTasks")}
            </Link>
          </h2>
          <p className="govuk-body">{t("home.adminTasksBody")}</p>
        </>
      ) : null}
      {links.audit ? (
        <>
          <h2 className="govuk-heading-m">
            <Link className="govuk-link" to={links.audit}>
              {t("home.auditTasks")}
            </Link>
          </h2>
          <p className="govuk-body">{t("home.auditTasksBody")}</p>
        </>
      ) : null}
    </>
  );
}
