import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary, TextField, useSchemaForm } from "~/components/form";
import { PageHeading } from "~/components/layout";
import { redirectWithFlash } from "~/lib/flash.server";
import { replyWithErrors, parseForm } from "~/lib/forms.server";
import { findPasswordReset, resetPassword } from "~/models/auth/password-reset.server";
import { blankSessionCookie } from "~/models/auth/sessions.server";
import { AppError } from "~/models/errors.server";
import { clientIp } from "~/policy/index.server";
import { ResetPasswordSchema } from "./schema";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction = () => [{ title: "Choose a new password – Panel" }];

const SECRET_FIELDS = ["password", "confirmPassword"];

/** Public: the emailed link is the credential. An unknown, used or expired link answers 410. */
export async function loader({ params }: LoaderFunctionArgs) {
  const reset = await findPasswordReset({ token: params.token ?? "" });
  return data({ valid: reset !== null }, { status: reset ? 200 : 410 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const parsed = await parseForm(request, ResetPasswordSchema);
  if (!parsed.ok) return replyWithErrors(parsed.submission, { hideFields: SECRET_FIELDS });
  try {
    const result = await resetPassword({ token: params.token ?? "", password: parsed.value.password, ip: clientIp(request) });
    if (!result.ok) return data({ expired: true as const }, { status: 410 });
  } catch (error) {
    if (error instanceof AppError && error.code === "INVALID" && error.options.field) {
      return replyWithErrors(parsed.submission, { fieldErrors: { [error.options.field]: [error.messageKey] }, hideFields: SECRET_FIELDS });
    }
    throw error;
  }
  return redirectWithFlash("/sign-in", { key: "auth:reset.done" }, { headers: { "Set-Cookie": blankSessionCookie() } });
}

export default function ResetPassword() {
  const { valid } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const [form, fields] = useSchemaForm(ResetPasswordSchema, {
    id: "reset-password",
    lastResult: actionData && "result" in actionData ? actionData.result : undefined,
  });
  if (!valid || (actionData && "expired" in actionData)) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <PageHeading>{t("reset.expiredTitle")}</PageHeading>
          <p className="govuk-body">{t("reset.expiredBody")}</p>
          <p className="govuk-body">
            <AppLink className="govuk-link" to="/password/forgot">
              {t("reset.newLink")}
            </AppLink>
          </p>
        </div>
      </div>
    );
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary form={form} />
        <PageHeading>{t("reset.title")}</PageHeading>
        <Form method="post" {...getFormProps(form)}>
          <TextField field={fields.password} label={t("reset.new")} hint={t("reset.newHint")} type="password" autoComplete="new-password" />
          <TextField field={fields.confirmPassword} label={t("reset.confirm")} type="password" autoComplete="new-password" />
          <Button disabled={navigation.state === "submitting"}>{t("reset.submit")}</Button>
        </Form>
      </div>
    </div>
  );
}
