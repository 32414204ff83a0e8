import type { FieldMetadata } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import { agencyKinds } from "#db/schema/agencies";
import { CheckboxField, SelectField, TextField } from "~/components/form";

/** The agency fields, shared with the "change" page. */
export function AgencyFields({ fields }: { fields: Record<"name" | "kind" | "secureEmail" | "isVerifier", FieldMetadata<any>> }) {
  const { t } = useTranslation("admin");
  return (
    <>
      <TextField field={fields.name} label={t("agencies.nameLabel")} labelClass="govuk-label--s" spellCheck={false} />
      <SelectField
        field={fields.kind}
        label={t("agencies.kindLabel")}
        labelClass="govuk-label--s"
        placeholder={t("agencies.kindPlaceholder")}
        options={agencyKinds.map((k) => ({ value: k, label: t(`common:agencyKinds.${k}`) }))}
      />
      <TextField
        field={fields.secureEmail}
        label={t("agencies.secureEmailLabel")}
        labelClass="govuk-label--s"
        hint={t("agencies.secureEmailHint")}
        type="email"
        spellCheck={false}
        autoComplete="off"
      />
      <CheckboxField field={fields.isVerifier} label={t("agencies.verifierLabel")} hint={t("agencies.verifierHint")} />
    </>
  );
}
