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
  return instance;
}

/** The language chosen with the language link, read from the `lng` cookie. */
export function languageFromRequest(request: Request): Language {
  const cookie = request.headers.get("Cookie") ?? "";
  const match = /(?:^|;\s*)lng=([a-z]{2})/.exec(cookie);
  return match && isLanguage(match[1]) ? match[1] : defaultLanguage;
}
