import i18next, { type i18n as I18n } from "i18next";
import { resources, namespaces } from "./resources";
import { lineTemplates, type PlainT } from "./remembering-t";

export const supportedLanguages = ["en", "cy"] as const;
export type Language = (typeof supportedLanguages)[number];
export const defaultLanguage: Language = "en";
export const LANGUAGE_COOKIE = "lng";

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (supportedLanguages as readonly string[]).includes(value);
}

const instances = new Map<Language, I18n>();

/**
 * The i18next instance for a language, initialised synchronously once and then
 * shared: nothing changes an instance's language or resources after start, and
 * building one costs about a millisecond, several times per page view.
 */
export function createI18n(language: Language = defaultLanguage): I18n {
  const lang = isLanguage(language) ? language : defaultLanguage;
  let instance = instances.get(lang);
  if (!instance) {
    instance = initI18n(lang);
    instances.set(lang, instance);
  }
  return instance;
}

function initI18n(language: Language): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: language,
    fallbackLng: defaultLanguage,
    supportedLngs: [...supportedLanguages],
    ns: namespaces,
    defaultNS: "common",
    fallbackNS: "common",
    resources,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  } as Parameters<typeof instance.init>[0]);
  return rememberingPlainTranslations(instance);
}

type FixedT = ReturnType<I18n["getFixedT"]>;

/**
 * Makes the instance's `getFixedT` (what react-i18next's `useTranslation` and our emails use)
 * remember each plain translation, a key asked for with no options: it is the same text every
 * time, since nothing changes an instance's language or resources after start. i18next itself
 * copies all of its options into a new object on every call (about 7 µs; a page asks for a few
 * hundred strings: docs/performance.md, finding 22). A line whose options only fill in text or
 * numbers, with or without a count, is made from a template asked of i18next once per key, names
 * and plural form (`lineTemplates`: 10–30 µs a call otherwise, finding 46); the templates hold the
 * app's text, never the values. Any other call goes to i18next as before.
 */
function rememberingPlainTranslations(instance: I18n): I18n {
  const getFixedT = instance.getFixedT.bind(instance);
  const remembered = new Map<string, { texts: Map<string, string>; fill: ReturnType<typeof lineTemplates> }>();
  instance.getFixedT = ((lng: Parameters<I18n["getFixedT"]>[0], ns?: string | readonly string[], keyPrefix?: string) => {
    const fixed = getFixedT(lng, ns as string, keyPrefix) as unknown as ((...args: unknown[]) => unknown) & { lng?: string; lngs?: readonly string[]; ns?: string | readonly string[]; keyPrefix?: string };
    const scope = JSON.stringify([lng ?? null, ns ?? null, keyPrefix ?? null]);
    let known = remembered.get(scope);
    if (!known) {
      // The languages a line may come from: the translator's language, then its fallbacks.
      const languages = instance.services.languageUtils.toResolveHierarchy((typeof lng === "string" ? lng : undefined) ?? instance.language) as readonly string[];
      remembered.set(scope, (known = { texts: new Map(), fill: lineTemplates(fixed as unknown as PlainT, languages) }));
    }
    const { texts, fill } = known;
    const t = (key: unknown, ...rest: unknown[]) => {
      if (typeof key !== "string") return fixed(key, ...rest);
      if (rest.length === 0) {
        let text = texts.get(key);
        if (text === undefined) {
          const value = fixed(key);
          if (typeof value !== "string") return value;
          texts.set(key, (text = value));
        }
        return text;
      }
      const options = rest[0];
      if (rest.length === 1 && options !== null && typeof options === "object" && !Array.isArray(options)) {
        const text = fill(key, options as Record<string, unknown>);
        if (text !== undefined) return text;
      }
      return fixed(key, ...rest);
    };
    return Object.assign(t, { lng: fixed.lng, lngs: fixed.lngs, ns: fixed.ns, keyPrefix: fixed.keyPrefix }) as unknown as FixedT;
  }) as I18n["getFixedT"];
  return instance;
}

/** The language chosen with the language link, read from the `lng` cookie. */
export function languageFromRequest(request: Request): Language {
  const cookie = request.headers.get("Cookie") ?? "";
  const match = /(?:^|;\s*)lng=([a-z]{2})/.exec(cookie);
  return match && isLanguage(match[1]) ? match[1] : defaultLanguage;
}
