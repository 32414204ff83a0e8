import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { NotificationBanner, PageHeading, WarningText } from "~/components/layout";
import { requireUser } from "~/policy/index.server";
import { clearRecoveryCodesCookie, readRecoveryCodes } from "./codes-cookie.server";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction = () => [{ title: "Your recovery codes – Panel" }];

/** Shows newly made recovery codes once: the cookie carrying them is cleared as they are read. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const codes = readRecoveryCodes(request, user.id);
  const from = new URL(request.url).searchParams.get("from");
  return data(
    { codes, from: from === "setup" || from === "regenerate" ? from : null },
    { headers: { "Set-Cookie": clearRecoveryCodesCookie(), "Cache-Control": "no-store" } },
  );
}

export default function RecoveryCodes() {
  const { codes, from } = useLoaderData<typeof loader>();
  const { t } = useTranslation("auth");
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {codes && from ? (
          <NotificationBanner success title={t("common:flash.success")}>
            {t(from === "setup" ? "recoveryCodes.enabled" : "recoveryCodes.regenerated")}
          </NotificationBanner>
        ) : null}
        <PageHeading>{t("recoveryCodes.title")}</PageHeading>
        {codes ? (
          <>
            <p className="govuk-body">{t("recoveryCodes.intro")}</p>
            <WarningText>{t("recoveryCodes.warning")}</WarningText>
            <h2 className="govuk-heading-s">{t("recoveryCodes.listLabel")}</h2>
            <ul className="govuk-list panel-codes" id="recovery-codes">
              {codes.map((code) => (
                <li key={code}>{code}</li>
              ))}
            </ul>
            <AppLink className="govuk-button" data-module="govuk-button" to="/account">
              {t("recoveryCodes.done")}
            </AppLink>
          </>
        ) : (
          <>
            <p className="govuk-body">{t("recoveryCodes.gone")}</p>
            <p className="govuk-body">
              <AppLink className="govuk-link" to="/account">
                {t("account.title")}
              </AppLink>
            </p>
          </>
        )}
      </div>
    </div>
  );
}
