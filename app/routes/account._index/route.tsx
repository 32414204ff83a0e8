import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PageHeading, SummaryList, Table, Tag } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { getTwoFactorStatus } from "~/models/auth/two-factor.server";
import { requireUser } from "~/policy/index.server";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction = () => [{ title: "Your account – Panel" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const status = await getTwoFactorStatus({ userId: user.id });
  const locale = languageFromRequest(request) === "cy" ? "cy-GB" : "en-GB";
  return {
    name: user.name,
    email: user.email,
    memberships: user.memberships.map((m) => ({ areaName: m.areaName, role: m.role, agencyName: m.agencyName })),
    twoFactor: {
      enabled: status.enabled,
      enabledOn: status.enabledAt
        ? status.enabledAt.toLocaleDateString(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" })
        : null,
      recoveryCodesLeft: status.recoveryCodesLeft,
      required: status.required,
    },
  };
}

export default function Account() {
  const { name, email, memberships, twoFactor } = useLoaderData<typeof loader>();
  const { t } = useTranslation("auth");
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <PageHeading>{t("account.title")}</PageHeading>

        <h2 className="govuk-heading-m">{t("account.details")}</h2>
        <SummaryList
          rows={[
            { key: t("account.name"), value: name },
            { key: t("account.email"), value: email },
          ]}
        />

        {memberships.length > 0 ? (
          <Table
            caption={t("account.panels")}
            head={[t("account.panel"), t("account.roles"), t("account.agency")]}
            rows={memberships.map((m) => [m.areaName, t(`common:roles.${m.role}`), m.agencyName ?? t("common:none")])}
          />
        ) : (
          <>
            <h2 className="govuk-heading-m">{t("account.panels")}</h2>
            <p className="govuk-body">{t("account.noPanels")}</p>
          </>
        )}

        <h2 className="govuk-heading-m">{t("account.twoFactor")}</h2>
        <SummaryList
          rows={[
            {
              key: t("account.status"),
              value: twoFactor.enabled ? (
                <>
                  <Tag colour="green">{t("account.on")}</Tag> {twoFactor.enabledOn ? t("account.onSince", { date: twoFactor.enabledOn }) : null}
                </>
              ) : (
                <Tag colour="grey">{t("account.off")}</Tag>
              ),
            },
            ...(twoFactor.enabled ? [{ key: t("account.codesLeft"), value: String(twoFactor.recoveryCodesLeft) }] : []),
            ...(twoFactor.required ? [{ key: t("account.requiredByPanel"), value: t("common:yes") }] : []),
          ]}
        />
        {twoFactor.enabled ? (
          <ul className="govuk-list">
            <li>
              <AppLink className="govuk-link" to="/account/two-factor/regenerate">
                {t("account.regenerate")}
              </AppLink>
            </li>
            {twoFactor.required ? null : (
              <li>
                <AppLink className="govuk-link" to="/account/two-factor/turn-off">
                  {t("account.turnOff")}
                </AppLink>
              </li>
            )}
          </ul>
        ) : (
          <p className="govuk-body">
            <AppLink className="govuk-button" data-module="govuk-button" to="/account/two-factor/setup">
              {t("account.setUp")}
            </AppLink>
          </p>
        )}

        <h2 className="govuk-heading-m">{t("account.password")}</h2>
        <p className="govuk-body">
          <AppLink className="govuk-link" to="/account/password">
            {t("account.changePassword")}
          </AppLink>
        </p>
      </div>
    </div>
  );
}
