import { describe, expect, it } from "vitest";
import { formatLongDate, LONDON_TIME_ANSWERS_REMEMBERED, londonTimeAnswersRemembered, londonToUtc, todayInLondon, utcToLondon } from "~/lib/london-time";

describe("London time", () => {
  it("converts winter (GMT) and summer (BST) meeting times to UTC", () => {
    expect(londonToUtc("2026-12-03", "10:00").toISOString()).toBe("2026-12-03T10:00:00.000Z");
    expect(londonToUtc("2026-07-02", "10:00").toISOString()).toBe("2026-07-02T09:00:00.000Z");
  });

  it("round-trips through London local time", () => {
    expect(utcToLondon(new Date("2026-07-02T09:00:00Z"))).toEqual({ date: "2026-07-02", time: "10:00" });
    expect(utcToLondon(new Date("2026-03-29T00:30:00Z"))).toEqual({ date: "2026-03-29", time: "00:30" });
  });

  it("gives London's date just after midnight in summer", () => {
    expect(todayInLondon(new Date("2026-06-30T23:30:00Z"))).toBe("2026-07-01");
  });

  it("formats long dates in English and Welsh, with and without the weekday, the same when asked again", () => {
    const cases: [string, string, boolean, string][] = [
      ["2026-12-17", "en", false, "17 December 2026"],
      ["2026-12-17", "en", true, "Thursday, 17 December 2026"],
      ["2026-12-17", "cy", false, new Intl.DateTimeFormat("cy-GB", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" }).format(new Date("2026-12-17T00:00:00Z"))],
      ["2026-03-29", "en", false, "29 March 2026"],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [date, language, weekday, expected] of cases) expect(formatLongDate(date, language, { weekday }), `${date} ${language} ${weekday}`).toBe(expected);
    }
    // Welsh is not English: the remembered answers are kept apart by language and option.
    expect(formatLongDate("2026-12-17", "cy")).not.toBe(formatLongDate("2026-12-17", "en"));
  });

  it("remembers at most LONDON_TIME_ANSWERS_REMEMBERED answers of each kind, and answers rightly past it", () => {
    const start = Date.UTC(2000, 0, 1);
    const day = (i: number) => new Date(start + i * 86_400_000).toISOString().slice(0, 10);
    const longDate = (iso: string) => new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" }).format(new Date(`${iso}T00:00:00Z`));
    for (let i = 0; i < LONDON_TIME_ANSWERS_REMEMBERED + 10; i++) {
      formatLongDate(day(i));
      utcToLondon(new Date(start + i * 3_600_000));
    }
    const { londonTimes, longDates } = londonTimeAnswersRemembered();
    for (const size of [londonTimes, longDates]) {
      expect(size).toBeGreaterThan(0);
      expect(size).toBeLessThanOrEqual(LONDON_TIME_ANSWERS_REMEMBERED);
    }
    expect(formatLongDate(day(LONDON_TIME_ANSWERS_REMEMBERED + 9))).toBe(longDate(day(LONDON_TIME_ANSWERS_REMEMBERED + 9)));
    expect(formatLongDate(day(3))).toBe(longDate(day(3)));
  });

  it("gives each caller its own copy of a remembered London time", () => {
    const at = new Date("2026-07-02T09:00:00Z");
    const first = utcToLondon(at);
    first.date = "changed";
    expect(utcToLondon(at)).toEqual({ date: "2026-07-02", time: "10:00" });
  });
});
