import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary, useSchemaForm } from "~/components/form";
import { BackLink, PageHeading } from "~/components/layout";
import { createI18n, languageFromRequest } from "~/i18n/config";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm, replyWithAppError } from "~/lib/forms.server";
import { getAgency, setAgencyActive, updateAgency } from "~/models/agencies.server";
import { withAppErrors } from "~/models/errors.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { AgencyFields } from "../areas.$area.admin.agencies.new/agency-fields";
import { AgencyStatusSchema, EditAgencySchema } from "./schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];

export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "area:admin", { area: params.area });
  const agency = await getAgency({ actor: ctx.actor, areaId: ctx.area.id, agencyId: params.agencyId ?? "" });
  return {
    title: createI18n(languageFromRequest(request)).t("admin:agencies.editTitle", { name: agency.name }),
    area: { name: ctx.area.name },
    base: areaPath(ctx.area.code, "/admin"),
    agency: {
      id: agency.id,
      name: agency.name,
      kind: agency.kind,
      secureEmail: agency.secureEmail,
      isVerifier: agency.isVerifier,
      active: agency.active,
      version: agency.version,
    },
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "area:admin", { area: params.area });
  const scope = { actor: ctx.actor, areaId: ctx.area.id, agencyId: params.agencyId ?? "" };
  const list = areaPath(ctx.area.code, "/admin/agencies");
  const intent = (await request.clone().formData()).get("intent");
  if (intent === "deactivate" || intent === "reactivate") {
    const parsed = await parseForm(request, AgencyStatusSchema);
    if (!parsed.ok) return parsed.response;
    try {
      const active = parsed.value.intent === "reactivate";
      const agency = await setAgencyActive({ ...scope, version: parsed.value.version, active });
      return redirectWithFlash(list, { key: active ? "admin:agencies.reactivated" : "admin:agencies.deactivated", values: { name: agency.name } });
    } catch (error) {
      return replyWithAppError(parsed.submission, error);
    }
  }
  const parsed = await parseForm(request, EditAgencySchema);
  if (!parsed.ok) return parsed.response;
  const { version, ...values } = parsed.value;
  try {
    const agency = await updateAgency({ ...scope, version, values: { ...values, secureEmail: values.secureEmail ?? null } });
    return redirectWithFlash(list, { key: "admin:agencies.updated", values: { name: agency.name } });
  } catch (error) {
    return replyWithAppError(parsed.submission, error);
  }
});

export default function EditAgency() {
  const { area, base, agency } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("admin");
  const [form, fields] = useSchemaForm(EditAgencySchema, {
    // A new version (after a conflict) starts the form again from the current record.
    id: `agency-${agency.version}`,
    lastResult: actionData && "result" in actionData ? actionData.result : undefined,
    defaultValue: { ...agency, secureEmail: agency.secureEmail ?? "", isVerifier: agency.isVerifier ? "on" : undefined },
  });
  const conflict = actionData && "conflict" in actionData ? [{ message: actionData.conflict }] : [];
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`${base}/agencies`}>{t("agencies.title")}</BackLink>
        <ErrorSummary form={form} extra={conflict} />
        <PageHeading caption={area.name}>{t("agencies.editTitle", { name: agency.name })}</PageHeading>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="version" value={agency.version} />
          <AgencyFields fields={fields} />
          <Button disabled={navigation.state === "submitting"}>{t("agencies.save")}</Button>
        </Form>
        <h2 className="govuk-heading-m">{agency.active ? t("agencies.deactivateHeading") : t("agencies.reactivateHeading")}</h2>
        <p className="govuk-body">{agency.active ? t("agencies.deactivateBody") : t("agencies.reactivateBody")}</p>
        <Form method="post">
          <input type="hidden" name="version" value={agency.version} />
          {agency.active ? (
            <Button warning name="intent" value="deactivate">
              {t("agencies.deactivate")}
            </Button>
          ) : (
            <Button secondary name="intent" value="reactivate">
              {t("agencies.reactivate")}
            </Button>
          )}
        </Form>
      </div>
    </div>
  );
}
