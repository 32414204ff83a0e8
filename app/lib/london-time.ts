import { rememberedAnswers } from "./remembered";

/** UK meetings are set in Europe/London local time; the database stores UTC. */
export function londonToUtc(isoDate: string, time: string): Date {
  const [h, m] = time.split(":").map(Number);
  const guess = new Date(`${isoDate}T${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:00Z`);
  // The London offset at that moment (0 in winter, +1 in summer).
  const offsetMinutes = londonOffsetMinutes(guess);
  return new Date(guess.getTime() - offsetMinutes * 60_000);
}

// Building an Intl.DateTimeFormat costs about 0.2 ms, formatting with one a few microseconds:
// pages format hundreds of dates (the action tracker two per row), so each formatter is made once.
const offsetFormat = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", timeZoneName: "shortOffset" });
const londonParts = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const longDateFormats = new Map<string, Intl.DateTimeFormat>();

export function londonOffsetMinutes(at: Date): number {
  const parts = offsetFormat.formatToParts(at);
  const name = parts.find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const match = /GMT([+-]\d+)(?::(\d+))?/.exec(name);
  if (!match) return 0;
  const hours = Number(match[1]);
  return hours * 60 + Math.sign(hours) * Number(match[2] ?? 0);
}

/** At most this many answers of each kind (London times, long dates) are remembered. */
export const LONDON_TIME_ANSWERS_REMEMBERED = 5_000;

// Pages show the same meetings' times and the same due dates over and over: the tracker's meeting
// filter alone converts about a hundred start times a view (docs/performance.md, finding 29).
const londonTimes = rememberedAnswers<number, { date: string; time: string }>(LONDON_TIME_ANSWERS_REMEMBERED);
const longDates = rememberedAnswers<string, string>(LONDON_TIME_ANSWERS_REMEMBERED);

function londonDateAndTime(at: Date): { date: string; time: string } {
  const p = Object.fromEntries(londonParts.formatToParts(at).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

/** "YYYY-MM-DD" and "HH:MM" of a UTC instant, in London. */
export function utcToLondon(at: Date): { date: string; time: string } {
  // A copy: callers may not change the remembered answer.
  const { date, time } = londonTimes.get(at.getTime(), () => londonDateAndTime(at));
  return { date, time };
}

/** Today's date in London; "now" is seldom asked for twice, so it is not remembered. */
export function todayInLondon(now = new Date()): string {
  return londonDateAndTime(now).date;
}

/**
 * "17 December 2026" for a calendar date, formatted on the server so pages do not depend on the
 * browser. The answer for a date never changes, and a page repeats a few dozen dates over its rows
 * (the tracker formats two a row), so answers are remembered (docs/performance.md, finding 29).
 */
export function formatLongDate(isoDate: string, language = "en", options: { weekday?: boolean } = {}): string {
  const locale = language === "cy" ? "cy-GB" : "en-GB";
  const formatKey = `${locale}:${options.weekday ? "weekday" : ""}`;
  return longDates.get(`${formatKey}:${isoDate}`, () => {
    let format = longDateFormats.get(formatKey);
    if (!format) {
      format = new Intl.DateTimeFormat(locale, { timeZone: "UTC", weekday: options.weekday ? "long" : undefined, day: "numeric", month: "long", year: "numeric" });
      longDateFormats.set(formatKey, format);
    }
    return format.format(new Date(`${isoDate}T00:00:00Z`));
  });
}

/** How many answers of each kind are remembered (for tests). */
export function londonTimeAnswersRemembered(): { londonTimes: number; longDates: number } {
  return { londonTimes: londonTimes.size, longDates: longDates.size };
}
