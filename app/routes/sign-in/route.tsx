import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useOutlet, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary, TextField, useSchemaForm } from "~/components/form";
import { PageHeading } from "~/components/layout";
import { getEnv } from "~/env.server";
import { parseForm, replyWithErrors } from "~/lib/forms.server";
import { safeRedirect } from "~/lib/safe-redirect";
import { lockedMessage } from "~/models/auth/lockout.server";
import { consumeRateLimit } from "~/models/auth/rate-limit.server";
import { sessionCookie } from "~/models/auth/sessions.server";
import { signIn } from "~/models/auth/sign-in.server";
import { clientIp, getOptionalUser } from "~/policy/index.server";
import { SignInSchema } from "./schema";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction = () => [{ title: "Sign in – Panel" }];

/** Public. A fully signed-in user goes straight on. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  if (user && (!user.hasTwoFactor || user.twoFactorVerified)) {
    throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  }
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = await parseForm(request, SignInSchema);
  if (!parsed.ok) return parsed.response;
  const ip = clientIp(request);
  const limit = await consumeRateLimit({ key: `sign-in:${ip ?? "unknown"}`, limit: getEnv().SIGN_IN_RATE_LIMIT, windowSeconds: 15 * 60 });
  if (!limit.allowed) {
    return replyWithErrors(parsed.submission, { formErrors: ["errors.tooManyRequests"], hideFields: ["password"] }, 429);
  }
  const result = await signIn({ email: parsed.value.email, password: parsed.value.password, ip });
  if (!result.ok) {
    const formErrors =
      result.reason === "locked"
        ? [lockedMessage(result.lockedUntil)]
        : ["auth:errors.invalidCredentials"];
    return replyWithErrors(parsed.submission, { formErrors, hideFields: ["password"] });
  }
  const to = safeRedirect(parsed.value.redirectTo);
  const next = result.needsTwoFactor ? `/sign-in/two-factor${to !== "/" ? `?redirectTo=${encodeURIComponent(to)}` : ""}` : to;
  return redirect(next, { headers: { "Set-Cookie": sessionCookie(result.token) } });
}

export default function SignInPage() {
  // /sign-in/two-factor and /sign-in/recovery-code nest under this route (flat-route naming).
  const outlet = useOutlet();
  return outlet ?? <SignIn />;
}

function SignIn() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const [form, fields] = useSchemaForm(SignInSchema, {
    id: "sign-in",
    lastResult: actionData?.result,
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary form={form} />
        <PageHeading>{t("signIn.title")}</PageHeading>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          <TextField field={fields.email} label={t("signIn.email")} type="email" autoComplete="username" spellCheck={false} />
          <TextField field={fields.password} label={t("signIn.password")} type="password" autoComplete="current-password" />
          <Button disabled={navigation.state === "submitting"}>{t("signIn.submit")}</Button>
        </Form>
        <p className="govuk-body">
          <AppLink className="govuk-link" to="/password/forgot">
            {t("signIn.forgot")}
          </AppLink>
        </p>
      </div>
    </div>
  );
}
