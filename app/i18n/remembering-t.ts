/** `t` as called with a key and, at most, options: what the helpers below take and give. */
export type PlainT = (key: string, options?: Record<string, unknown>) => string;

/** i18next options that change which text is chosen or how, rather than naming a value to fill in. */
const CHOOSING_OPTIONS = new Set(["count", "context", "ordinal", "defaultValue", "lng", "lngs", "ns", "keyPrefix", "fallbackLng", "returnObjects", "returnDetails", "joinArrays", "postProcess", "interpolation", "skipInterpolation", "replace"]);
const MARK = "\u0001";

/**
 * `t` for one batch of text that repeats the same lines (an area's digests, one render of a page
 * with a grid): it remembers what it said, and for a line whose options only fill in text ("Due
 * {{date}}.", "{{agency}}: {{state}}") it asks i18next once per key for the line with a marker in
 * each place, then fills the values in itself. i18next copies its options and interpolates afresh
 * on every call, about 10–20 µs; a digest asks for some 25 lines with options and up to 150 dated
 * action lines (docs/performance.md, finding 26), a readiness grid for one line per agency and
 * state (finding 37). Lines with a count (plurals) or another choosing option are remembered by
 * their whole options. Make one per batch, never one for the process: the texts can carry case
 * references.
 */
export function rememberingT(t: PlainT): PlainT {
  const said = new Map<string, string>();
  // No languages: a count is remembered with its whole options below, not made from a template.
  const fill = lineTemplates(t, undefined);
  return (key, options) => {
    if (options) {
      const filled = fill(key, options);
      if (filled !== undefined) return filled;
      if (!Object.values(options).every((v) => typeof v === "string" || typeof v === "number" || typeof v === "boolean")) return t(key, options);
    }
    const id = options ? `${key}${MARK}${JSON.stringify(options)}` : key;
    let text = said.get(id);
    if (text === undefined) said.set(id, (text = t(key, options)));
    return text;
  };
}

const pluralRules = new Map<string, Intl.PluralRules>();

/**
 * The plural form a count chooses in each language a line may come from, as i18next chooses it
 * (`Intl.PluralRules` for the language, and `_zero` tried first for 0).
 */
function pluralChoice(count: number, languages: readonly string[]) {
  let choice = count === 0 ? "0" : "";
  for (const language of languages) {
    let rules = pluralRules.get(language);
    if (!rules) pluralRules.set(language, (rules = new Intl.PluralRules(language === "dev" ? "en" : language)));
    choice += `,${rules.select(count)}`;
  }
  return choice;
}

/**
 * Lines made from templates. For a line whose options only fill in text or numbers, and perhaps a
 * count, which also chooses the plural form, i18next is asked once per key, option names and
 * plural form for the line with a marker in each place; the values are filled in here. i18next
 * copies its options and interpolates afresh on every call: 10–30 µs with a count (findings 26
 * and 46). A template holds no values, only the app's own text, so it can be kept for as long as
 * its translator. Counts need the languages the line may come from (the language, then its
 * fallbacks); without them, and for any other option or a value i18next would change, the answer
 * is undefined: ask i18next.
 */
export function lineTemplates(t: PlainT, languages: readonly string[] | undefined) {
  const templates = new Map<string, (string | number)[] | null>();
  return (key: string, options: Record<string, unknown>): string | undefined => {
    const names = Object.keys(options);
    if (names.length === 0) return undefined;
    const values: string[] = [];
    let count: number | undefined;
    for (const name of names) {
      const value = options[name];
      if (name === "count") {
        if (typeof value !== "number" || !Number.isFinite(value) || !languages) return undefined;
        count = value;
      } else if (CHOOSING_OPTIONS.has(name)) return undefined;
      if (typeof value === "number") values.push(String(value));
      // A value with a placeholder in it i18next would fill in again: leave those to it.
      else if (typeof value === "string" && !value.includes(MARK) && !value.includes("{{")) values.push(value);
      else return undefined;
    }
    const shape = count === undefined ? [key, ...names].join(MARK) : [key, ...names, pluralChoice(count, languages!)].join(MARK);
    let parts = templates.get(shape);
    if (parts === undefined) {
      const markers = Object.fromEntries(names.map((name, i) => [name, `${MARK}${i}${MARK}`]));
      // With a count, the count chooses the form and the markers are what i18next fills in (its `replace`).
      const marked = t(key, count === undefined ? markers : { count, replace: markers });
      const pieces = marked.split(MARK);
      // Literal text and value indexes alternate. Every value must be there as given: one i18next changed
      // (a formatter) or left out (a choice made on it) means no template. A plural form may leave out its count.
      const indexes = pieces.filter((_, i) => i % 2 === 1);
      const verbatim = pieces.length % 2 === 1 && indexes.every((piece) => /^\d+$/.test(piece) && Number(piece) < names.length) && names.every((name, i) => name === "count" || indexes.includes(String(i)));
      parts = verbatim ? pieces.map((piece, i) => (i % 2 === 0 ? piece : Number(piece))) : null;
      templates.set(shape, parts);
    }
    if (!parts) return undefined;
    let text = "";
    for (const part of parts) text += typeof part === "number" ? values[part] : part;
    return text;
  };
}
