import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary, useSchemaForm } from "~/components/form";
import { BackLink, PageHeading } from "~/components/layout";
import { createI18n, languageFromRequest } from "~/i18n/config";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm, replyWithAppError } from "~/lib/forms.server";
import { createAgency } from "~/models/agencies.server";
import { withAppErrors } from "~/models/errors.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { AgencyFields } from "./agency-fields";
import { AgencySchema } from "./schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, "area:admin", { area: params.area });
  return {
    title: createI18n(languageFromRequest(request)).t("admin:agencies.newTitle"),
    area: { name: ctx.area.name },
    base: areaPath(ctx.area.code, "/admin"),
  };
}

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "area:admin", { area: params.area });
  const parsed = await parseForm(request, AgencySchema);
  if (!parsed.ok) return parsed.response;
  try {
    const agency = await createAgency({ actor: ctx.actor, areaId: ctx.area.id, values: { ...parsed.value, secureEmail: parsed.value.secureEmail ?? null } });
    return redirectWithFlash(areaPath(ctx.area.code, "/admin/agencies"), { key: "admin:agencies.created", values: { name: agency.name } });
  } catch (error) {
    return replyWithAppError(parsed.submission, error);
  }
});

export default function NewAgency() {
  const { area, base } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("admin");
  const [form, fields] = useSchemaForm(AgencySchema, {
    id: "agency",
    lastResult: actionData && "result" in actionData ? actionData.result : undefined,
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`${base}/agencies`}>{t("agencies.title")}</BackLink>
        <ErrorSummary form={form} />
        <PageHeading caption={area.name}>{t("agencies.newTitle")}</PageHeading>
        <Form method="post" {...getFormProps(form)}>
          <AgencyFields fields={fields} />
          <Button disabled={navigation.state === "submitting"}>{t("agencies.create")}</Button>
        </Form>
      </div>
    </div>
  );
}
