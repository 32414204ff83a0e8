import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Pagination, Tag } from "~/components/layout";
import type { Paging } from "~/lib/paging";

const STATUS_COLOUR = { open: "blue", in_progress: "yellow", completed: "green", not_completed: "grey" } as const;

interface ActionState {
  status: string;
  overdue?: boolean;
  escalated?: boolean;
}

/** An action's status, with "overdue" and "escalated" tags when they apply. */
export function ActionStatusTag(props: ActionState) {
  const { t } = useTranslation("actions");
  return actionStatusTags(t, props);
}

/**
 * The same tags, for a list's rows: written with the page's own `t` (the "actions" namespace)
 * rather than a component asking i18next for its translator once a row (finding 42).
 */
export function actionStatusTags(t: TFunction<"actions">, { status, overdue, escalated }: ActionState) {
  return (
    <>
      <Tag colour={STATUS_COLOUR[status as keyof typeof STATUS_COLOUR] ?? "grey"}>{t(`statuses.${status}`)}</Tag>
      {overdue ? (
        <>
          {" "}
          <Tag colour="red">{t("overdue")}</Tag>
        </>
      ) : null}
      {escalated ? (
        <>
          {" "}
          <Tag colour="purple">{t("escalated")}</Tag>
        </>
      ) : null}
    </>
  );
}

/** The links to the previous and next page of a list of actions (the agency's list, the tracker). */
export function ActionPages({ paging }: { paging: Paging }) {
  const { t } = useTranslation("actions");
  return <Pagination label={t("paging.label")} previous={paging.previous ? { to: paging.previous, text: t("paging.previous") } : null} next={paging.next ? { to: paging.next, text: t("paging.next") } : null} />;
}
