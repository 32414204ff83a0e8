import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BackLink, InsetText, PageHeading, Tag } from "~/components/layout";
import { referralProblems } from "~/models/cases/referrals.server";
import { withAppErrors } from "~/models/errors.server";
import { loadEditableReferral } from "./referral.server";
import { SECTIONS, sectionStatuses } from "./sections";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];

/** The referral's task list: every section with how far it has got. */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const { view, paths, title, area } = await loadEditableReferral(request, params, "referrals:taskList.title");
  const problems = referralProblems(view);
  return {
    title,
    area,
    paths,
    returnedReason: view.case.status === "returned" ? view.case.returnedReason : null,
    statuses: sectionStatuses({ case: view.case, people: view.people, hasSafeContact: view.safeContact !== null, problemSections: problems.map((p) => p.section) }),
    ready: problems.length === 0,
  };
});

const TAG: Record<string, "blue" | "grey" | undefined> = { notStarted: "grey", inProgress: "blue", completed: undefined };

export default function TaskList() {
  const { title, area, paths, returnedReason, statuses, ready } = useLoaderData<typeof loader>();
  const { t } = useTranslation("referrals");
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={paths.list}>{t("list.title")}</BackLink>
        <PageHeading caption={area.name}>{title}</PageHeading>
        {returnedReason ? (
          <InsetText>
            <p className="govuk-body govuk-!-font-weight-bold">{t("taskList.returned")}</p>
            <p className="govuk-body">{returnedReason}</p>
          </InsetText>
        ) : null}
        <p className="govuk-body">{t("taskList.intro")}</p>
        <ul className="govuk-task-list">
          {SECTIONS.map((section) => (
            <li className="govuk-task-list__item govuk-task-list__item--with-link" key={section}>
              <div className="govuk-task-list__name-and-hint">
                <AppLink className="govuk-link govuk-task-list__link" to={`${paths.base}/${section}`} aria-describedby={`${section}-status`}>
                  {t(`sections.${section}`)}
                </AppLink>
              </div>
              <div className="govuk-task-list__status" id={`${section}-status`}>
                {statuses[section] === "completed" ? t("taskList.completed") : <Tag colour={TAG[statuses[section]]}>{t(`taskList.${statuses[section]}`)}</Tag>}
              </div>
            </li>
          ))}
        </ul>
        <h2 className="govuk-heading-m">{t("taskList.submitHeading")}</h2>
        <p className="govuk-body">{ready ? t("taskList.ready") : t("taskList.notReady")}</p>
        <AppLink className="govuk-button" to={`${paths.base}/check`}>
          {t("taskList.check")}
        </AppLink>
      </div>
    </div>
  );
}
