import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary } from "~/components/form";
import { PageHeading, Table, Tag } from "~/components/layout";
import { createI18n, languageFromRequest } from "~/i18n/config";
import { listAgencyReferrals, startReferral } from "~/models/cases/referrals.server";
import { AppError } from "~/models/errors.server";
import { requireReferrer, referralPaths } from "../areas.$area.referrals.$caseId._index/referral.server";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];

/** "Your agency's referrals": drafts and returned referrals to continue, submitted ones to follow. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireReferrer(request, params);
  const rows = await listAgencyReferrals({ actor: ctx });
  const list = referralPaths(ctx.area.code, "").list;
  const pick = (r: (typeof rows)[number]) => ({
    id: r.id,
    reference: r.reference,
    status: r.status,
    createdAt: r.createdAt.toISOString().slice(0, 10),
    submittedAt: r.submittedAt ? r.submittedAt.toISOString().slice(0, 10) : null,
    returnedReason: r.returnedReason,
  });
  return {
    title: createI18n(languageFromRequest(request)).t("referrals:list.title"),
    area: { name: ctx.area.name },
    list,
    canStart: ctx.agencyId !== null,
    drafts: rows.filter((r) => r.status === "draft").map(pick),
    returned: rows.filter((r) => r.status === "returned").map(pick),
    submitted: rows.filter((r) => r.status !== "draft" && r.status !== "returned").map(pick),
  };
}

/** Start a new referral and go to its first section. */
export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireReferrer(request, params);
  try {
    const row = await startReferral({ actor: ctx, referrer: { name: ctx.user.name, email: ctx.user.email } });
    return redirect(`${referralPaths(ctx.area.code, row.id).base}/referrer`);
  } catch (error) {
    if (error instanceof AppError && error.code === "INVALID") return data({ error: error.messageKey }, { status: 400 });
    throw error;
  }
}

export default function ReferralList() {
  const { area, list, canStart, drafts, returned, submitted } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("referrals");
  const continueLink = (id: string, label: string) => (
    <AppLink className="govuk-link" to={`${list}/${id}`}>
      {t("list.continue")}
      <span className="govuk-visually-hidden"> {label}</span>
    </AppLink>
  );
  return (
    <>
      <ErrorSummary extra={actionData && "error" in actionData ? [{ message: actionData.error }] : []} />
      <PageHeading caption={area.name}>{t("list.title")}</PageHeading>
      <p className="govuk-body">{t("list.intro")}</p>
      {canStart ? (
        <Form method="post">
          <Button disabled={navigation.state === "submitting"}>{t("list.start")}</Button>
        </Form>
      ) : (
        <p className="govuk-body">{t("list.noAgency")}</p>
      )}
      {returned.length ? (
        <Table
          caption={t("list.returned")}
          head={[t("list.reference"), t("list.returnedReason"), <span className="govuk-visually-hidden" key="a">{t("list.actions")}</span>]}
          rows={returned.map((r) => [r.reference ?? t("list.noReference"), r.returnedReason, continueLink(r.id, r.reference ?? "")])}
        />
      ) : null}
      {drafts.length ? (
        <Table
          caption={t("list.drafts")}
          head={[t("list.started"), <span className="govuk-visually-hidden" key="a">{t("list.actions")}</span>]}
          rows={drafts.map((r) => [r.createdAt, continueLink(r.id, t("list.draftStarted", { date: r.createdAt }))])}
        />
      ) : null}
      {submitted.length ? (
        <Table
          caption={t("list.submitted")}
          head={[t("list.reference"), t("list.submittedOn"), t("list.status")]}
          rows={submitted.map((r) => [
            r.reference ?? "",
            r.submittedAt ?? "",
            <Tag key="s" colour={r.status === "referred" ? "blue" : "green"}>
              {t(`status.${r.status}`)}
            </Tag>,
          ])}
        />
      ) : (
        <>
          <h2 className="govuk-heading-m">{t("list.submitted")}</h2>
          <p className="govuk-body">{t("list.noneSubmitted")}</p>
        </>
      )}
    </>
  );
}
