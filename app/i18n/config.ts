import i18next, { type i18n as I18n } from "i18next";
import { resources, namespaces } from "./resources";

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
 * hundred strings: docs/performance.md, finding 22). A call with options (a count for plurals,
 * values to interpolate, a default) goes to i18next as before.
 */
function rememberingPlainTranslations(instance: I18n): I18n {
  const getFixedT = instance.getFixedT.bind(instance);
  const remembered = new Map<string, Map<string, string>>();
  instance.getFixedT = ((lng: Parameters<I18n["getFixedT"]>[0], ns?: string | readonly string[], keyPrefix?: string) => {
    const fixed = getFixedT(lng, ns as string, keyPrefix) as unknown as ((...args: unknown[]) => unknown) & { lng?: string; lngs?: readonly string[]; ns?: string | readonly string[]; keyPrefix?: string };
    const scope = JSON.stringify([lng ?? null, ns ?? null, keyPrefix ?? null]);
    let texts = remembered.get(scope);
    if (!texts) remembered.set(scope, (texts = new Map()));
    const known = texts;
    const t = (key: unknown, ...rest: unknown[]) => {
      if (rest.length > 0 || typeof key !== "string") return fixed(key, ...rest);
      let text = known.get(key);
      if (text === undefined) {
        const value = fixed(key);
        if (typeof value !== "string") return value;
        known.set(key, (text = value));
      }
      return text;
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
