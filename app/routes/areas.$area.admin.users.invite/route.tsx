import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { roles } from "#db/schema/users";
import { Button, ErrorSummary, SelectField, TextField, useSchemaForm } from "~/components/form";
import { BackLink, PageHeading } from "~/components/layout";
import { createI18n, languageFromRequest } from "~/i18n/config";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm, replyWithAppError } from "~/lib/forms.server";
import { listAgencies } from "~/models/agencies.server";
import { withAppErrors } from "~/models/errors.server";
import { inviteUser } from "~/models/users.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { InviteSchema } from "./schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, "area:admin", { area: params.area });
  const agencies = await listAgencies({ actor: ctx.actor, areaId: ctx.area.id, activeOnly: true });
  return {
    title: createI18n(languageFromRequest(request)).t("admin:users.inviteTitle"),
    area: { name: ctx.area.name },
    base: areaPath(ctx.area.code, "/admin"),
    agencies: agencies.map((a) => ({ value: a.id, label: a.name })),
  };
}

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "area:admin", { area: params.area });
  const parsed = await parseForm(request, InviteSchema);
  if (!parsed.ok) return parsed.response;
  try {
    const invitation = await inviteUser({ actor: ctx.actor, areaId: ctx.area.id, values: parsed.value, lang: languageFromRequest(request) });
    return redirectWithFlash(areaPath(ctx.area.code, "/admin/users"), { key: "admin:users.invited", values: { email: invitation.email } });
  } catch (error) {
    return replyWithAppError(parsed.submission, error);
  }
});

export default function InviteUser() {
  const { area, base, agencies } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("admin");
  const [form, fields] = useSchemaForm(InviteSchema, {
    id: "invite",
    lastResult: actionData && "result" in actionData ? actionData.result : undefined,
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`${base}/users`}>{t("users.title")}</BackLink>
        <ErrorSummary form={form} />
        <PageHeading caption={area.name}>{t("users.inviteTitle")}</PageHeading>
        <Form method="post" {...getFormProps(form)}>
          <TextField field={fields.name} label={t("users.nameLabel")} labelClass="govuk-label--s" autoComplete="off" spellCheck={false} />
          <TextField field={fields.email} label={t("users.emailLabel")} labelClass="govuk-label--s" hint={t("users.emailHint")} type="email" autoComplete="off" spellCheck={false} />
          <SelectField
            field={fields.role}
            label={t("users.roleLabel")}
            labelClass="govuk-label--s"
            placeholder={t("users.rolePlaceholder")}
            options={roles.map((r) => ({ value: r, label: t(`common:roles.${r}`) }))}
          />
          <SelectField field={fields.agencyId} label={t("users.agencyLabel")} labelClass="govuk-label--s" hint={t("users.agencyHint")} placeholder={t("users.agencyPlaceholder")} options={agencies} />
          <Button disabled={navigation.state === "submitting"}>{t("users.send")}</Button>
        </Form>
      </div>
    </div>
  );
}
