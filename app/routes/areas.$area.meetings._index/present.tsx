import { useTranslation } from "react-i18next";
import { Tag } from "~/components/layout";
import type { Meeting } from "#db/schema";
import { formatLongDate, utcToLondon } from "~/lib/london-time";

/** A meeting as the meeting pages show it: London date and time, timetable dates formatted on the server. */
export function presentMeeting(meeting: Meeting, language: string) {
  const { date, time } = utcToLondon(meeting.startsAt);
  const long = (iso: string) => formatLongDate(iso, language);
  return {
    id: meeting.id,
    date,
    time,
    when: `${formatLongDate(date, language, { weekday: true })}, ${time}`,
    shortDate: formatLongDate(date, language),
    venue: meeting.venue,
    status: meeting.status,
    onHoliday: meeting.onHoliday,
    cancelledReason: meeting.cancelledReason,
    version: meeting.version,
    timetable: {
      referralCutoff: long(meeting.referralCutoff),
      verificationSent: long(meeting.verificationSent),
      verificationDue: long(meeting.verificationDue),
      circulation: long(meeting.circulation),
      researchDue: long(meeting.researchDue),
      minutesDue: long(meeting.minutesDue),
    },
  };
}

export type MeetingView = ReturnType<typeof presentMeeting>;

const STATUS_COLOUR = {
  planned: "blue",
  verification: "yellow",
  circulated: "green",
  in_progress: "purple",
  held: "grey",
  minutes_circulated: "grey",
  cancelled: "red",
} as const;

export function MeetingStatusTag({ status }: { status: string }) {
  const { t } = useTranslation("meetings");
  return <Tag colour={STATUS_COLOUR[status as keyof typeof STATUS_COLOUR] ?? "grey"}>{t(`statuses.${status}`)}</Tag>;
}

const RISK_COLOUR = { high: "red", medium: "orange", standard: "grey" } as const;

export function RiskTag({ level }: { level: string | null }) {
  const { t } = useTranslation("cases");
  if (!level) return <>{t("meetings:notRecorded")}</>;
  return <Tag colour={RISK_COLOUR[level as keyof typeof RISK_COLOUR] ?? "grey"}>{t(`dash.bands.${level}`)}</Tag>;
}
