import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary, TextField, useSchemaForm } from "~/components/form";
import { BackLink, PageHeading, WarningText } from "~/components/layout";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms.server";
import { withAppErrors } from "~/models/errors.server";
import { consumeCodeAttempt, disableTwoFactor, isTwoFactorRequired } from "~/models/auth/two-factor.server";
import { requireUser } from "~/policy/index.server";
import { replyToRefusedCode, replyTooManyAttempts } from "../sign-in.two-factor/replies.server";
import { TurnOffTwoFactorSchema } from "./schema";

export const meta: MetaFunction = () => [{ title: "Turn off two-factor authentication – Panel" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!user.hasTwoFactor) throw redirect("/account");
  return { required: await isTwoFactorRequired(user.id) };
}

/** Refused with 403 while a panel of the user's requires two-factor (checked in disableTwoFactor). */
export const action = withAppErrors(async ({ request }: ActionFunctionArgs) => {
  const user = await requireUser(request);
  if (!user.hasTwoFactor) throw redirect("/account");
  const parsed = await parseForm(request, TurnOffTwoFactorSchema);
  if (!parsed.ok) return parsed.response;
  if (!(await consumeCodeAttempt(user.id)).allowed) return replyTooManyAttempts(parsed.submission);
  const result = await disableTwoFactor({ actor: user.actor, userId: user.id, code: parsed.value.code });
  if (!result.ok) return replyToRefusedCode(parsed.submission, result);
  return redirectWithFlash("/account", { key: "auth:twoFactorOff.done" });
});

export default function TurnOffTwoFactor() {
  const { required } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const [form, fields] = useSchemaForm(TurnOffTwoFactorSchema, {
    id: "turn-off",
    lastResult: actionData?.result,
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/account" />
        <ErrorSummary form={form} />
        <PageHeading>{t("twoFactorOff.title")}</PageHeading>
        {required ? (
          <p className="govuk-body">{t("twoFactorOff.required")}</p>
        ) : (
          <>
            <WarningText>{t("twoFactorOff.intro")}</WarningText>
            <Form method="post" {...getFormProps(form)}>
              <TextField
                field={fields.code}
                label={t("twoFactorOff.code")}
                labelClass="govuk-label--s"
                hint={t("twoFactorOff.codeHint")}
                width="5"
                autoComplete="one-time-code"
                inputMode="numeric"
                spellCheck={false}
              />
              <Button warning disabled={navigation.state === "submitting"}>
                {t("twoFactorOff.submit")}
              </Button>
            </Form>
          </>
        )}
      </div>
    </div>
  );
}
