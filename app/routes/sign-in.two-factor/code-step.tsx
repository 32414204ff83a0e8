import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { Button, ErrorSummary, TextField } from "~/components/form";
import { PageHeading } from "~/components/layout";
import { SignOutOffer } from "./sign-out-offer";
import { AppLink } from "~/components/app-link";

/**
 * The page of either second sign-in step: one code field, a link to the other
 * kind of code, and a way to sign out. `strings` is the auth namespace prefix.
 */
export function CodeStepPage({
  formId,
  schema,
  lastResult,
  strings,
  input,
  otherStep,
}: {
  formId: string;
  schema: z.ZodTypeAny;
  lastResult: SubmissionResult<string[]> | undefined;
  strings: "twoFactor" | "recoveryCode";
  input: { width: "5" | "10"; autoComplete: string; inputMode?: "numeric" };
  otherStep: { path: string; labelKey: string };
}) {
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const [form, fields] = useForm({
    id: formId,
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
  });
  const redirectTo = params.get("redirectTo") ?? "";
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary form={form} />
        <PageHeading>{t(`${strings}.title`)}</PageHeading>
        <p className="govuk-body">{t(`${strings}.intro`)}</p>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <TextField
            field={fields.code}
            label={t(`${strings}.code`)}
            labelClass="govuk-label--s"
            hint={t(`${strings}.codeHint`)}
            width={input.width}
            autoComplete={input.autoComplete}
            inputMode={input.inputMode}
            spellCheck={false}
          />
          <Button disabled={navigation.state === "submitting"}>{t(`${strings}.submit`)}</Button>
        </Form>
        <p className="govuk-body">
          <AppLink className="govuk-link" to={`${otherStep.path}${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`}>
            {t(otherStep.labelKey)}
          </AppLink>
        </p>
        <SignOutOffer />
      </div>
    </div>
  );
}
