import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary, TextField, useSchemaForm } from "~/components/form";
import { BackLink, PageHeading } from "~/components/layout";
import { getEnv } from "~/env.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm, replyWithErrors } from "~/lib/forms.server";
import { lockedMessage } from "~/models/auth/lockout.server";
import { changePassword } from "~/models/auth/password-reset.server";
import { consumeRateLimit } from "~/models/auth/rate-limit.server";
import { AppError } from "~/models/errors.server";
import { requireUser } from "~/policy/index.server";
import { ChangePasswordSchema } from "./schema";

export const meta: MetaFunction = () => [{ title: "Change your password – Panel" }];

const SECRET_FIELDS = ["currentPassword", "password", "confirmPassword"];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = await parseForm(request, ChangePasswordSchema);
  if (!parsed.ok) return replyWithErrors(parsed.submission, { hideFields: SECRET_FIELDS });
  const limit = await consumeRateLimit({ key: `change-password:${user.id}`, limit: getEnv().SIGN_IN_RATE_LIMIT, windowSeconds: 15 * 60 });
  if (!limit.allowed) return replyWithErrors(parsed.submission, { formErrors: ["errors.tooManyRequests"], hideFields: SECRET_FIELDS }, 429);
  try {
    const result = await changePassword({
      actor: user.actor,
      userId: user.id,
      sessionId: user.sessionId,
      currentPassword: parsed.value.currentPassword,
      newPassword: parsed.value.password,
    });
    if (!result.ok && result.reason === "locked") {
      return replyWithErrors(parsed.submission, { formErrors: [lockedMessage(result.lockedUntil)], hideFields: SECRET_FIELDS });
    }
    if (!result.ok) {
      return replyWithErrors(parsed.submission, { fieldErrors: { currentPassword: ["auth:errors.currentPasswordWrong"] }, hideFields: SECRET_FIELDS });
    }
  } catch (error) {
    if (error instanceof AppError && error.code === "INVALID" && error.options.field) {
      return replyWithErrors(parsed.submission, { fieldErrors: { [error.options.field]: [error.messageKey] }, hideFields: SECRET_FIELDS });
    }
    throw error;
  }
  return redirectWithFlash("/account", { key: "auth:changePassword.done" });
}

export default function ChangePassword() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const [form, fields] = useSchemaForm(ChangePasswordSchema, {
    id: "change-password",
    lastResult: actionData?.result,
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/account" />
        <ErrorSummary form={form} />
        <PageHeading>{t("changePassword.title")}</PageHeading>
        <Form method="post" {...getFormProps(form)}>
          <TextField field={fields.currentPassword} label={t("changePassword.current")} type="password" autoComplete="current-password" />
          <TextField field={fields.password} label={t("changePassword.new")} hint={t("changePassword.newHint")} type="password" autoComplete="new-password" />
          <TextField field={fields.confirmPassword} label={t("changePassword.confirm")} type="password" autoComplete="new-password" />
          <Button disabled={navigation.state === "submitting"}>{t("changePassword.submit")}</Button>
        </Form>
      </div>
    </div>
  );
}
