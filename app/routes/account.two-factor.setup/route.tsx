import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary, TextField, useSchemaForm } from "~/components/form";
import { InsetText, PageHeading } from "~/components/layout";
import { parseForm } from "~/lib/forms.server";
import { consumeCodeAttempt, enableTwoFactor } from "~/models/auth/two-factor.server";
import { mustEnrolTwoFactor, requireUser } from "~/policy/index.server";
import { recoveryCodesCookie } from "../account.two-factor.recovery-codes/codes-cookie.server";
import { newEnrolmentView, pendingEnrolmentView } from "./enrolment.server";
import { EnableTwoFactorSchema } from "./schema";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction = () => [{ title: "Set up two-factor authentication – Panel" }];

// A fresh key on every load would change the QR code under someone halfway through scanning it.
export const shouldRevalidate = () => false;

/** Also where requireUser sends someone whose panel requires two-factor they have not set up. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { allowMissingEnrolment: true });
  if (user.hasTwoFactor) throw redirect("/account");
  return { enrolment: await newEnrolmentView(user), required: mustEnrolTwoFactor(user) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, { allowMissingEnrolment: true });
  if (user.hasTwoFactor) throw redirect("/account");
  const parsed = await parseForm(request, EnableTwoFactorSchema);
  const pending = await pendingEnrolmentView(user, parsed.formData.get("pendingKey"));
  const expired = async () =>
    data(
      { result: parsed.submission.reply({ formErrors: ["auth:errors.setupExpired"], hideFields: ["code", "pendingKey"] }), enrolment: await newEnrolmentView(user) },
      { status: 400 },
    );
  if (!pending) return expired();
  if (!parsed.ok) return data({ result: parsed.submission.reply({ hideFields: ["code"] }), enrolment: pending }, { status: 400 });
  if (!(await consumeCodeAttempt(user.id)).allowed) {
    return data({ result: parsed.submission.reply({ formErrors: ["errors.tooManyRequests"], hideFields: ["code"] }), enrolment: pending }, { status: 429 });
  }
  const result = await enableTwoFactor({
    actor: user.actor,
    userId: user.id,
    sessionId: user.sessionId,
    pendingKey: parsed.value.pendingKey,
    code: parsed.value.code,
  });
  if (!result.ok && result.reason === "expired") return expired();
  if (!result.ok) {
    return data({ result: parsed.submission.reply({ fieldErrors: { code: ["auth:errors.codeIncorrect"] }, hideFields: ["code"] }), enrolment: pending }, { status: 400 });
  }
  return redirect("/account/two-factor/recovery-codes?from=setup", {
    headers: { "Set-Cookie": recoveryCodesCookie(user.id, result.recoveryCodes) },
  });
}

export default function SetUpTwoFactor() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  // After a refused code the action sends the key the form must keep using.
  const enrolment = actionData?.enrolment ?? loaderData.enrolment;
  const [form, fields] = useSchemaForm(EnableTwoFactorSchema, {
    id: "enable-two-factor",
    lastResult: actionData?.result,
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary form={form} />
        <PageHeading>{t(loaderData.required ? "setup.requiredTitle" : "setup.title")}</PageHeading>
        {loaderData.required ? <InsetText>{t("setup.requiredBody")}</InsetText> : null}
        <p className="govuk-body">{t("setup.intro")}</p>
        <h2 className="govuk-heading-m">{t("setup.step1")}</h2>
        <p className="govuk-body">{t("setup.step1Body")}</p>
        <h2 className="govuk-heading-m">{t("setup.step2")}</h2>
        <p className="govuk-body">{t("setup.step2Body")}</p>
        <div className="panel-qr govuk-!-margin-bottom-4" role="img" aria-label={t("setup.qrLabel")} dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }} />
        <details className="govuk-details">
          <summary className="govuk-details__summary">
            <span className="govuk-details__summary-text">{t("setup.manual")}</span>
          </summary>
          <div className="govuk-details__text">
            <p className="govuk-body">{t("setup.manualBody")}</p>
            <p className="govuk-body">
              {t("setup.key")}:{" "}
              <code id="two-factor-key" className="govuk-!-font-weight-bold">
                {enrolment.keyText}
              </code>
            </p>
          </div>
        </details>
        <h2 className="govuk-heading-m">{t("setup.step3")}</h2>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="pendingKey" value={enrolment.pendingKey} />
          <TextField
            field={fields.code}
            label={t("setup.code")}
            labelClass="govuk-label--s"
            hint={t("setup.codeHint")}
            width="5"
            autoComplete="one-time-code"
            inputMode="numeric"
            spellCheck={false}
          />
          <Button disabled={navigation.state === "submitting"}>{t("setup.submit")}</Button>
        </Form>
        {loaderData.required ? null : (
          <p className="govuk-body">
            <AppLink className="govuk-link" to="/account">
              {t("setup.cancel")}
            </AppLink>
          </p>
        )}
      </div>
    </div>
  );
}
