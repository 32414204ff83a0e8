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
  const templates = new Map<string, (string | number)[] | null>();
  const template = (key: string, names: string[]) => {
    const shape = [key, ...names].join(MARK);
    let parts = templates.get(shape);
    if (parts === undefined) {
      const marked = t(key, Object.fromEntries(names.map((name, i) => [name, `${MARK}${i}${MARK}`])));
      const pieces = marked.split(MARK);
      // Literal text and value indexes alternate. Every value must be there as given: one i18next changed
      // (a formatter) or left out (a choice made on it) means no template.
      const indexes = pieces.filter((_, i) => i % 2 === 1);
      const verbatim = pieces.length % 2 === 1 && indexes.every((piece) => /^\d+$/.test(piece)) && names.every((_, i) => indexes.includes(String(i)));
      parts = verbatim ? pieces.map((piece, i) => (i % 2 === 0 ? piece : Number(piece))) : null;
      templates.set(shape, parts);
    }
    return parts;
  };
  return (key, options) => {
    if (options) {
      const names = Object.keys(options);
      const values = Object.values(options);
      if (names.length > 0 && values.every((v) => typeof v === "string") && !names.some((n) => CHOOSING_OPTIONS.has(n)) && !values.some((v) => (v as string).includes(MARK))) {
        const parts = template(key, names);
        if (parts) return parts.map((part) => (typeof part === "number" ? (values[part] as string) : part)).join("");
      }
      if (!values.every((v) => typeof v === "string" || typeof v === "number" || typeof v === "boolean")) return t(key, options);
    }
    const id = options ? `${key}${MARK}${JSON.stringify(options)}` : key;
    let text = said.get(id);
    if (text === undefined) said.set(id, (text = t(key, options)));
    return text;
  };
}
