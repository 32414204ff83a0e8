import Holidays from "date-holidays";
import type { Area } from "#db/schema/areas";

/**
 * Working days and the meeting timetable (DESIGN.md section 4).
 *
 * Dates are calendar dates, "YYYY-MM-DD", handled as whole UTC days: no local time
 * zone is ever consulted, so the result does not depend on the server's TZ. A Date
 * argument is read by its UTC calendar date; turn a meeting's instant into its London
 * date first (utcToLondon in london-time.ts) when it can fall near midnight.
 *
 * Bank holidays come from date-holidays for GB and the area's nation. Only holidays of
 * type "public" count (that includes its substitute days, e.g. 28 Dec 2026 for Boxing
 * Day on a Saturday); "observance" days such as Mother's Day do not. Each holiday is
 * taken by its local date in the nation (the library's `date` field), not its UTC start,
 * which in summer time is 23:00 the day before.
 */
export type Nation = Area["nation"];
export type CalendarDate = string | Date;

const STATE: Record<Nation, string> = { england: "ENG", wales: "WLS", scotland: "SCT", northern_ireland: "NIR" };

const DAY_MS = 86_400_000;

/** Whole days since 1970-01-01 for a calendar date. */
function toDayNumber(date: CalendarDate): number {
  if (date instanceof Date) {
    if (Number.isNaN(date.getTime())) throw new RangeError("Invalid date");
    return Math.floor(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) / DAY_MS);
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`Not an ISO date: ${date}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    throw new RangeError(`Not a calendar date: ${date}`);
  }
  return Math.floor(ms / DAY_MS);
}

function fromDayNumber(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar date as "YYYY-MM-DD" (a Date by its UTC date). */
export function toIsoDate(date: CalendarDate): string {
  return fromDayNumber(toDayNumber(date));
}

/** Calendar days later (or earlier, for negative n). */
export function addCalendarDays(date: CalendarDate, n: number): string {
  return fromDayNumber(toDayNumber(date) + n);
}

const calendars = new Map<Nation, Holidays>();
const holidayYears = new Map<string, ReadonlyMap<string, string>>();

function holidaysIn(year: number, nation: Nation): ReadonlyMap<string, string> {
  const key = `${nation}:${year}`;
  let days = holidayYears.get(key);
  if (!days) {
    let calendar = calendars.get(nation);
    if (!calendar) {
      calendar = new Holidays("GB", STATE[nation]);
      calendars.set(nation, calendar);
    }
    days = new Map(
      calendar
        .getHolidays(year)
        .filter((h) => h.type === "public")
        .map((h) => [h.date.slice(0, 10), h.name] as const),
    );
    holidayYears.set(key, days);
  }
  return days;
}

/** The bank holidays (public holidays, substitute days included) of a year in a nation: date → name. */
export function bankHolidays(year: number, nation: Nation): ReadonlyMap<string, string> {
  return holidaysIn(year, nation);
}

export function isBankHoliday(date: CalendarDate, nation: Nation): boolean {
  const iso = toIsoDate(date);
  return holidaysIn(Number(iso.slice(0, 4)), nation).has(iso);
}

/** Monday to Friday and not a bank holiday in the nation. */
export function isWorkingDay(date: CalendarDate, nation: Nation): boolean {
  const dayNumber = toDayNumber(date);
  // 1970-01-01 was a Thursday: day 0 → 4 (Sunday = 0).
  const weekday = (((dayNumber + 4) % 7) + 7) % 7;
  if (weekday === 0 || weekday === 6) return false;
  return !isBankHoliday(fromDayNumber(dayNumber), nation);
}

/**
 * The date `n` working days after `date` (before it for negative n). The start date
 * itself is never counted, whether or not it is a working day; n = 0 returns it as is.
 */
export function addWorkingDays(date: CalendarDate, n: number, nation: Nation): string {
  if (!Number.isInteger(n)) throw new RangeError("Working days must be a whole number");
  let dayNumber = toDayNumber(date);
  const step = Math.sign(n);
  for (let left = Math.abs(n); left > 0; ) {
    dayNumber += step;
    if (isWorkingDay(fromDayNumber(dayNumber), nation)) left -= 1;
  }
  return fromDayNumber(dayNumber);
}

/** The working day `n` working days before the meeting. */
export function workingDaysBefore(meetingDate: CalendarDate, n: number, nation: Nation): string {
  return addWorkingDays(meetingDate, -n, nation);
}

export type TimetableSettings = Pick<
  Area,
  | "nation"
  | "referralCutoffDays"
  | "verificationSentDays"
  | "verificationDueDays"
  | "circulationDays"
  | "researchDueDays"
  | "minutesDueDaysAfter"
  | "actionUpdatesDueDays"
  | "digestDays"
> & { cadenceDays?: number };

export type MeetingTimetable = {
  referralCutoff: string;
  verificationSent: string;
  verificationDue: string;
  circulation: string;
  researchDue: string;
  minutesDue: string;
  /** Updates on this meeting's actions are due this many working days before the next meeting. */
  actionUpdatesDue: string;
  digest: string;
};

/** The schema's default offsets and cadence (DESIGN.md section 4). */
export const DEFAULT_TIMETABLE = {
  cadenceDays: 14,
  referralCutoffDays: 10,
  verificationSentDays: 8,
  verificationDueDays: 6,
  circulationDays: 5,
  researchDueDays: 1,
  minutesDueDaysAfter: 3,
  actionUpdatesDueDays: 2,
  digestDays: 7,
} as const;

/** A meeting's timetable as the meetings table stores it (action updates are derived, not stored). */
export function timetableColumns(t: MeetingTimetable) {
  return {
    referralCutoff: t.referralCutoff,
    verificationSent: t.verificationSent,
    verificationDue: t.verificationDue,
    circulation: t.circulation,
    researchDue: t.researchDue,
    minutesDue: t.minutesDue,
    digestOn: t.digest,
  };
}

/** Areas without a cadence meet fortnightly (the schema's default). */
const DEFAULT_CADENCE_DAYS = 14;

/**
 * Every deadline around one meeting, in working days of the area's nation. Offsets are
 * working days before the meeting, except minutes (after it) and action updates, which
 * are due before the NEXT meeting: pass `nextMeetingDate` when it is known (a moved
 * meeting); otherwise the next meeting is taken as the meeting date plus the area's
 * cadence (14 days when the area gives none).
 */
export function meetingTimetable(
  meetingDate: CalendarDate,
  area: TimetableSettings,
  options: { nextMeetingDate?: CalendarDate } = {},
): MeetingTimetable {
  const meeting = toIsoDate(meetingDate);
  const before = (days: number) => workingDaysBefore(meeting, days, area.nation);
  const nextMeeting = options.nextMeetingDate
    ? toIsoDate(options.nextMeetingDate)
    : addCalendarDays(meeting, area.cadenceDays ?? DEFAULT_CADENCE_DAYS);
  return {
    referralCutoff: before(area.referralCutoffDays),
    verificationSent: before(area.verificationSentDays),
    verificationDue: before(area.verificationDueDays),
    circulation: before(area.circulationDays),
    researchDue: before(area.researchDueDays),
    minutesDue: addWorkingDays(meeting, area.minutesDueDaysAfter, area.nation),
    actionUpdatesDue: workingDaysBefore(nextMeeting, area.actionUpdatesDueDays, area.nation),
    digest: before(area.digestDays),
  };
}

export type SeriesMeeting = { date: string; onHoliday: boolean };

/** Longest series generated in one call (about 20 years of weekly meetings). */
const MAX_SERIES = 1000;

/**
 * The meetings of a series (first meeting, then every `cadenceDays` calendar days)
 * that fall between `from` and `until`, both inclusive. A meeting on a bank holiday is
 * still listed, flagged, so the coordinator can move it.
 */
export function generateMeetingSeries(input: {
  firstMeetingOn: CalendarDate;
  cadenceDays: number;
  from: CalendarDate;
  until: CalendarDate;
  nation: Nation;
}): SeriesMeeting[] {
  const { cadenceDays, nation } = input;
  if (!Number.isInteger(cadenceDays) || cadenceDays < 1) throw new RangeError("Cadence must be a whole number of days, at least 1");
  const first = toDayNumber(input.firstMeetingOn);
  const from = Math.max(toDayNumber(input.from), first);
  const until = toDayNumber(input.until);
  const meetings: SeriesMeeting[] = [];
  let day = first + Math.ceil((from - first) / cadenceDays) * cadenceDays;
  for (; day <= until; day += cadenceDays) {
    if (meetings.length >= MAX_SERIES) throw new RangeError(`A series is limited to ${MAX_SERIES} meetings`);
    const date = fromDayNumber(day);
    meetings.push({ date, onHoliday: isBankHoliday(date, nation) });
  }
  return meetings;
}
