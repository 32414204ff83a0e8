import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PageHeading, Table, WarningText } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { todayInLondon, utcToLondon } from "~/lib/london-time";
import { listMeetings } from "~/models/meetings.server";
import { withAppErrors } from "~/models/errors.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { MeetingStatusTag, presentMeeting } from "./present";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction = () => [{ title: "Meetings – Panel" }];

/** Upcoming meetings. Agency representatives and IDVAs see only circulated lists (the domain filters). */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "list:read", { area: params.area });
  const language = languageFromRequest(request);
  const today = todayInLondon();
  const rows = await listMeetings({ actor: ctx, today });
  return {
    area: { name: ctx.area.name },
    meetings: rows
      .filter((r) => utcToLondon(r.meeting.startsAt).date >= today)
      .map((r) => ({ ...presentMeeting(r.meeting, language), caseCount: r.caseCount, href: areaPath(ctx.area.code, `/meetings/${r.meeting.id}`) })),
  };
});

export default function MeetingsList() {
  const { area, meetings } = useLoaderData<typeof loader>();
  const { t } = useTranslation("meetings");
  return (
    <>
      <PageHeading caption={area.name}>{t("list.title")}</PageHeading>
      {meetings.length === 0 ? (
        <p className="govuk-body">{t("list.empty")}</p>
      ) : (
        <Table
          caption={t("list.caption")}
          head={[t("list.columns.when"), t("list.columns.venue"), t("list.columns.status"), t("list.columns.cases"), t("list.columns.dates")]}
          rows={meetings.map((m) => [
            <>
              <AppLink className="govuk-link" to={m.href}>
                {m.when}
              </AppLink>
              {m.onHoliday ? <WarningText>{t("list.onHoliday")}</WarningText> : null}
            </>,
            m.venue || t("notSet"),
            <MeetingStatusTag key="status" status={m.status} />,
            t("list.cases", { count: m.caseCount }),
            <ul key="dates" className="govuk-list govuk-body-s">
              <li>{t("list.cutoff", { date: m.timetable.referralCutoff })}</li>
              <li>{t("list.circulation", { date: m.timetable.circulation })}</li>
              <li>{t("list.researchDue", { date: m.timetable.researchDue })}</li>
            </ul>,
          ])}
        />
      )}
    </>
  );
}
