import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button } from "~/components/form";
import { BackLink, PageHeading, SummaryList, Tag } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { rememberingT, type PlainT } from "~/i18n/remembering-t";
import { withAppErrors } from "~/models/errors.server";
import { getReadiness, type ResearchState, type VerificationState } from "~/models/preparation/readiness.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { ContactTag } from "../areas.$area.cases._index/present";
import { presentMeeting } from "../areas.$area.meetings._index/present";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.meeting.shortDate ?? ""} – Panel` }];

const VERIFICATION_COLOUR: Record<VerificationState, "grey" | "blue" | "red" | "orange" | "green"> = {
  not_sent: "grey",
  pending: "blue",
  overdue: "red",
  corrections: "orange",
  done: "green",
};
const RESEARCH_COLOUR: Record<ResearchState, "grey" | "yellow" | "green" | "orange" | "blue"> = {
  none: "grey",
  draft: "yellow",
  submitted: "green",
  late: "orange",
  nothing_held: "blue",
};
const MISSING_RESEARCH: ResearchState[] = ["none", "draft"];

/**
 * The readiness grid for one meeting (coordinator and chair): per case, the
 * verification state, each agency's research and the IDVA's contact, with a
 * filter that works as a plain GET form. The domain refuses anyone else (403).
 */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "list:read", { area: params.area });
  const language = languageFromRequest(request);
  const grid = await getReadiness({ actor: ctx, meetingId: params.meetingId ?? "" });
  const search = new URL(request.url).searchParams;
  const missingOnly = search.get("missing") === "1";
  const agencyParam = search.get("agency") ?? "";
  const agency = grid.agencies.find((a) => a.id === agencyParam) ?? null;
  const columns = agency ? [agency] : grid.agencies;
  const rows = grid.rows
    .map((r) => ({
      meetingCaseId: r.meetingCaseId,
      reference: r.reference,
      verification: r.verification,
      // One state per column, in the columns' order (240 cells on a full list: no agency id in each).
      research: columns.map((a) => r.research[a.id] ?? ("none" as ResearchState)),
      contact: r.contact,
    }))
    .filter((r) => {
      if (!missingOnly) return true;
      const researchMissing = r.research.some((state) => MISSING_RESEARCH.includes(state));
      // With an agency chosen, "missing" means that agency's research; otherwise anything outstanding.
      if (agency) return researchMissing;
      return researchMissing || r.verification !== "done" || r.contact === "none";
    });
  return {
    area: { name: ctx.area.name },
    meeting: presentMeeting(grid.meeting, language),
    back: areaPath(ctx.area.code, `/meetings/${grid.meeting.id}`),
    counts: grid.counts,
    agencies: grid.agencies,
    columns,
    rows,
    filter: { missingOnly, agency: agency?.id ?? "" },
    total: grid.rows.length,
  };
});

export default function Readiness() {
  const { area, meeting, back, counts, agencies, columns, rows, filter, total } = useLoaderData<typeof loader>();
  const { t } = useTranslation("contact");
  // The grid repeats a handful of labels hundreds of times (cases × agencies): each is translated once
  // per render, and the line naming an agency and a state is asked of i18next once, then filled in (finding 37).
  const label = rememberingT(t as unknown as PlainT);
  // A column's hidden line for a state ("Police research: submitted") is the same on every case's row:
  // filled in once per column and state, not once per cell.
  const fullLabels = new Map<string, string>();
  const fullLabel = (column: number, state: string) => {
    const key = `${column} ${state}`;
    let text = fullLabels.get(key);
    if (text === undefined) fullLabels.set(key, (text = label("readiness.researchFull", { agency: columns[column].name, state: label(`readiness.research.${state}`) })));
    return text;
  };
  return (
    <>
      <BackLink to={back}>{t("readiness.back")}</BackLink>
      <PageHeading caption={area.name}>{t("readiness.title", { when: meeting.when })}</PageHeading>
      <SummaryList
        rows={[
          { key: t("readiness.counts.cases"), value: String(counts.cases) },
          { key: t("readiness.counts.verificationOutstanding"), value: String(counts.verificationOutstanding) },
          { key: t("readiness.counts.researchReceived"), value: String(counts.researchReceived) },
          { key: t("readiness.counts.researchMissing"), value: String(counts.researchMissing) },
          { key: t("readiness.counts.noContact"), value: String(counts.noContact) },
        ]}
      />
      <Form method="get" className="govuk-!-margin-bottom-6">
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="filter-agency">
            {t("readiness.filter.agency")}
          </label>
          <select className="govuk-select" id="filter-agency" name="agency" defaultValue={filter.agency}>
            <option value="">{t("readiness.filter.allAgencies")}</option>
            {agencies.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div className="govuk-form-group">
          <div className="govuk-checkboxes govuk-checkboxes--small">
            <div className="govuk-checkboxes__item">
              <input className="govuk-checkboxes__input" id="filter-missing" name="missing" type="checkbox" value="1" defaultChecked={filter.missingOnly} />
              <label className="govuk-label govuk-checkboxes__label" htmlFor="filter-missing">
                {t("readiness.filter.missing")}
              </label>
            </div>
          </div>
        </div>
        <Button secondary>{t("readiness.filter.apply")}</Button>
      </Form>
      <p className="govuk-body">{t("readiness.showing", { shown: rows.length, total })}</p>
      {rows.length === 0 ? (
        <p className="govuk-body">{t("readiness.noRows")}</p>
      ) : (
        <div className="panel-scroll-x" role="region" aria-label={t("readiness.scrollLabel")} tabIndex={0}>
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--m">{t("readiness.caption", { when: meeting.when })}</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  {t("readiness.columns.case")}
                </th>
                <th scope="col" className="govuk-table__header">
                  {t("readiness.columns.verification")}
                </th>
                {columns.map((a) => (
                  <th scope="col" className="govuk-table__header" key={a.id}>
                    {a.name}
                  </th>
                ))}
                <th scope="col" className="govuk-table__header">
                  {t("readiness.columns.contact")}
                </th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {rows.map((r) => (
                <tr className="govuk-table__row" key={r.meetingCaseId}>
                  <th scope="row" className="govuk-table__header">
                    {r.reference}
                  </th>
                  <td className="govuk-table__cell">
                    <Tag colour={VERIFICATION_COLOUR[r.verification]}>{label(`readiness.verification.${r.verification}`)}</Tag>
                  </td>
                  {r.research.map((state, i) => (
                    <td className="govuk-table__cell" key={columns[i].id}>
                      <Tag colour={RESEARCH_COLOUR[state]}>
                        <span aria-hidden="true">{label(`readiness.researchShort.${state}`)}</span>
                        <span className="govuk-visually-hidden">{fullLabel(i, state)}</span>
                      </Tag>
                    </td>
                  ))}
                  <td className="govuk-table__cell">
                    <ContactTag state={r.contact} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="govuk-body">
        <AppLink className="govuk-link" to={back}>
          {t("readiness.back")}
        </AppLink>
      </p>
    </>
  );
}
