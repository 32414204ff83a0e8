import { afterEach, describe, expect, it } from "vitest";
import {
  DEFAULT_TIMETABLE,
  addCalendarDays,
  addWorkingDays,
  bankHolidays,
  generateMeetingSeries,
  isBankHoliday,
  isWorkingDay,
  meetingTimetable,
  toIsoDate,
  workingDaysBefore,
  type Nation,
  type TimetableSettings,
} from "~/lib/timetable";

/** The schema's default offsets (DESIGN.md section 4). */
const defaults = DEFAULT_TIMETABLE;
const area = (nation: Nation, overrides: Partial<TimetableSettings> = {}): TimetableSettings => ({ ...defaults, nation, ...overrides });

describe("bank holidays from date-holidays", () => {
  it("counts public holidays and their substitute days, not observances", () => {
    const england2026 = bankHolidays(2026, "england");
    expect([...england2026.keys()]).toEqual([
      "2026-01-01",
      "2026-04-03",
      "2026-04-06",
      "2026-05-04",
      "2026-05-25",
      "2026-08-31",
      "2026-12-25",
      "2026-12-26",
      "2026-12-28",
    ]);
    expect(england2026.has("2026-03-15")).toBe(false); // Mother's Day is an observance
    expect(england2026.get("2026-12-28")).toContain("substitute");
  });

  it("takes each holiday by its date in the UK, not its UTC start (23:00 the day before in summer time)", () => {
    expect(isBankHoliday("2026-04-06", "england")).toBe(true);
    expect(isBankHoliday("2026-04-05", "england")).toBe(false);
    expect(isBankHoliday("2026-08-31", "wales")).toBe(true);
    expect(isBankHoliday("2026-08-30", "wales")).toBe(false);
  });

  it("gives substitute days for Christmas and Boxing Day on a weekend", () => {
    // 2027: Christmas Day Saturday, Boxing Day Sunday.
    expect(isWorkingDay("2027-12-27", "england")).toBe(false);
    expect(isWorkingDay("2027-12-28", "england")).toBe(false);
    expect(isWorkingDay("2027-12-29", "england")).toBe(true);
  });
});

describe("isWorkingDay", () => {
  it("is Monday to Friday", () => {
    expect(isWorkingDay("2026-06-08", "wales")).toBe(true); // Monday
    expect(isWorkingDay("2026-06-12", "wales")).toBe(true); // Friday
    expect(isWorkingDay("2026-06-13", "wales")).toBe(false); // Saturday
    expect(isWorkingDay("2026-06-14", "wales")).toBe(false); // Sunday
  });

  it("knows Easter Monday is a bank holiday in England, Wales and Northern Ireland but not Scotland", () => {
    for (const nation of ["england", "wales", "northern_ireland"] as const) expect(isWorkingDay("2026-04-06", nation), nation).toBe(false);
    expect(isWorkingDay("2026-04-06", "scotland")).toBe(true);
    for (const nation of ["england", "wales", "scotland", "northern_ireland"] as const) expect(isWorkingDay("2026-04-03", nation), nation).toBe(false);
  });

  it("knows 2 January is a bank holiday only in Scotland", () => {
    expect(isWorkingDay("2026-01-02", "scotland")).toBe(false);
    for (const nation of ["england", "wales", "northern_ireland"] as const) expect(isWorkingDay("2026-01-02", nation), nation).toBe(true);
  });

  it("knows St Patrick's Day and the Twelfth are bank holidays only in Northern Ireland", () => {
    expect(isWorkingDay("2026-03-17", "northern_ireland")).toBe(false);
    expect(isWorkingDay("2026-07-13", "northern_ireland")).toBe(false); // substitute for Sunday 12 July
    for (const nation of ["england", "wales", "scotland"] as const) {
      expect(isWorkingDay("2026-03-17", nation), nation).toBe(true);
      expect(isWorkingDay("2026-07-13", nation), nation).toBe(true);
    }
  });

  it("knows Scotland's summer bank holiday and St Andrew's Day", () => {
    expect(isWorkingDay("2026-08-03", "scotland")).toBe(false);
    expect(isWorkingDay("2026-08-03", "england")).toBe(true);
    expect(isWorkingDay("2026-08-31", "scotland")).toBe(true);
    expect(isWorkingDay("2026-08-31", "england")).toBe(false);
    expect(isWorkingDay("2026-11-30", "scotland")).toBe(false);
    expect(isWorkingDay("2026-11-30", "wales")).toBe(true);
  });

  it("rejects strings that are not calendar dates", () => {
    expect(() => isWorkingDay("2026-02-30", "england")).toThrow(RangeError);
    expect(() => isWorkingDay("31/12/2026", "england")).toThrow(RangeError);
  });
});

describe("addWorkingDays and workingDaysBefore", () => {
  it("skips weekends both ways", () => {
    expect(addWorkingDays("2026-06-12", 1, "england")).toBe("2026-06-15"); // Friday → Monday
    expect(addWorkingDays("2026-06-15", -1, "england")).toBe("2026-06-12");
    expect(addWorkingDays("2026-06-13", 1, "england")).toBe("2026-06-15"); // from a Saturday
    expect(addWorkingDays("2026-06-10", 5, "england")).toBe("2026-06-17");
  });

  it("returns the date itself for zero days", () => {
    expect(addWorkingDays("2026-06-13", 0, "england")).toBe("2026-06-13");
  });

  it("skips Christmas Day, Boxing Day and the 28 December 2026 substitute day", () => {
    expect(workingDaysBefore("2026-12-31", 10, "england")).toBe("2026-12-15");
    expect(workingDaysBefore("2026-12-31", 3, "england")).toBe("2026-12-24");
    expect(addWorkingDays("2026-12-24", 1, "wales")).toBe("2026-12-29");
  });

  it("goes over New Year differently in Scotland", () => {
    expect(addWorkingDays("2026-12-31", 1, "england")).toBe("2027-01-04");
    expect(addWorkingDays("2026-12-31", 1, "scotland")).toBe("2027-01-05"); // 1 Jan, and 4 Jan substitutes for 2 Jan
  });

  it("goes over Easter differently in Scotland", () => {
    expect(addWorkingDays("2026-04-02", 1, "england")).toBe("2026-04-07");
    expect(addWorkingDays("2026-04-02", 1, "scotland")).toBe("2026-04-06");
  });

  it("refuses fractional days", () => {
    expect(() => addWorkingDays("2026-06-10", 1.5, "england")).toThrow(RangeError);
  });
});

describe("meetingTimetable", () => {
  it("works out the default timetable for a meeting on Thursday 31 December 2026 in England", () => {
    expect(meetingTimetable("2026-12-31", area("england"))).toEqual({
      referralCutoff: "2026-12-15",
      verificationSent: "2026-12-17",
      verificationDue: "2026-12-21",
      circulation: "2026-12-22",
      researchDue: "2026-12-30",
      minutesDue: "2027-01-06",
      actionUpdatesDue: "2027-01-12",
      digest: "2026-12-18",
    });
  });

  it("puts minutes a day later in Scotland, where 4 January 2027 is a holiday", () => {
    expect(meetingTimetable("2026-12-31", area("scotland")).minutesDue).toBe("2027-01-07");
  });

  it("follows an ordinary fortnight with no holidays", () => {
    expect(meetingTimetable("2026-06-18", area("wales"))).toEqual({
      referralCutoff: "2026-06-04",
      verificationSent: "2026-06-08",
      verificationDue: "2026-06-10",
      circulation: "2026-06-11",
      researchDue: "2026-06-17",
      minutesDue: "2026-06-23",
      actionUpdatesDue: "2026-06-30",
      digest: "2026-06-09",
    });
  });

  it("uses the area's own offsets", () => {
    const t = meetingTimetable("2026-06-18", area("wales", { referralCutoffDays: 3, minutesDueDaysAfter: 1, digestDays: 0 }));
    expect(t.referralCutoff).toBe("2026-06-15");
    expect(t.minutesDue).toBe("2026-06-19");
    expect(t.digest).toBe("2026-06-18");
  });

  it("sets action updates before the next meeting: the given date, else the area's cadence", () => {
    expect(meetingTimetable("2026-06-18", area("wales")).actionUpdatesDue).toBe("2026-06-30");
    expect(meetingTimetable("2026-06-18", area("wales", { cadenceDays: 28 })).actionUpdatesDue).toBe("2026-07-14");
    expect(meetingTimetable("2026-06-18", area("wales"), { nextMeetingDate: "2026-07-09" }).actionUpdatesDue).toBe("2026-07-07");
    const { cadenceDays: _ignored, ...noCadence } = area("wales");
    expect(meetingTimetable("2026-06-18", noCadence).actionUpdatesDue).toBe("2026-06-30");
  });

  it("skips the Easter holidays of the area's nation", () => {
    // Meeting Thursday 9 April 2026: 5 working days before crosses Good Friday and Easter Monday.
    expect(meetingTimetable("2026-04-09", area("england")).circulation).toBe("2026-03-31");
    expect(meetingTimetable("2026-04-09", area("scotland")).circulation).toBe("2026-04-01");
  });
});

describe("generateMeetingSeries", () => {
  it("lists a fortnightly series over a year", () => {
    const series = generateMeetingSeries({ firstMeetingOn: "2026-01-08", cadenceDays: 14, from: "2026-01-01", until: "2026-12-31", nation: "wales" });
    expect(series).toHaveLength(26);
    expect(series[0]).toEqual({ date: "2026-01-08", onHoliday: false });
    expect(series[1]!.date).toBe("2026-01-22");
    expect(series.at(-1)!.date).toBe("2026-12-24");
    for (let i = 1; i < series.length; i++) expect(addCalendarDays(series[i - 1]!.date, 14)).toBe(series[i]!.date);
  });

  it("flags meetings that fall on a bank holiday of the nation", () => {
    const weekly = (nation: Nation) =>
      generateMeetingSeries({ firstMeetingOn: "2026-01-05", cadenceDays: 7, from: "2026-01-01", until: "2026-12-31", nation });
    const flagged = (nation: Nation) => weekly(nation).filter((m) => m.onHoliday).map((m) => m.date);
    expect(weekly("england")).toHaveLength(52);
    expect(flagged("england")).toEqual(["2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-28"]);
    expect(flagged("scotland")).toEqual(["2026-05-04", "2026-05-25", "2026-08-03", "2026-11-30", "2026-12-28"]);
    expect(flagged("northern_ireland")).toEqual(["2026-04-06", "2026-05-04", "2026-05-25", "2026-07-13", "2026-08-31", "2026-12-28"]);
  });

  it("starts from the first meeting on or after `from`, on the cadence", () => {
    const series = generateMeetingSeries({ firstMeetingOn: "2026-01-05", cadenceDays: 14, from: "2026-05-20", until: "2026-09-01", nation: "england" });
    expect(series.map((m) => m.date)).toEqual(["2026-05-25", "2026-06-08", "2026-06-22", "2026-07-06", "2026-07-20", "2026-08-03", "2026-08-17", "2026-08-31"]);
    expect(series.filter((m) => m.onHoliday).map((m) => m.date)).toEqual(["2026-05-25", "2026-08-31"]);
  });

  it("includes meetings on `from` and `until` and none before the first meeting", () => {
    const series = generateMeetingSeries({ firstMeetingOn: "2026-03-05", cadenceDays: 14, from: "2025-01-01", until: "2026-04-02", nation: "wales" });
    expect(series.map((m) => m.date)).toEqual(["2026-03-05", "2026-03-19", "2026-04-02"]);
    expect(generateMeetingSeries({ firstMeetingOn: "2026-03-05", cadenceDays: 14, from: "2026-03-19", until: "2026-03-19", nation: "wales" })).toEqual([
      { date: "2026-03-19", onHoliday: false },
    ]);
  });

  it("gives nothing when `until` is before `from`", () => {
    expect(generateMeetingSeries({ firstMeetingOn: "2026-03-05", cadenceDays: 14, from: "2026-06-01", until: "2026-05-01", nation: "wales" })).toEqual([]);
  });

  it("refuses a cadence that is not a positive whole number of days", () => {
    for (const cadenceDays of [0, -14, 1.5]) {
      expect(() => generateMeetingSeries({ firstMeetingOn: "2026-03-05", cadenceDays, from: "2026-03-05", until: "2026-06-01", nation: "wales" })).toThrow(RangeError);
    }
  });
});

describe("time zones", () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = originalTz;
  });

  it("reads a Date by its UTC calendar date", () => {
    expect(toIsoDate(new Date("2026-12-31T00:00:00Z"))).toBe("2026-12-31");
    expect(toIsoDate(new Date("2026-12-31T23:59:59Z"))).toBe("2026-12-31");
    expect(workingDaysBefore(new Date("2026-12-31T00:00:00Z"), 10, "england")).toBe("2026-12-15");
  });

  it.each(["Pacific/Kiritimati", "America/Los_Angeles", "Europe/London", "Asia/Kolkata"])(
    "gives the same answers whatever the process time zone (%s)",
    (tz) => {
      process.env.TZ = tz;
      // The switch takes effect: January in these zones is not UTC.
      if (tz !== "Europe/London") expect(new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset()).not.toBe(0);
      expect(meetingTimetable("2026-12-31", area("england")).referralCutoff).toBe("2026-12-15");
      expect(meetingTimetable(new Date(Date.UTC(2026, 11, 31)), area("england")).minutesDue).toBe("2027-01-06");
      expect(isWorkingDay("2026-04-06", "england")).toBe(false);
      expect(isWorkingDay("2026-04-07", "england")).toBe(true);
      expect(addCalendarDays("2026-03-28", 1)).toBe("2026-03-29"); // the clocks go forward overnight
      expect(addCalendarDays("2026-03-29", 1)).toBe("2026-03-30");
      expect(generateMeetingSeries({ firstMeetingOn: "2026-03-19", cadenceDays: 7, from: "2026-03-19", until: "2026-04-09", nation: "scotland" }).map((m) => m.date)).toEqual([
        "2026-03-19",
        "2026-03-26",
        "2026-04-02",
        "2026-04-09",
      ]);
    },
  );
});
