import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BackLink, PageHeading, Table, Tag } from "~/components/layout";
import { createI18n, languageFromRequest } from "~/i18n/config";
import { listAgencies } from "~/models/agencies.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, "area:admin", { area: params.area });
  const agencies = await listAgencies({ actor: ctx.actor, areaId: ctx.area.id });
  return {
    title: createI18n(languageFromRequest(request)).t("admin:agencies.title"),
    area: { name: ctx.area.name },
    base: areaPath(ctx.area.code, "/admin"),
    agencies: agencies.map((a) => ({ id: a.id, name: a.name, kind: a.kind, secureEmail: a.secureEmail, isVerifier: a.isVerifier, active: a.active })),
  };
}

export default function AgencyList() {
  const { area, base, agencies } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  return (
    <>
      <BackLink to={base}>{t("index.title")}</BackLink>
      <PageHeading caption={area.name}>{t("agencies.title")}</PageHeading>
      <p className="govuk-body">
        <AppLink className="govuk-button" to={`${base}/agencies/new`}>
          {t("agencies.add")}
        </AppLink>
      </p>
      {agencies.length === 0 ? (
        <p className="govuk-body">{t("agencies.none")}</p>
      ) : (
        <Table
          caption={t("agencies.caption")}
          head={[t("agencies.name"), t("agencies.kind"), t("agencies.secureEmail"), t("agencies.verifier"), t("agencies.status"), <span className="govuk-visually-hidden" key="a">{t("agencies.edit")}</span>]}
          rows={agencies.map((a) => [
            a.name,
            t(`common:agencyKinds.${a.kind}`),
            a.secureEmail ?? t("common:none"),
            a.isVerifier ? <Tag colour="blue">{t("agencies.verifier")}</Tag> : t("common:no"),
            a.active ? <Tag colour="green">{t("agencies.active")}</Tag> : <Tag colour="grey">{t("agencies.inactive")}</Tag>,
            <AppLink className="govuk-link" to={`${base}/agencies/${a.id}`} key={a.id}>
              {t("agencies.edit")}
              <span className="govuk-visually-hidden"> {a.name}</span>
            </AppLink>,
          ])}
        />
      )}
    </>
  );
}
