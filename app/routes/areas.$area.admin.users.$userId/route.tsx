import { getFormProps, type SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { roles } from "#db/schema/users";
import { Button, ErrorSummary, SelectField, useSchemaForm } from "~/components/form";
import { BackLink, PageHeading, SummaryList, Tag } from "~/components/layout";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm, replyWithAppError } from "~/lib/forms.server";
import { listAgencies } from "~/models/agencies.server";
import { AppError, withAppErrors } from "~/models/errors.server";
import { addMembership, changeMembership, getMember, resetTwoFactor, setMemberActive, type MemberRole } from "~/models/users.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { AccessSchema, AddRoleSchema, ChangeRoleSchema } from "./schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];

export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "area:admin", { area: params.area });
  const member = await getMember({ actor: ctx.actor, areaId: ctx.area.id, userId: params.userId ?? "" });
  const agencies = await listAgencies({ actor: ctx.actor, areaId: ctx.area.id });
  return {
    title: member.name,
    area: { name: ctx.area.name },
    base: areaPath(ctx.area.code, "/admin"),
    member,
    // Inactive agencies stay listed only where a membership still names one.
    agencies: agencies.map((a) => ({ value: a.id, label: a.name, active: a.active })),
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "area:admin", { area: params.area });
  const scope = { actor: ctx.actor, areaId: ctx.area.id };
  const userId = params.userId ?? "";
  const member = await getMember({ ...scope, userId });
  const here = areaPath(ctx.area.code, `/admin/users/${member.userId}`);
  const intent = (await request.clone().formData()).get("intent");
  if (intent === "change-role") {
    const parsed = await parseForm(request, ChangeRoleSchema);
    if (!parsed.ok) return parsed.response;
    try {
      if (!member.roles.some((r) => r.membershipId === parsed.value.membershipId)) throw new AppError("NOT_FOUND", "errors.notFound");
      await changeMembership({ ...scope, ...parsed.value, agencyId: parsed.value.agencyId ?? null });
      return redirectWithFlash(here, { key: "admin:member.roleChanged" });
    } catch (error) {
      return replyWithAppError(parsed.submission, error);
    }
  }
  if (intent === "add-role") {
    const parsed = await parseForm(request, AddRoleSchema);
    if (!parsed.ok) return parsed.response;
    try {
      await addMembership({ ...scope, userId: member.userId, role: parsed.value.role, agencyId: parsed.value.agencyId ?? null });
      return redirectWithFlash(here, { key: "admin:member.roleAdded" });
    } catch (error) {
      return replyWithAppError(parsed.submission, error);
    }
  }
  const parsed = await parseForm(request, AccessSchema);
  if (!parsed.ok) return parsed.response;
  const values = { name: member.name };
  try {
    if (parsed.value.intent === "reset-two-factor") {
      await resetTwoFactor({ ...scope, userId: member.userId });
      return redirectWithFlash(here, { key: "admin:member.twoFactorReset", values });
    }
    const active = parsed.value.intent === "enable";
    await setMemberActive({ ...scope, userId: member.userId, active });
    return redirectWithFlash(here, { key: active ? "admin:member.enabled" : "admin:member.disabled", values });
  } catch (error) {
    return replyWithAppError(parsed.submission, error);
  }
});

type ActionResult = SubmissionResult<string[]> & { initialValue?: Record<string, unknown> | null };

/** The form a result belongs to, from what was posted (several forms share this page). */
function resultFor(actionData: unknown, match: (posted: Record<string, unknown>) => boolean): ActionResult | undefined {
  if (!actionData || typeof actionData !== "object" || !("result" in actionData)) return undefined;
  const result = actionData.result as ActionResult;
  return result.initialValue && match(result.initialValue) ? result : undefined;
}

export default function MemberDetail() {
  const { area, base, member, agencies } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  const summaryErrors = summaryFrom(actionData, member.roles);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`${base}/users`}>{t("users.title")}</BackLink>
        <ErrorSummary extra={summaryErrors} />
        <PageHeading caption={area.name}>{member.name}</PageHeading>
        <SummaryList
          rows={[
            { key: t("member.email"), value: member.email },
            {
              key: t("member.status"),
              value: member.active ? <Tag colour="green">{t("users.active")}</Tag> : <Tag colour="grey">{t("users.disabled")}</Tag>,
            },
            { key: t("member.twoFactor"), value: member.twoFactor ? t("users.on") : t("users.off") },
            ...(member.accountDisabled ? [{ key: t("member.accountDisabled"), value: t("common:yes") }] : []),
          ]}
        />
        <h2 className="govuk-heading-m">{t("member.rolesHeading")}</h2>
        {member.roles.map((r) => (
          <RoleForm key={`${r.membershipId}-${r.version}`} membership={r} agencies={agencies} result={resultFor(actionData, (p) => p.membershipId === r.membershipId)} />
        ))}
        <h2 className="govuk-heading-m">{t("member.addHeading")}</h2>
        <AddRoleForm agencies={agencies} result={resultFor(actionData, (p) => p.intent === "add-role")} />
        <h2 className="govuk-heading-m">{t("member.accessHeading")}</h2>
        <p className="govuk-body">{member.active ? t("member.disableBody") : t("member.enableBody")}</p>
        <Form method="post">
          {member.active ? (
            <Button warning name="intent" value="disable">
              {t("member.disable")}
            </Button>
          ) : (
            <Button secondary name="intent" value="enable">
              {t("member.enable")}
            </Button>
          )}
        </Form>
        <h2 className="govuk-heading-m">{t("member.resetHeading")}</h2>
        <p className="govuk-body">{t("member.resetBody")}</p>
        <Form method="post">
          <Button secondary name="intent" value="reset-two-factor">
            {t("member.reset")}
          </Button>
        </Form>
      </div>
    </div>
  );
}

function summaryFrom(actionData: unknown, memberships: MemberRole[]) {
  if (!actionData || typeof actionData !== "object") return [];
  if ("conflict" in actionData) return [{ message: String(actionData.conflict) }];
  const result = resultFor(actionData, () => true) ?? ("result" in actionData ? (actionData.result as ActionResult) : undefined);
  if (!result?.error) return [];
  const posted = result.initialValue ?? {};
  const membership = memberships.find((m) => m.membershipId === posted.membershipId);
  const formId = posted.intent === "add-role" ? "add-role" : membership ? `role-${membership.membershipId}-${membership.version}` : null;
  return Object.entries(result.error).flatMap(([field, messages]) =>
    (messages ?? []).slice(0, 1).map((message) => ({ href: field && formId ? `#${formId}-${field}` : undefined, message })),
  );
}

function agencyOptions(agencies: { value: string; label: string; active: boolean }[], current: string | null) {
  return agencies.filter((a) => a.active || a.value === current).map(({ value, label }) => ({ value, label }));
}

function RoleForm({
  membership,
  agencies,
  result,
}: {
  membership: MemberRole;
  agencies: { value: string; label: string; active: boolean }[];
  result: ActionResult | undefined;
}) {
  const { t } = useTranslation("admin");
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(ChangeRoleSchema, {
    id: `role-${membership.membershipId}-${membership.version}`,
    lastResult: result,
    defaultValue: { role: membership.role, agencyId: membership.agencyId ?? "" },
  });
  const roleName = t(`common:roles.${membership.role}`);
  return (
    <Form method="post" {...getFormProps(form)} className="govuk-!-margin-bottom-6">
      <fieldset className="govuk-fieldset">
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
          {t("member.roleForm", { role: roleName })} {membership.active ? null : t("member.inactiveRole")}
        </legend>
        <input type="hidden" name="intent" value="change-role" />
        <input type="hidden" name="membershipId" value={membership.membershipId} />
        <input type="hidden" name="version" value={membership.version} />
        <SelectField field={fields.role} label={t("users.roleLabel")} options={roles.map((r) => ({ value: r, label: t(`common:roles.${r}`) }))} />
        <SelectField
          field={fields.agencyId}
          label={t("users.agencyLabel")}
          hint={t("users.agencyHint")}
          placeholder={t("users.agencyPlaceholder")}
          options={agencyOptions(agencies, membership.agencyId)}
        />
        <Button secondary disabled={navigation.state === "submitting"}>
          {t("member.saveRole")}
          <span className="govuk-visually-hidden"> ({roleName})</span>
        </Button>
      </fieldset>
    </Form>
  );
}

function AddRoleForm({ agencies, result }: { agencies: { value: string; label: string; active: boolean }[]; result: ActionResult | undefined }) {
  const { t } = useTranslation("admin");
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(AddRoleSchema, {
    id: "add-role",
    lastResult: result,
  });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="add-role" />
      <SelectField
        field={fields.role}
        label={t("users.roleLabel")}
        placeholder={t("users.rolePlaceholder")}
        options={roles.map((r) => ({ value: r, label: t(`common:roles.${r}`) }))}
      />
      <SelectField
        field={fields.agencyId}
        label={t("users.agencyLabel")}
        hint={t("users.agencyHint")}
        placeholder={t("users.agencyPlaceholder")}
        options={agencyOptions(agencies, null)}
      />
      <Button secondary disabled={navigation.state === "submitting"}>
        {t("member.add")}
      </Button>
    </Form>
  );
}
