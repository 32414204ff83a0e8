import { createElement } from "react";
import type { Db } from "#db/client";
import type { Area, OutboxKind } from "#db/schema";
import { AgencyUpdateEmail, agencyUpdateText, type AgencyUpdateEmailProps } from "#emails/agency-update";
import { renderEmailHtml } from "#emails/render.server";
import { getEnv } from "~/env.server";
import { createI18n, type Language } from "~/i18n/config";
import { isAccreditedAddress } from "~/lib/secure-domains";
import { queueEmail, type QueuedRow } from "../outbox.server";

export type MailT = (key: string, options?: Record<string, unknown>) => string;

export function mailT(lang: Language = "en"): MailT {
  return createI18n(lang).getFixedT(lang, "mail") as MailT;
}

/** i18next options that change which text is chosen or how, rather than naming a value to fill in. */
const CHOOSING_OPTIONS = new Set(["count", "context", "ordinal", "defaultValue", "lng", "lngs", "ns", "keyPrefix", "fallbackLng", "returnObjects", "returnDetails", "joinArrays", "postProcess", "interpolation", "skipInterpolation", "replace"]);
const MARK = "\u0001";

/**
 * `t` for one batch of emails that repeat the same lines (an area's digests): it remembers what
 * it said, and for a line whose options only fill in text ("Due {{date}}.", "{{reference}}: not
 * started") it asks i18next once per key for the line with a marker in each place, then fills the
 * values in itself. i18next copies its options and interpolates afresh on every call, about 20 µs,
 * and a digest asks for some 25 lines with options and up to 150 dated action lines
 * (docs/performance.md, finding 26). Lines with a count (plurals) or another choosing option are
 * remembered by their whole options. Make one per batch, never one for the process: the texts can
 * carry case references.
 */
export function rememberingT(t: MailT): MailT {
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

/** An absolute link into the app; pages behind it ask for sign-in first. */
export function appLink(areaCode: string, rest = ""): string {
  return `${getEnv().APP_URL}/areas/${areaCode.toLowerCase()}${rest}`;
}

export type AgencyContent = Omit<AgencyUpdateEmailProps, "lang" | "footer">;

export interface RenderedAgencyEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  accredited: boolean;
}

/**
 * The email an agency's address may receive (DESIGN.md section 7): the full
 * content to an address on the area's accredited-domain list; otherwise only a
 * notice with a sign-in link and no case information. Subjects never carry
 * personal data.
 */
export async function renderAgencyEmail(options: {
  area: Pick<Area, "code" | "secureDomains">;
  agency: { name: string; secureEmail: string };
  subject: string;
  content: () => AgencyContent;
  /** Where the notice's sign-in link goes. */
  noticeLink: string;
  lang?: Language;
}): Promise<RenderedAgencyEmail> {
  const lang = options.lang ?? "en";
  const t = mailT(lang);
  const accredited = isAccreditedAddress(options.agency.secureEmail, options.area.secureDomains);
  const props: AgencyUpdateEmailProps = accredited
    ? { lang, footer: t("footer.secure"), ...options.content() }
    : {
        lang,
        preview: t("notice.preview"),
        heading: t("notice.heading"),
        intro: [t("notice.intro", { agency: options.agency.name }), t("notice.why")],
        sections: [],
        button: { text: t("notice.button"), href: options.noticeLink },
        footer: t("footer.notice"),
      };
  const html = await renderEmailHtml(createElement(AgencyUpdateEmail, props));
  const text = agencyUpdateText(props);
  return { to: options.agency.secureEmail, subject: options.subject, html, text, accredited };
}

/** Render and queue an agency email in the caller's transaction. Null when the agency has no secure address or it was queued before. */
export async function queueAgencyEmail(
  tx: Db,
  options: Parameters<typeof renderAgencyEmail>[0] & { areaId: string; kind: OutboxKind; idempotencyKey: string; refId?: string | null },
): Promise<QueuedRow | null> {
  if (!options.agency.secureEmail) return null;
  const email = await renderAgencyEmail(options);
  return queueEmail(tx, { ...email, kind: options.kind, idempotencyKey: options.idempotencyKey, areaId: options.areaId, refId: options.refId });
}
