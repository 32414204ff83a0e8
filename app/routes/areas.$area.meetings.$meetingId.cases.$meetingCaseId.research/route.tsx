import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BackLink, PageHeading, SummaryList, Tag } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { formatLongDate, utcToLondon } from "~/lib/london-time";
import { AppError, withAppErrors } from "~/models/errors.server";
import { getAgenda } from "~/models/meetings.server";
import { listCaseResearch } from "~/models/preparation/research.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { presentMeeting } from "../areas.$area.meetings._index/present";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.reference ?? ""} – Panel` }];

/**
 * Submitted research for one listed case. Who may read it, and whether the
 * "held but not shared" text is shown, is decided by the domain.
 */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "list:read", { area: params.area });
  const language = languageFromRequest(request);
  const meetingCaseId = params.meetingCaseId ?? "";
  const returns = await listCaseResearch({ actor: ctx, meetingCaseId });
  const { meeting, agenda } = await getAgenda({ actor: ctx, meetingId: params.meetingId ?? "" });
  const row = agenda.find((r) => r.meetingCaseId === meetingCaseId);
  if (!row) throw new AppError("NOT_FOUND", "errors.notFound");
  return {
    area: { name: ctx.area.name },
    back: areaPath(ctx.area.code, `/meetings/${meeting.id}`),
    when: presentMeeting(meeting, language).when,
    reference: row.reference,
    returns: returns.map((r) => ({
      id: r.id,
      agency: r.agency,
      status: r.status,
      late: r.late,
      submittedAt: r.submittedAt ? formatLongDate(utcToLondon(new Date(r.submittedAt)).date, language) : null,
      facts: r.facts.map((f) => ({ date: formatLongDate(f.date, language), text: f.text })),
      opinion: r.opinion,
      actionsInPlace: r.actionsInPlace,
      suggestedActions: r.suggestedActions,
      withheld: r.withheld,
      withheldReason: r.withheldReason,
      hasWithheld: r.hasWithheld,
    })),
  };
});

export default function CaseResearchPage() {
  const { area, back, when, reference, returns } = useLoaderData<typeof loader>();
  const { t } = useTranslation("preparation");
  const text = (value: string) => (value ? <span className="panel-pre-line">{value}</span> : t("empty"));
  return (
    <>
      <BackLink to={back}>{t("meetings:meeting.title", { when })}</BackLink>
      <PageHeading caption={area.name}>{t("caseResearch.title", { reference })}</PageHeading>
      {returns.length === 0 ? <p className="govuk-body">{t("caseResearch.none")}</p> : null}
      {returns.map((r) => (
        <section key={r.id} aria-labelledby={`return-${r.id}`}>
          <h2 className="govuk-heading-m" id={`return-${r.id}`}>
            {r.agency}
          </h2>
          <p className="govuk-body">
            <Tag colour={r.status === "submitted" ? "green" : "blue"}>{t(`researchStatuses.${r.status}`)}</Tag> {r.late ? <Tag colour="orange">{t("late")}</Tag> : null}{" "}
            {r.submittedAt ? t("caseResearch.submittedAt", { date: r.submittedAt }) : null}
          </p>
          {r.status === "submitted" ? (
            <SummaryList
              rows={[
                {
                  key: t("research.factsTitle"),
                  value: r.facts.length ? (
                    <ul className="govuk-list">
                      {r.facts.map((f, i) => (
                        <li key={i}>
                          {f.date}: {f.text}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    t("empty")
                  ),
                },
                { key: t("research.opinion"), value: text(r.opinion) },
                { key: t("research.actionsInPlace"), value: text(r.actionsInPlace) },
                { key: t("research.suggestedActions"), value: text(r.suggestedActions) },
                ...(r.withheld !== null
                  ? r.hasWithheld
                    ? [
                        { key: t("research.withheld"), value: text(r.withheld) },
                        { key: t("research.withheldReason"), value: text(r.withheldReason ?? "") },
                      ]
                    : []
                  : r.hasWithheld
                    ? [{ key: t("research.withheld"), value: t("common:yes") }]
                    : []),
              ]}
            />
          ) : null}
        </section>
      ))}
    </>
  );
}
