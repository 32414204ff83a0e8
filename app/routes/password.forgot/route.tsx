import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary, TextField, useSchemaForm } from "~/components/form";
import { BackLink, PageHeading } from "~/components/layout";
import { getEnv } from "~/env.server";
import { languageFromRequest } from "~/i18n/config";
import { parseForm, replyWithErrors } from "~/lib/forms.server";
import { requestPasswordReset } from "~/models/auth/password-reset.server";
import { consumeRateLimit } from "~/models/auth/rate-limit.server";
import { clientIp } from "~/policy/index.server";
import { ForgotPasswordSchema } from "./schema";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction = () => [{ title: "Reset your password – Panel" }];

const HOUR = 60 * 60;

/** Public: people who cannot sign in ask for a link here. */
export async function loader({ request }: LoaderFunctionArgs) {
  return { sent: new URL(request.url).searchParams.get("sent") === "1" };
}

/** The answer is the same whether or not the address has an account. */
export async function action({ request }: ActionFunctionArgs) {
  const parsed = await parseForm(request, ForgotPasswordSchema);
  if (!parsed.ok) return parsed.response;
  const ip = clientIp(request);
  const limit = getEnv().RESET_RATE_LIMIT;
  const byIp = await consumeRateLimit({ key: `reset-ip:${ip ?? "unknown"}`, limit, windowSeconds: HOUR });
  const byEmail = await consumeRateLimit({ key: `reset-email:${parsed.value.email}`, limit, windowSeconds: HOUR });
  if (!byIp.allowed || !byEmail.allowed) return replyWithErrors(parsed.submission, { formErrors: ["errors.tooManyRequests"] }, 429);
  await requestPasswordReset({ email: parsed.value.email, ip, lang: languageFromRequest(request) });
  return redirect("/password/forgot?sent=1");
}

export default function ForgotPassword() {
  const { sent } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const [form, fields] = useSchemaForm(ForgotPasswordSchema, {
    id: "forgot-password",
    lastResult: actionData?.result,
  });
  if (sent) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <PageHeading>{t("forgot.sentTitle")}</PageHeading>
          <p className="govuk-body">{t("forgot.sentBody")}</p>
          <p className="govuk-body">{t("forgot.sentHelp")}</p>
          <ul className="govuk-list">
            <li>
              <AppLink className="govuk-link" to="/password/forgot">
                {t("forgot.again")}
              </AppLink>
            </li>
            <li>
              <AppLink className="govuk-link" to="/sign-in">
                {t("forgot.backToSignIn")}
              </AppLink>
            </li>
          </ul>
        </div>
      </div>
    );
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/sign-in" />
        <ErrorSummary form={form} />
        <PageHeading>{t("forgot.title")}</PageHeading>
        <p className="govuk-body">{t("forgot.intro")}</p>
        <Form method="post" {...getFormProps(form)}>
          <TextField field={fields.email} label={t("forgot.email")} type="email" autoComplete="username" spellCheck={false} />
          <Button disabled={navigation.state === "submitting"}>{t("forgot.submit")}</Button>
        </Form>
      </div>
    </div>
  );
}
