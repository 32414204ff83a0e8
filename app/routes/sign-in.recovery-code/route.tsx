import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary, TextField } from "~/components/form";
import { PageHeading } from "~/components/layout";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms.server";
import { safeRedirect } from "~/lib/safe-redirect";
import { consumeCodeAttempt, signInWithRecoveryCode } from "~/models/auth/two-factor.server";
import { requireUser, type CurrentUser } from "~/policy/index.server";
import { replyToRefusedCode, replyTooManyAttempts } from "../sign-in.two-factor/replies.server";
import { SignOutOffer } from "../sign-in.two-factor/sign-out-offer";
import { RecoveryCodeSchema } from "./schema";

export const meta: MetaFunction = () => [{ title: "Enter a recovery code – Panel" }];

function sendOnIfDone(user: CurrentUser, redirectTo: string | null | undefined) {
  if (!user.hasTwoFactor || user.twoFactorVerified) throw redirect(safeRedirect(redirectTo));
}

/** Second step of sign-in for someone without their phone. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { allowPendingTwoFactor: true });
  sendOnIfDone(user, new URL(request.url).searchParams.get("redirectTo"));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, { allowPendingTwoFactor: true });
  const parsed = await parseForm(request, RecoveryCodeSchema);
  sendOnIfDone(user, parsed.formData.get("redirectTo")?.toString());
  if (!parsed.ok) return parsed.response;
  if (!(await consumeCodeAttempt(user.id)).allowed) return replyTooManyAttempts(parsed.submission);
  const result = await signInWithRecoveryCode({ actor: user.actor, userId: user.id, sessionId: user.sessionId, code: parsed.value.code });
  if (!result.ok) return replyToRefusedCode(parsed.submission, result, "auth:errors.recoveryCodeIncorrect");
  return redirectWithFlash(safeRedirect(parsed.value.redirectTo), { key: "auth:recoveryCode.used", values: { count: result.remaining ?? 0 }, kind: "info" });
}

export default function RecoveryCodeSignIn() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const [form, fields] = useForm({
    id: "recovery-code",
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RecoveryCodeSchema }),
    shouldValidate: "onSubmit",
  });
  const redirectTo = params.get("redirectTo") ?? "";
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary form={form} />
        <PageHeading>{t("recoveryCode.title")}</PageHeading>
        <p className="govuk-body">{t("recoveryCode.intro")}</p>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <TextField
            field={fields.code}
            label={t("recoveryCode.code")}
            labelClass="govuk-label--s"
            hint={t("recoveryCode.codeHint")}
            width="10"
            autoComplete="off"
            spellCheck={false}
          />
          <Button disabled={navigation.state === "submitting"}>{t("recoveryCode.submit")}</Button>
        </Form>
        <p className="govuk-body">
          <Link className="govuk-link" to={`/sign-in/two-factor${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`}>
            {t("recoveryCode.useApp")}
          </Link>
        </p>
        <SignOutOffer />
      </div>
    </div>
  );
}
