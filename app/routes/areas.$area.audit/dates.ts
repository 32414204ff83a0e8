/** Dates typed into the audit filters, and times shown in the table (UK time). */

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** A date typed as 27/3/2026 or 2026-03-27, or null when it is not a real calendar date. */
export function parseCalendarDate(value: string): CalendarDate | null {
  const text = value.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const parts = iso ? { year: +iso[1], month: +iso[2], day: +iso[3] } : uk ? { year: +uk[3], month: +uk[2], day: +uk[1] } : null;
  if (!parts || parts.year < 1900 || parts.year > 9999) return null;
  const check = new Date(Date.UTC(parts.year, parts.month - 1, parts.day));
  if (check.getUTCFullYear() !== parts.year || check.getUTCMonth() !== parts.month - 1 || check.getUTCDate() !== parts.day) return null;
  return parts;
}

export function compareCalendarDates(a: CalendarDate, b: CalendarDate) {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

export function isoDate(date: CalendarDate): string {
  return `${String(date.year).padStart(4, "0")}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;
}

/** The calendar day after `date`. */
export function nextDay(date: CalendarDate): CalendarDate {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

/**
 * "23 Nov 2026, 16:17:05" in UK time. Formatted on the server and sent as text,
 * so the page does not depend on the browser's time zone or date data.
 */
export function formatUkDateTime(date: Date, language = "en"): string {
  return new Intl.DateTimeFormat(language === "cy" ? "cy-GB" : "en-GB", {
    timeZone: "Europe/London",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).format(date);
}
