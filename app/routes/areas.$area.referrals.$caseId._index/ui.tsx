import type { FormMetadata } from "@conform-to/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/form";
import { BackLink, PageHeading } from "~/components/layout";

/** The frame of every referral section page: back to the task list, errors, heading. */
export function SectionFrame({
  base,
  caption,
  title,
  form,
  conflict,
  extraErrors,
  children,
  wide,
}: {
  base: string;
  caption: string;
  title: string;
  form?: FormMetadata<any, string[]>;
  conflict?: string | null;
  extraErrors?: { href?: string; message: string }[];
  children: ReactNode;
  wide?: boolean;
}) {
  const { t } = useTranslation("referrals");
  const extra = [...(conflict ? [{ message: conflict }] : []), ...(extraErrors ?? [])];
  return (
    <div className="govuk-grid-row">
      <div className={wide ? "govuk-grid-column-full" : "govuk-grid-column-two-thirds"}>
        <BackLink to={base}>{t("taskList.back")}</BackLink>
        <ErrorSummary form={form} extra={extra} />
        <PageHeading caption={caption}>{title}</PageHeading>
        {children}
      </div>
    </div>
  );
}

/** What an action returned: conform's reply, or a conflict message. */
export function useActionParts(actionData: unknown) {
  const result = actionData && typeof actionData === "object" && "result" in actionData ? (actionData as { result: any }).result : undefined;
  const conflict = actionData && typeof actionData === "object" && "conflict" in actionData ? String((actionData as { conflict: string }).conflict) : null;
  return { result: conflict ? undefined : result, conflict };
}

export const yesNo = (value: boolean | null | undefined) => (value === true ? "yes" : value === false ? "no" : undefined);

/**
 * After a conflict (409) the page must show the current record, so loaders run
 * again even though the action answered with an error status.
 */
export const revalidateOnConflict = ({ actionStatus, defaultShouldRevalidate }: { actionStatus?: number; defaultShouldRevalidate: boolean }) =>
  actionStatus === 409 || defaultShouldRevalidate;
