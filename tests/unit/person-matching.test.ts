import { describe, expect, it } from "vitest";
import { createI18n } from "~/i18n/config";
import {
  MATCH_THRESHOLD,
  isRepeat,
  matchPeople,
  nameKey,
  normaliseName,
  parseDob,
  phoneticKey,
  phoneticNameKey,
} from "~/lib/person-matching";

const TODAY = "2026-05-01";
const reason = (key: string) => `cases:matching.reasons.${key}`;

describe("normaliseName", () => {
  it("lower-cases, strips accents and collapses whitespace", () => {
    expect(normaliseName("  SIÂN   Jones ")).toBe("sian jones");
    expect(normaliseName("Zoë Brontë")).toBe("zoe bronte");
    expect(normaliseName("Łukasz Wałęsa")).toBe("lukasz walesa");
  });

  it("treats hyphens, dots and commas as spaces and removes apostrophes", () => {
    expect(normaliseName("Siân Jones-Evans")).toBe(normaliseName("Sian Jones Evans"));
    expect(normaliseName("St. John-Smith, Mary")).toBe("st john smith mary");
    expect(normaliseName("O'Brien")).toBe("obrien");
    expect(normaliseName("O’Brien")).toBe(normaliseName("OBrien"));
  });

  it.each([
    ["Jon", "John"],
    ["Jonathan", "John"],
    ["Steven", "Stephen"],
    ["Steve", "Stephen"],
    ["Katherine", "Catherine"],
    ["Kathryn", "Catherine"],
    ["Cathy", "Catherine"],
    ["Kate", "Catherine"],
    ["Muhammad", "Mohammed"],
    ["Mohamed", "Mohammed"],
    ["Mohammad", "Mohammed"],
    ["Reece", "Rhys"],
    ["Rees", "Rhys"],
    ["David", "Dafydd"],
    ["Dai", "Dafydd"],
    ["Sara", "Sarah"],
    ["Zoë", "Zoe"],
    ["Amy", "Aimee"],
    ["Aimée", "Aimee"],
    ["Siân", "Sian"],
  ])("folds %s and %s to the same name", (a, b) => {
    expect(normaliseName(a)).toBe(normaliseName(b));
  });

  it("keeps names outside the variant table as they are", () => {
    expect(normaliseName("Gareth")).toBe("gareth");
    expect(normaliseName("Lisa")).toBe("lisa");
    expect(normaliseName("Lisa")).not.toBe(normaliseName("Elizabeth"));
    expect(normaliseName("Jane")).not.toBe(normaliseName("Janet"));
  });

  it("gives an empty string for a name with no letters", () => {
    expect(normaliseName(" - . ")).toBe("");
  });
});

describe("nameKey and phoneticNameKey", () => {
  it("gives transposed names the same keys", () => {
    expect(nameKey("Smith Jane")).toBe(nameKey("Jane Smith"));
    expect(nameKey("SMITH, Jane")).toBe("jane smith");
    expect(phoneticNameKey("Smyth Jane")).toBe(phoneticNameKey("Jane Smith"));
  });

  it("gives spelling variants, accents and hyphens the same keys", () => {
    expect(nameKey("Siân Jones-Evans")).toBe(nameKey("Sian Jones Evans"));
    expect(nameKey("Jon Davies")).toBe(nameKey("John Davies"));
    expect(phoneticNameKey("Catherine Thompson")).toBe(phoneticNameKey("Kathryn Thomson"));
  });

  it("keeps different people apart", () => {
    expect(nameKey("Jane Smith")).not.toBe(nameKey("Janet Smithson"));
    expect(phoneticNameKey("Jane Smith")).not.toBe(phoneticNameKey("Janet Smithson"));
    expect(phoneticNameKey("Jane Smith")).not.toBe(phoneticNameKey("Jane Jones"));
  });
});

describe("phoneticKey", () => {
  it.each([
    ["Smith", "Smyth"],
    ["Thompson", "Thomson"],
    ["Jones", "Jonnes"],
    ["Simpson", "Simson"],
    ["Phillips", "Philips"],
    ["Stephenson", "Stevenson"],
    ["McDonald", "MacDonald"],
    ["Vaughan", "Vaughn"],
    ["Sarah", "Sara"],
    ["Catherine", "Kathryn"],
    ["Mohammed", "Muhammad"],
    ["Rhys", "Reece"],
    ["Siân", "Sian"],
  ])("codes %s and %s the same", (a, b) => {
    expect(phoneticKey(a)).toBe(phoneticKey(b));
    expect(phoneticKey(a)).not.toBe("");
  });

  it.each([
    ["Smith", "Jones"],
    ["Smith", "Smithson"],
    ["Jane", "Janet"],
    ["Evans", "Owens"],
    ["Williams", "Wilson"],
    ["Thomas", "Thompson"],
    ["Davies", "Davidson"],
    ["Brown", "Green"],
  ])("codes %s and %s differently", (a, b) => {
    expect(phoneticKey(a)).not.toBe(phoneticKey(b));
  });

  it("codes each word of a phrase", () => {
    expect(phoneticKey("Jane Smith")).toBe("JN SM0");
  });
});

describe("parseDob", () => {
  it.each([
    ["1990-03-07", "1990-03-07"],
    ["07/03/1990", "1990-03-07"],
    ["7/3/1990", "1990-03-07"],
    ["07-03-1990", "1990-03-07"],
    ["07.03.1990", "1990-03-07"],
    ["07 03 1990", "1990-03-07"],
    ["7 March 1990", "1990-03-07"],
    ["7th March 1990", "1990-03-07"],
    ["07 Mar 1990", "1990-03-07"],
    ["07-Mar-90", "1990-03-07"],
    ["7 Sept. 1985", "1985-09-07"],
    ["  1 JANUARY 2000 ", "2000-01-01"],
    ["29/02/2024", "2024-02-29"],
  ])("reads %s as %s", (input, iso) => {
    expect(parseDob(input, { today: TODAY })).toBe(iso);
  });

  it("reads numbers day first, the UK way", () => {
    expect(parseDob("03/07/1990", { today: TODAY })).toBe("1990-07-03");
  });

  it("reads two-digit years as the most recent year that is not in the future", () => {
    expect(parseDob("07.03.90", { today: TODAY })).toBe("1990-03-07");
    expect(parseDob("07.03.15", { today: TODAY })).toBe("2015-03-07");
    expect(parseDob("01.05.26", { today: TODAY })).toBe("2026-05-01");
    expect(parseDob("02.05.26", { today: TODAY })).toBe("1926-05-02");
    expect(parseDob("07.03.30", { today: TODAY })).toBe("1930-03-07");
  });

  it.each(["31/02/1990", "29/02/2023", "32/01/1990", "07/13/1990", "00/01/1990", "1990-02-30", "7 Smarch 1990"])(
    "rejects the impossible date %s",
    (input) => {
      expect(parseDob(input, { today: TODAY })).toBeNull();
    },
  );

  it("rejects future dates and dates before 1900", () => {
    expect(parseDob("2026-05-02", { today: TODAY })).toBeNull();
    expect(parseDob("2026-05-01", { today: TODAY })).toBe("2026-05-01");
    expect(parseDob("31/12/1899", { today: TODAY })).toBeNull();
  });

  it("rejects text that is not a date", () => {
    for (const input of ["", "   ", "unknown", "1990", "07/03", "1990-03-07T10:00", "07/03-1990", null, undefined]) {
      expect(parseDob(input as string, { today: TODAY }), String(input)).toBeNull();
    }
  });
});

describe("matchPeople: matches", () => {
  it("matches the same name and date of birth in different formats", () => {
    const result = matchPeople({ names: ["Jane Smith"], dobs: ["07/03/1990"] }, { names: ["Jane Smith"], dobs: ["1990-03-07"] });
    expect(result).toEqual({ score: 1, reasons: [reason("sameName"), reason("sameDob")], isMatch: true });
  });

  it("matches transposed first name and surname", () => {
    const result = matchPeople({ names: ["Smith Jane"], dobs: ["7 March 1990"] }, { names: ["Jane Smith"], dobs: ["07.03.1990"] });
    expect(result.isMatch).toBe(true);
    expect(result.reasons).toEqual([reason("sameName"), reason("transposedName"), reason("sameDob")]);
  });

  it("matches transposed names with a different spelling of the surname", () => {
    const result = matchPeople({ names: ["Smyth Jane"], dobs: [] }, { names: ["Jane Smith"], dobs: [] });
    expect(result.isMatch).toBe(true);
    expect(result.reasons).toContain(reason("transposedName"));
    expect(result.reasons).toContain(reason("similarSurname"));
  });

  it("matches on an alias of either person", () => {
    const result = matchPeople(
      { names: ["Jane Roberts", "Jane Smith"], dobs: ["1990-03-07"] },
      { names: ["Janey Williams", "Jane Smith"], dobs: ["1990-03-07"] },
    );
    expect(result.isMatch).toBe(true);
    expect(result.score).toBe(1);
    expect(result.reasons).toEqual([reason("sameName"), reason("matchedAlias"), reason("sameDob")]);
  });

  it("matches accents and hyphens: Siân Jones-Evans and Sian Jones Evans", () => {
    const result = matchPeople({ names: ["Siân Jones-Evans"], dobs: ["1985-11-02"] }, { names: ["Sian Jones Evans"], dobs: ["02/11/1985"] });
    expect(result.score).toBe(1);
    expect(result.isMatch).toBe(true);
  });

  it("matches one half of a double-barrelled surname when the date of birth agrees", () => {
    const result = matchPeople({ names: ["Sian Jones"], dobs: ["1985-11-02"] }, { names: ["Sian Jones-Evans"], dobs: ["1985-11-02"] });
    expect(result.isMatch).toBe(true);
    expect(result.reasons).toContain(reason("partialSurname"));
  });

  it.each([
    ["Jon Davies", "John Davies"],
    ["Steve Morgan", "Stephen Morgan"],
    ["Kate Price", "Katherine Price"],
    ["Muhammad Khan", "Mohammed Khan"],
    ["Reece Hughes", "Rhys Hughes"],
    ["Dai Williams", "Dafydd Williams"],
  ])("matches the first-name variants %s and %s without a date of birth", (a, b) => {
    const result = matchPeople({ names: [a], dobs: [] }, { names: [b], dobs: [] });
    expect(result.isMatch).toBe(true);
    expect(result.reasons).toContain(reason("firstNameVariant"));
    expect(result.reasons).toContain(reason("noDobToCompare"));
  });

  it("matches a phonetic surname with the same date of birth", () => {
    const result = matchPeople({ names: ["Lisa Thomson"], dobs: ["1979-06-30"] }, { names: ["Lisa Thompson"], dobs: ["30/06/1979"] });
    expect(result.isMatch).toBe(true);
    expect(result.reasons).toEqual([reason("sameFirstName"), reason("similarSurname"), reason("sameDob")]);
  });

  it("matches a new surname when first name and date of birth agree (married or maiden name)", () => {
    const result = matchPeople({ names: ["Gareth Lewis"], dobs: ["1980-01-15"] }, { names: ["Gareth Pritchard"], dobs: ["1980-01-15"] });
    expect(result.isMatch).toBe(true);
    expect(result.score).toBeLessThan(0.8);
  });

  it("matches an initial with the same date of birth", () => {
    const result = matchPeople({ names: ["J Smith"], dobs: ["1990-03-07"] }, { names: ["Jane Smith"], dobs: ["1990-03-07"] });
    expect(result.isMatch).toBe(true);
    expect(result.reasons).toContain(reason("initialMatches"));
  });

  it("treats day and month swapped as weak support", () => {
    const swapped = matchPeople({ names: ["Jane Smith"], dobs: ["1990-07-03"] }, { names: ["Jane Smith"], dobs: ["1990-03-07"] });
    const same = matchPeople({ names: ["Jane Smith"], dobs: ["1990-03-07"] }, { names: ["Jane Smith"], dobs: ["1990-03-07"] });
    const none = matchPeople({ names: ["Jane Smith"], dobs: [] }, { names: ["Jane Smith"], dobs: ["1990-03-07"] });
    expect(swapped.reasons).toContain(reason("dobDayMonthTransposed"));
    expect(swapped.isMatch).toBe(true);
    expect(swapped.score).toBeLessThan(same.score);
    expect(swapped.score).toBeGreaterThan(none.score);
  });

  it("uses any of several recorded dates of birth", () => {
    const result = matchPeople({ names: ["Jane Smith"], dobs: ["1991-01-01", "07/03/1990"] }, { names: ["Jane Smith"], dobs: ["1990-03-07"] });
    expect(result.reasons).toContain(reason("sameDob"));
    expect(result.score).toBe(1);
  });
});

describe("matchPeople: near misses", () => {
  it("does not match the same name with a different date of birth", () => {
    const result = matchPeople({ names: ["Jane Smith"], dobs: ["1990-03-07"] }, { names: ["Jane Smith"], dobs: ["1992-11-21"] });
    expect(result.isMatch).toBe(false);
    expect(result.reasons).toContain(reason("dobConflict"));
    expect(result.score).toBeLessThan(0.4);
  });

  it("does not match a similar name without a date of birth: Jane Smith and Janet Smithson", () => {
    const result = matchPeople({ names: ["Jane Smith"], dobs: [] }, { names: ["Janet Smithson"], dobs: [] });
    expect(result.isMatch).toBe(false);
    expect(result.score).toBe(0);
  });

  it("does not match the same surname with a different first name and date of birth", () => {
    const result = matchPeople({ names: ["Jane Smith"], dobs: ["1990-03-07"] }, { names: ["Mary Smith"], dobs: ["1965-08-19"] });
    expect(result.isMatch).toBe(false);
    expect(result.reasons).toEqual([reason("sameSurname"), reason("dobConflict")]);
  });

  it("does not match the same surname and a different first name without a date of birth", () => {
    expect(matchPeople({ names: ["Jane Smith"], dobs: [] }, { names: ["Mary Smith"], dobs: [] }).isMatch).toBe(false);
  });

  it("does not match on a shared date of birth alone", () => {
    const result = matchPeople({ names: ["Jane Smith"], dobs: ["1990-03-07"] }, { names: ["Peter Hughes"], dobs: ["1990-03-07"] });
    expect(result.isMatch).toBe(false);
    expect(result.score).toBe(0.5);
  });

  it("does not match the same first name alone", () => {
    expect(matchPeople({ names: ["Jane Smith"], dobs: [] }, { names: ["Jane Hughes"], dobs: [] }).isMatch).toBe(false);
  });

  it("does not let a first-name variant overcome conflicting dates of birth", () => {
    expect(matchPeople({ names: ["Jon Davies"], dobs: ["1990-01-01"] }, { names: ["John Davies"], dobs: ["1970-06-06"] }).isMatch).toBe(false);
  });

  it("ignores blank names and unreadable dates", () => {
    const result = matchPeople({ names: ["", "Jane Smith"], dobs: ["not known"] }, { names: ["Jane Smith"], dobs: ["31/02/1990"] });
    expect(result.reasons).toContain(reason("noDobToCompare"));
    expect(matchPeople({ names: [""], dobs: [] }, { names: ["Jane Smith"], dobs: [] }).score).toBe(0);
  });
});

describe("matchPeople: scores and strings", () => {
  it("keeps scores in 0..1 with the documented threshold", () => {
    expect(MATCH_THRESHOLD).toBe(0.7);
    const pairs: [string, string][] = [
      ["Jane Smith", "Jane Smith"],
      ["Jane Smith", "Smith Jane"],
      ["Jane", "Jane Smith"],
      ["X", "Y"],
    ];
    for (const [a, b] of pairs) {
      for (const dobs of [[[], []], [["1990-03-07"], ["1990-03-07"]], [["1990-03-07"], ["1980-01-01"]]] as const) {
        const { score } = matchPeople({ names: [a], dobs: dobs[0] }, { names: [b], dobs: dobs[1] });
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
      }
    }
  });

  it.each([
    [["Kate Thomson", "Catherine Lewis"], ["Kathryn Thompson"]],
    [["Smyth Jane"], ["Jane Smith"]],
    [["J Smith"], ["Smith Jane"]],
    [["Sian Jones"], ["Evans Sian Jones"]],
  ])("scores %j against %j the same both ways", (namesA, namesB) => {
    const a = { names: namesA, dobs: ["1988-04-12"] };
    const b = { names: namesB, dobs: ["12/04/1988"] };
    expect(matchPeople(a, b).score).toBe(matchPeople(b, a).score);
  });

  it.each([
    [["Jane Smith"], ["Jane Smyth"], [], [], 0.74],
    [["Jane Smith"], ["Jane Smith"], [], [], 0.8],
    [["Gareth Lewis"], ["Gareth Pritchard"], ["1980-01-15"], ["1980-01-15"], 0.75],
    [["Jane Smith"], ["Mary Smith"], ["1980-01-15"], ["1980-01-15"], 0.75],
    [["J Smith"], ["Jane Smith"], [], [], 0.64],
    [["J Smith"], ["Jane Smith"], ["1980-01-15"], ["1980-01-15"], 0.9],
    [["Jane Smith"], ["Mary Smith"], [], [], 0.4],
    [["Jane Smith"], ["Jane Smith"], ["1980-01-15"], ["1981-02-16"], 0.35],
  ])("scores %j v %j (dobs %j v %j) as documented: %d", (namesA, namesB, dobsA, dobsB, expected) => {
    expect(matchPeople({ names: namesA, dobs: dobsA }, { names: namesB, dobs: dobsB }).score).toBeCloseTo(expected, 2);
  });

  it("has English text for every reason it gives", () => {
    const i18n = createI18n("en");
    const keys = new Set<string>();
    const cases: [string[], string[], string[], string[]][] = [
      [["Jane Smith"], ["1990-03-07"], ["Jane Smith"], ["1990-03-07"]],
      [["Smith Jon"], ["1990-07-03"], ["Jane Roberts", "John Smith"], ["1990-03-07"]],
      [["J Smyth"], [], ["Jane Smith"], []],
      [["Sian Jones"], ["1990-01-01"], ["Sian Jones-Evans"], ["1980-01-01"]],
      [["Jane"], [], ["Jane Smith"], []],
      [["Lisa Thomson"], [], ["Lysa Thompson"], []],
    ];
    for (const [na, da, nb, db] of cases) for (const r of matchPeople({ names: na, dobs: da }, { names: nb, dobs: db }).reasons) keys.add(r);
    expect(keys.size).toBeGreaterThanOrEqual(12);
    for (const key of keys) expect(i18n.t(key), key).not.toBe(key.replace("cases:", ""));
  });
});

describe("isRepeat", () => {
  it("counts a referral within 12 months of the last, inclusive", () => {
    expect(isRepeat({ lastReferralDate: "2025-03-10", newReferralDate: "2025-03-10" })).toBe(true);
    expect(isRepeat({ lastReferralDate: "2025-03-10", newReferralDate: "2025-09-01" })).toBe(true);
    expect(isRepeat({ lastReferralDate: "2025-03-10", newReferralDate: "2026-03-10" })).toBe(true);
  });

  it("does not count a referral after 12 months", () => {
    expect(isRepeat({ lastReferralDate: "2025-03-10", newReferralDate: "2026-03-11" })).toBe(false);
    expect(isRepeat({ lastReferralDate: "2023-01-01", newReferralDate: "2026-01-01" })).toBe(false);
  });

  it("uses calendar months, ending on 28 February for a last referral on 29 February", () => {
    expect(isRepeat({ lastReferralDate: "2024-02-29", newReferralDate: "2025-02-28" })).toBe(true);
    expect(isRepeat({ lastReferralDate: "2024-02-29", newReferralDate: "2025-03-01" })).toBe(false);
    expect(isRepeat({ lastReferralDate: "2023-03-01", newReferralDate: "2024-02-29" })).toBe(true);
    expect(isRepeat({ lastReferralDate: "2023-02-28", newReferralDate: "2024-02-28" })).toBe(true);
    expect(isRepeat({ lastReferralDate: "2023-02-28", newReferralDate: "2024-02-29" })).toBe(false);
  });

  it("does not count a new date before the last one", () => {
    expect(isRepeat({ lastReferralDate: "2025-03-10", newReferralDate: "2025-03-09" })).toBe(false);
  });

  it("refuses dates that are not ISO calendar dates", () => {
    expect(() => isRepeat({ lastReferralDate: "10/03/2025", newReferralDate: "2025-03-10" })).toThrow();
    expect(() => isRepeat({ lastReferralDate: "2025-02-30", newReferralDate: "2025-03-10" })).toThrow();
  });
});
