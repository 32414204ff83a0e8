import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PageHeading, Table, Tag } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { formatLongDate, utcToLondon } from "~/lib/london-time";
import { listReferralsForReview } from "~/models/cases/referrals.server";
import { withAppErrors } from "~/models/errors.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { RiskTag } from "./areas.$area.meetings._index/present";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction = () => [{ title: "Referrals to review – Panel" }];

/** The coordinator's queue of submitted referrals awaiting a decision. */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "list:compile", { area: params.area });
  const language = languageFromRequest(request);
  const rows = await listReferralsForReview({ actor: ctx });
  return {
    area: { name: ctx.area.name },
    referrals: rows.map((r) => ({
      id: r.id,
      href: areaPath(ctx.area.code, `/review/${r.id}`),
      reference: r.reference ?? "",
      agencyName: r.agencyName,
      submitted: r.submittedAt ? formatLongDate(utcToLondon(r.submittedAt).date, language) : "",
      riskLevel: r.riskLevel,
      dashScore: r.dashScore,
      possibleRepeat: r.pendingMatches > 0,
    })),
  };
});

export default function ReviewQueue() {
  const { area, referrals } = useLoaderData<typeof loader>();
  const { t } = useTranslation("meetings");
  return (
    <>
      <PageHeading caption={area.name}>{t("review.title")}</PageHeading>
      {referrals.length === 0 ? (
        <p className="govuk-body">{t("review.empty")}</p>
      ) : (
        <Table
          caption={t("review.caption", { count: referrals.length })}
          head={[t("review.columns.reference"), t("review.columns.agency"), t("review.columns.submitted"), t("review.columns.risk"), t("review.columns.dash"), t("review.columns.matches")]}
          rows={referrals.map((r) => [
            <AppLink key="ref" className="govuk-link" to={r.href}>
              {r.reference}
            </AppLink>,
            r.agencyName,
            r.submitted,
            <RiskTag key="risk" level={r.riskLevel} />,
            r.dashScore ?? t("notRecorded"),
            r.possibleRepeat ? (
              <Tag key="repeat" colour="orange">
                {t("review.possibleRepeat")}
              </Tag>
            ) : (
              ""
            ),
          ])}
        />
      )}
    </>
  );
}
