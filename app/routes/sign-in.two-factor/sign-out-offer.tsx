import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The header has no sign-out link until two-factor is passed. */
export function SignOutOffer() {
  const { t } = useTranslation("auth");
  return (
    <Form method="post" action="/sign-out" className="govuk-!-margin-top-6">
      <p className="govuk-body">
        {t("twoFactor.notYou")}{" "}
        <button type="submit" className="panel-link-button govuk-link">
          {t("twoFactor.signOut")}
        </button>
      </p>
    </Form>
  );
}
