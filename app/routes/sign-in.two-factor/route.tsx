import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary, TextField } from "~/components/form";
import { PageHeading } from "~/components/layout";
import { parseForm } from "~/lib/forms.server";
import { safeRedirect } from "~/lib/safe-redirect";
import { consumeCodeAttempt, verifyTwoFactorSignIn } from "~/models/auth/two-factor.server";
import { requireUser, type CurrentUser } from "~/policy/index.server";
import { SignOutOffer } from "./sign-out-offer";
import { replyToRefusedCode, replyTooManyAttempts } from "./replies.server";
import { TwoFactorCodeSchema } from "./schema";

export const meta: MetaFunction = () => [{ title: "Enter your security code – Panel" }];

/** Only for a session past the password step whose user has two-factor and has not passed it yet. */
function sendOnIfDone(user: CurrentUser, redirectTo: string | null | undefined) {
  if (!user.hasTwoFactor || user.twoFactorVerified) throw redirect(safeRedirect(redirectTo));
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { allowPendingTwoFactor: true });
  sendOnIfDone(user, new URL(request.url).searchParams.get("redirectTo"));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, { allowPendingTwoFactor: true });
  const parsed = await parseForm(request, TwoFactorCodeSchema);
  sendOnIfDone(user, parsed.formData.get("redirectTo")?.toString());
  if (!parsed.ok) return parsed.response;
  if (!(await consumeCodeAttempt(user.id)).allowed) return replyTooManyAttempts(parsed.submission);
  const result = await verifyTwoFactorSignIn({ actor: user.actor, userId: user.id, sessionId: user.sessionId, code: parsed.value.code });
  if (!result.ok) return replyToRefusedCode(parsed.submission, result);
  return redirect(safeRedirect(parsed.value.redirectTo));
}

export default function TwoFactorSignIn() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const [form, fields] = useForm({
    id: "two-factor",
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TwoFactorCodeSchema }),
    shouldValidate: "onSubmit",
  });
  const redirectTo = params.get("redirectTo") ?? "";
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary form={form} />
        <PageHeading>{t("twoFactor.title")}</PageHeading>
        <p className="govuk-body">{t("twoFactor.intro")}</p>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <TextField
            field={fields.code}
            label={t("twoFactor.code")}
            labelClass="govuk-label--s"
            hint={t("twoFactor.codeHint")}
            width="5"
            autoComplete="one-time-code"
            inputMode="numeric"
            spellCheck={false}
          />
          <Button disabled={navigation.state === "submitting"}>{t("twoFactor.submit")}</Button>
        </Form>
        <p className="govuk-body">
          <Link className="govuk-link" to={`/sign-in/recovery-code${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`}>
            {t("twoFactor.useRecoveryCode")}
          </Link>
        </p>
        <SignOutOffer />
      </div>
    </div>
  );
}
