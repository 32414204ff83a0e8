import { useTranslation } from "react-i18next";
import { Tag } from "~/components/layout";

const STATUS_COLOUR = { open: "blue", in_progress: "yellow", completed: "green", not_completed: "grey" } as const;

/** An action's status, with "overdue" and "escalated" tags when they apply. */
export function ActionStatusTag({ status, overdue, escalated }: { status: string; overdue?: boolean; escalated?: boolean }) {
  const { t } = useTranslation("actions");
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
