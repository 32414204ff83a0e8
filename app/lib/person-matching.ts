/**
 * Finding earlier cases about the same person (repeat detection).
 *
 * Two stages: the database pre-filters candidates by index on the keys stored on
 * case_people (`nameKey`, `phoneticNameKey`, ISO dates of birth), then `matchPeople`
 * scores each candidate. A match is a suggestion for the coordinator to confirm or
 * reject, never a merge, so recall matters more than precision: the thresholds below
 * are set so that a person who changed surname but kept first name and date of birth,
 * or whose name was recorded the other way round, is still put in front of a person.
 */

// ---------------------------------------------------------------------------
// Names

/**
 * Spelling variants and short forms of common first names, folded to the first
 * spelling in each group. Deliberately modest: only groups that referrers in Wales
 * and England commonly write for the same person. Accented forms (Siân, Zoë, Aimée)
 * need no entry because accents are stripped first. The table applies to every name
 * token (so a surname "Rees" folds to "rhys" too): both sides fold the same way, so
 * comparisons stay consistent and transposed names still line up.
 * Changing this table changes the keys stored on case_people: recompute them.
 */
const FIRST_NAME_VARIANTS: readonly (readonly string[])[] = [
  ["john", "jon", "jonathan", "jonathon", "johnny", "jonny"],
  ["stephen", "steven", "steve", "stevie"],
  ["catherine", "katherine", "kathryn", "katharine", "catharine", "cathy", "kathy", "cath", "kath", "kate", "katie"],
  ["mohammed", "muhammad", "mohamed", "mohammad", "muhammed", "mohamad", "mohd"],
  ["rhys", "reece", "rees", "reese"],
  ["dafydd", "david", "dai", "dave", "davy"],
  ["sarah", "sara"],
  ["zoe", "zoey"],
  ["aimee", "amy"],
  ["elizabeth", "elisabeth", "liz", "lizzie", "eliza"],
  ["michael", "mike", "mick", "micky"],
  ["william", "will", "bill", "billy"],
  ["robert", "rob", "robbie", "bob", "bobby"],
  ["christopher", "kristopher", "chris"],
  ["daniel", "dan", "danny"],
  ["thomas", "tom", "tommy"],
  ["anthony", "antony", "tony"],
  ["matthew", "mathew", "matt"],
  ["rebecca", "rebekah", "becky", "becca"],
  ["jennifer", "jenny", "jen"],
  ["philip", "phillip", "phil"],
  ["owen", "owain"],
  ["sean", "shaun", "shawn"],
  ["nicholas", "nicolas", "nick", "nicky"],
  ["claire", "clare"],
  ["jane", "jayne"],
  ["ann", "anne"],
  ["carl", "karl"],
];

const variantLookup: ReadonlyMap<string, string> = new Map(
  FIRST_NAME_VARIANTS.flatMap((group) => group.map((name) => [name, group[0]!] as const)),
);

/** Letters NFKD does not decompose. */
const SPECIAL_LETTERS: Record<string, string> = { ł: "l", ø: "o", æ: "ae", œ: "oe", ß: "ss", đ: "d", ð: "d", þ: "th", ı: "i" };

/**
 * Lower-case, accents stripped, apostrophes removed ("O'Brien" = "obrien"), every
 * other run of non-letters (hyphens, dots, commas, spaces) one space
 * ("Jones-Evans" = "jones evans"), without the variant table.
 */
function plainTokens(input: string): string[] {
  const plain = input
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[łøæœßđðþı]/g, (c) => SPECIAL_LETTERS[c] ?? c)
    .replace(/['’‘`ʼ]/g, "")
    .replace(/[^\p{L}]+/gu, " ")
    .trim();
  return plain ? plain.split(" ") : [];
}

const foldVariant = (token: string) => variantLookup.get(token) ?? token;

/** A name in comparable form: see plainTokens, then first-name variants folded. */
export function normaliseName(input: string): string {
  return plainTokens(input).map(foldVariant).join(" ");
}

/** Normalised tokens sorted, so "Smith Jane" and "Jane Smith" share a key. Stored on case_people.name_keys. */
export function nameKey(name: string): string {
  return normaliseName(name).split(" ").filter(Boolean).sort().join(" ");
}

/** Phonetic codes of the normalised tokens, sorted. Stored on case_people.phonetic_keys (GIN-indexed). */
export function phoneticNameKey(name: string): string {
  return normaliseName(name)
    .split(" ")
    .map(encodeWord)
    .filter(Boolean)
    .sort()
    .join(" ");
}

// ---------------------------------------------------------------------------
// Phonetic key

const isVowel = (c: string | undefined) => c !== undefined && "AEIOU".includes(c);

/**
 * A Metaphone-style code for one word (letters A–Z only), with rules for British
 * surnames: initial "Thom"/"Tham" is a T (Thomas, Thompson), the "p" in "mps"/"mpt"
 * is silent (Thompson = Thomson, Simpson = Simson) and "gh" after the first letter is
 * dropped (Vaughan = Vaughn). Vowels count only as a first
 * letter; doubled letters and repeated codes collapse.
 */
function encodeWord(token: string): string {
  let w = token.toUpperCase().replace(/[^A-Z]/g, "");
  if (!w) return "";
  if (/^(KN|GN|PN|AE|WR)/.test(w)) w = w.slice(1);
  if (w.startsWith("X")) w = `S${w.slice(1)}`;
  if (w.startsWith("WH")) w = `W${w.slice(2)}`;
  if (/^TH(OM|AM)/.test(w)) w = `T${w.slice(2)}`;
  w = w.replace(/MP(?=[ST])/g, "M");

  let out = "";
  for (let i = 0; i < w.length; i++) {
    const c = w[i]!;
    const prev = w[i - 1];
    const next = w[i + 1];
    const next2 = w[i + 2];
    if (c === prev && c !== "C") continue;
    let code = "";
    switch (c) {
      case "A":
      case "E":
      case "I":
      case "O":
      case "U":
        if (i === 0) code = "A";
        break;
      case "B":
        if (!(prev === "M" && i === w.length - 1)) code = "B";
        break;
      case "C":
        if (next === "I" && next2 === "A") code = "X";
        else if (next === "H") code = prev === "S" ? "K" : "X";
        else if (next && "EIY".includes(next)) code = prev === "S" ? "" : "S";
        else code = "K";
        break;
      case "D":
        code = next === "G" && next2 !== undefined && "EIY".includes(next2) ? "J" : "T";
        break;
      case "G":
        // "gh" after the first letter is silent or an f-sound (Vaughan = Vaughn, Hughes, Leigh).
        if (next === "H") code = i === 0 ? "K" : "";
        else if (next === "N" && (i + 2 === w.length || w.slice(i + 1) === "NED")) code = "";
        else if (next && "EIY".includes(next) && prev !== "G") code = "J";
        else code = "K";
        break;
      case "H":
        code = isVowel(next) && !(prev && "CSPTG".includes(prev)) ? "H" : "";
        break;
      case "K":
        code = prev === "C" ? "" : "K";
        break;
      case "P":
        code = next === "H" ? "F" : "P";
        break;
      case "Q":
        code = "K";
        break;
      case "S":
        if (next === "H") code = "X";
        else if (next === "I" && (next2 === "O" || next2 === "A")) code = "X";
        else code = "S";
        break;
      case "T":
        if (next === "I" && (next2 === "O" || next2 === "A")) code = "X";
        else if (next === "H") code = "0";
        else if (next === "C" && next2 === "H") code = "";
        else code = "T";
        break;
      case "V":
        code = "F";
        break;
      case "W":
      case "Y":
        code = isVowel(next) ? c : "";
        break;
      case "X":
        code = "KS";
        break;
      case "Z":
        code = "S";
        break;
      default:
        code = c;
    }
    if (code && !out.endsWith(code)) out += code;
  }
  return out;
}

/** Phonetic code of each word of `input` (accents stripped, no variant folding), space-separated. */
export function phoneticKey(input: string): string {
  return plainTokens(input).map(encodeWord).filter(Boolean).join(" ");
}

// ---------------------------------------------------------------------------
// Dates of birth

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11,
  dec: 12, december: 12,
};

const EARLIEST_DOB_YEAR = 1900;

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isoOf(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** "YYYY-MM-DD" of a real calendar date, or null. */
function validIso(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return isoOf(year, month, day);
}

function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * A date of birth as typed by a referrer, read the UK way (day first), as
 * "YYYY-MM-DD"; null when it is not a real date, is before 1900 or is in the future.
 *
 * Accepts ISO ("1990-03-07"), day/month/year with "/", "-", "." or spaces
 * ("07/03/1990", "7/3/1990", "07-03-1990", "07.03.90") and month names
 * ("7 March 1990", "7th Mar 1990", "07-Mar-90").
 *
 * Two-digit years: 20yy when that date is not after `today`, otherwise 19yy. A date of
 * birth cannot be in the future, so "07.03.90" is 1990 and "07.03.15" is 2015; the
 * cost is that someone born in 19yy where 20yy is already past (a person over 100)
 * must be written with four digits.
 */
export function parseDob(input: string | null | undefined, options: { today?: string } = {}): string | null {
  if (typeof input !== "string") return null;
  const s = input.trim().toLowerCase();
  if (!s) return null;
  const today = options.today ?? todayIso();

  let year: number;
  let month: number;
  let day: number;
  let twoDigitYear = false;

  let m = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/.exec(s);
  if (m) {
    [year, month, day] = [Number(m[1]), Number(m[3]), Number(m[4])];
  } else if ((m = /^(\d{1,2})([-/. ])(\d{1,2})\2(\d{2}|\d{4})$/.exec(s))) {
    [day, month, year] = [Number(m[1]), Number(m[3]), Number(m[4])];
    twoDigitYear = m[4]!.length === 2;
  } else if ((m = /^(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]*([a-z]+)\.?,?[\s\-/.]*(\d{2}|\d{4})$/.exec(s))) {
    const named = MONTHS[m[2]!];
    if (!named) return null;
    [day, month, year] = [Number(m[1]), named, Number(m[3])];
    twoDigitYear = m[3]!.length === 2;
  } else {
    return null;
  }

  if (twoDigitYear) {
    const recent = validIso(2000 + year, month, day);
    year = recent && recent <= today ? 2000 + year : 1900 + year;
  }
  const iso = validIso(year, month, day);
  if (!iso || year < EARLIEST_DOB_YEAR || iso > today) return null;
  return iso;
}

// ---------------------------------------------------------------------------
// Matching

export type PersonForMatching = {
  /** Full names; the first is the main name, the rest aliases. */
  names: readonly string[];
  /** Dates of birth in any format parseDob reads; unreadable ones are ignored. */
  dobs: readonly string[];
};

export type MatchResult = { score: number; reasons: string[]; isMatch: boolean };

/** At or above this score a candidate is put to the coordinator as a possible earlier case. */
export const MATCH_THRESHOLD = 0.7;

/**
 * Weights (documented because people will ask why a pair did or did not match):
 * - name similarity N in 0..1 = 0.5 × first name + 0.5 × surname (equal, so reading a
 *   transposed name either way gives the same score), where a name part
 *   scores 1 (same), 0.95 (first-name variant), 0.85 (sounds the same), 0.7 (one part
 *   of a double-barrelled or middle name in common), 0.6 (initial matches) or 0;
 *   identical token sets (including transposed) score 1; a one-word name that matches
 *   a word of the other scores 0.4.
 * - dates of birth: same → 0.5 + 0.5N; day and month swapped → 0.25 + 0.6N;
 *   either side unknown → 0.8N; both known and different → 0.35N.
 * So: same name + same DOB 1.0; same name, no DOB 0.8 (match); same first name and
 * a surname that sounds the same, no DOB 0.74 (match); same name, different DOB 0.35
 * (no match); same first name and DOB, new surname 0.75 (match: a married or maiden
 * name); same surname and DOB, different first name 0.75 (match: twins are rare, a
 * misrecorded first name is not); an initial and surname with the same DOB 0.9, without
 * a DOB 0.64 (no match); same surname, different first name, no DOB 0.4 (no match);
 * same DOB alone 0.5 (no match).
 */
const W_FIRST = 0.5;
const W_SURNAME = 0.5;

const REASON = (key: string) => `cases:matching.reasons.${key}`;

type ParsedName = { plain: string[]; tokens: string[]; codes: string[] };

function parseName(raw: string): ParsedName | null {
  const plain = plainTokens(raw);
  if (plain.length === 0) return null;
  const tokens = plain.map(foldVariant);
  return { plain, tokens, codes: tokens.map(encodeWord) };
}

type Part = { token: string; plain: string; code: string };
type Score = { score: number; reasons: string[] };

function firstNameScore(a: Part, b: Part): Score {
  if (a.token === b.token) return a.plain === b.plain ? { score: 1, reasons: ["sameFirstName"] } : { score: 0.95, reasons: ["firstNameVariant"] };
  if (a.token.length === 1 || b.token.length === 1) {
    const initialsAgree = a.plain[0] === b.plain[0] || a.token[0] === b.token[0];
    return initialsAgree ? { score: 0.6, reasons: ["initialMatches"] } : { score: 0, reasons: [] };
  }
  if (a.code && a.code === b.code) return { score: 0.85, reasons: ["similarFirstName"] };
  return { score: 0, reasons: [] };
}

function surnameScore(a: Part[], b: Part[]): Score {
  const aLast = a[a.length - 1]!;
  const bLast = b[b.length - 1]!;
  if (aLast.token === bLast.token) return { score: 1, reasons: ["sameSurname"] };
  if (aLast.code && aLast.code === bLast.code) return { score: 0.85, reasons: ["similarSurname"] };
  const shared = a.some((x) => x.token.length > 1 && b.some((y) => y.token === x.token || (x.code !== "" && x.code === y.code)));
  if (shared) return { score: 0.7, reasons: ["partialSurname"] };
  return { score: 0, reasons: [] };
}

function parts(name: ParsedName): Part[] {
  return name.tokens.map((token, i) => ({ token, plain: name.plain[i]!, code: name.codes[i]! }));
}

function compareNames(a: ParsedName, b: ParsedName): Score {
  const sortedA = [...a.tokens].sort().join(" ");
  const sortedB = [...b.tokens].sort().join(" ");
  if (sortedA === sortedB) {
    const reasons = ["sameName"];
    if (a.tokens.join(" ") !== b.tokens.join(" ")) reasons.push("transposedName");
    if ([...a.plain].sort().join(" ") !== [...b.plain].sort().join(" ")) reasons.push("firstNameVariant");
    return { score: 1, reasons };
  }
  const pa = parts(a);
  const pb = parts(b);
  if (pa.length === 1 || pb.length === 1) {
    const [single, other] = pa.length === 1 ? [pa[0]!, pb] : [pb[0]!, pa];
    const hit = other.some((p) => p.token === single.token || (single.code !== "" && p.code === single.code));
    return hit ? { score: 0.4, reasons: ["partialName"] } : { score: 0, reasons: [] };
  }
  // Surname written first ("Smith Jane"): read the last word as the first name. Either
  // side may be the one written the other way round; trying both keeps the score
  // symmetric, and on a tie the earlier case's (b's) order names the reasons.
  const rotate = (p: Part[]) => [p[p.length - 1]!, ...p.slice(0, -1)];
  const orientations: { a: Part[]; b: Part[]; transposed: boolean }[] = [
    { a: pa, b: pb, transposed: false },
    { a: rotate(pa), b: pb, transposed: true },
    { a: pa, b: rotate(pb), transposed: true },
  ];
  let best: Score = { score: 0, reasons: [] };
  for (const o of orientations) {
    const first = firstNameScore(o.a[0]!, o.b[0]!);
    const surname = surnameScore(o.a.slice(1), o.b.slice(1));
    const score = W_FIRST * first.score + W_SURNAME * surname.score;
    if (score > best.score + 1e-9) {
      best = { score, reasons: [...first.reasons, ...surname.reasons, ...(o.transposed ? ["transposedName"] : [])] };
    }
  }
  return best;
}

type DobEvidence = "same" | "transposed" | "unknown" | "conflict";

function compareDobs(a: readonly string[], b: readonly string[]): DobEvidence {
  const parse = (list: readonly string[]) => [...new Set(list.map((d) => parseDob(d)).filter((d): d is string => d !== null))];
  const da = parse(a);
  const db = parse(b);
  if (da.length === 0 || db.length === 0) return "unknown";
  if (da.some((d) => db.includes(d))) return "same";
  const swapped = (iso: string) => {
    const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
    return m !== d ? validIso(y, d, m) : null;
  };
  if (da.some((d) => {
    const s = swapped(d);
    return s !== null && db.includes(s);
  })) return "transposed";
  return "conflict";
}

const DOB_REASON: Record<DobEvidence, string> = {
  same: "sameDob",
  transposed: "dobDayMonthTransposed",
  unknown: "noDobToCompare",
  conflict: "dobConflict",
};

function combine(nameScore: number, dob: DobEvidence): number {
  switch (dob) {
    case "same":
      return 0.5 + 0.5 * nameScore;
    case "transposed":
      return 0.25 + 0.6 * nameScore;
    case "unknown":
      return 0.8 * nameScore;
    case "conflict":
      return 0.35 * nameScore;
  }
}

/**
 * How likely `candidate` (from a new referral) is the same person as `existing` (on an
 * earlier case). Every name and alias of one is compared with every name and alias of
 * the other, in both orders of first name and surname; the best pair counts.
 */
export function matchPeople(candidate: PersonForMatching, existing: PersonForMatching): MatchResult {
  const namesA = candidate.names.map(parseName);
  const namesB = existing.names.map(parseName);
  let best: Score & { alias: boolean } = { score: 0, reasons: [], alias: false };
  namesA.forEach((a, i) => {
    if (!a) return;
    namesB.forEach((b, j) => {
      if (!b) return;
      const s = compareNames(a, b);
      if (s.score > best.score + 1e-9) best = { ...s, alias: i > 0 || j > 0 };
    });
  });
  const dob = compareDobs(candidate.dobs, existing.dobs);
  const score = Math.round(combine(best.score, dob) * 1000) / 1000;
  const reasons = [...best.reasons, ...(best.alias ? ["matchedAlias"] : []), DOB_REASON[dob]].map(REASON);
  return { score, reasons, isMatch: score >= MATCH_THRESHOLD };
}

// ---------------------------------------------------------------------------
// Repeats

function parseIso(value: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return validIso(year, month, day) ? { year, month, day } : null;
}

/**
 * SafeLives: a repeat is a new referral within 12 months of the last referral
 * (inclusive). Twelve calendar months after the last referral date, on the same day
 * of the month, or the month's last day when that day does not exist (29 Feb 2024 →
 * 28 Feb 2025). Dates are ISO "YYYY-MM-DD"; a new date before the last is not a repeat.
 */
export function isRepeat(input: { lastReferralDate: string; newReferralDate: string }): boolean {
  const last = parseIso(input.lastReferralDate);
  const next = parseIso(input.newReferralDate);
  if (!last || !next) throw new Error("isRepeat needs ISO dates (YYYY-MM-DD)");
  const end = isoOf(last.year + 1, last.month, Math.min(last.day, daysInMonth(last.year + 1, last.month)));
  return input.newReferralDate >= input.lastReferralDate && input.newReferralDate <= end;
}
