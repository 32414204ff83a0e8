import { describe, expect, it } from "vitest";
import { londonToUtc, todayInLondon, utcToLondon } from "~/lib/london-time";

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
});
