import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PageHeading, Table } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { formatLongDate } from "~/lib/london-time";
import { withAppErrors } from "~/models/errors.server";
import { listContactCases } from "~/models/preparation/victim-contact.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { ContactTag } from "./present";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction = () => [{ title: "Cases – Panel" }];

/** The IDVA's list: cases on upcoming meetings, with contact before the meeting and whether views are recorded. */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "contact:read", { area: params.area });
  const language = languageFromRequest(request);
  const list = await listContactCases({ actor: ctx });
  return {
    area: { name: ctx.area.name },
    rows: list.map((r) => ({
      key: r.meetingCaseId,
      reference: r.reference,
      meeting: formatLongDate(r.meetingDate, language),
      initials: r.victimInitials,
      contact: r.contact,
      viewsRecorded: r.viewsRecorded,
      href: areaPath(ctx.area.code, `/cases/${r.caseId}/contact`),
    })),
  };
});

export default function ContactCases() {
  const { area, rows } = useLoaderData<typeof loader>();
  const { t } = useTranslation("contact");
  return (
    <>
      <PageHeading caption={area.name}>{t("list.title")}</PageHeading>
      {rows.length === 0 ? (
        <p className="govuk-body">{t("list.empty")}</p>
      ) : (
        <Table
          caption={t("list.caption")}
          head={[t("list.columns.reference"), t("list.columns.meeting"), t("list.columns.initials"), t("list.columns.contact"), t("list.columns.views"), <span key="link" className="govuk-visually-hidden">{t("list.open")}</span>]}
          rows={rows.map((r) => [
            r.reference,
            r.meeting,
            r.initials,
            <ContactTag key="contact" state={r.contact} />,
            r.viewsRecorded ? t("common:yes") : t("common:no"),
            <AppLink key="link" className="govuk-link" to={r.href}>
              {t("list.open")}
              <span className="govuk-visually-hidden"> {r.reference}</span>
            </AppLink>,
          ])}
        />
      )}
    </>
  );
}
