import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary, TextField, useSchemaForm } from "~/components/form";
import { BackLink, PageHeading } from "~/components/layout";
import { parseForm } from "~/lib/forms.server";
import { consumeCodeAttempt, regenerateRecoveryCodes } from "~/models/auth/two-factor.server";
import { requireUser } from "~/policy/index.server";
import { recoveryCodesCookie } from "../account.two-factor.recovery-codes/codes-cookie.server";
import { replyToRefusedCode, replyTooManyAttempts } from "../sign-in.two-factor/replies.server";
import { RegenerateRecoveryCodesSchema } from "./schema";

export const meta: MetaFunction = () => [{ title: "Get new recovery codes – Panel" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!user.hasTwoFactor) throw redirect("/account/two-factor/setup");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (!user.hasTwoFactor) throw redirect("/account/two-factor/setup");
  const parsed = await parseForm(request, RegenerateRecoveryCodesSchema);
  if (!parsed.ok) return parsed.response;
  if (!(await consumeCodeAttempt(user.id)).allowed) return replyTooManyAttempts(parsed.submission);
  const result = await regenerateRecoveryCodes({ actor: user.actor, userId: user.id, code: parsed.value.code });
  if (!result.ok) return replyToRefusedCode(parsed.submission, result);
  return redirect("/account/two-factor/recovery-codes?from=regenerate", {
    headers: { "Set-Cookie": recoveryCodesCookie(user.id, result.recoveryCodes) },
  });
}

export default function RegenerateRecoveryCodes() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const [form, fields] = useSchemaForm(RegenerateRecoveryCodesSchema, {
    id: "regenerate",
    lastResult: actionData?.result,
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/account" />
        <ErrorSummary form={form} />
        <PageHeading>{t("regenerate.title")}</PageHeading>
        <p className="govuk-body">{t("regenerate.intro")}</p>
        <Form method="post" {...getFormProps(form)}>
          <TextField
            field={fields.code}
            label={t("regenerate.code")}
            labelClass="govuk-label--s"
            hint={t("regenerate.codeHint")}
            width="5"
            autoComplete="one-time-code"
            inputMode="numeric"
            spellCheck={false}
          />
          <Button disabled={navigation.state === "submitting"}>{t("regenerate.submit")}</Button>
        </Form>
      </div>
    </div>
  );
}
