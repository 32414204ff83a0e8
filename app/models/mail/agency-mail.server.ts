import { createElement } from "react";
import type { Db } from "#db/client";
import type { Area, OutboxKind } from "#db/schema";
import { AgencyUpdateEmail, agencyUpdateText, type AgencyUpdateEmailProps } from "#emails/agency-update";
import { renderEmailHtml } from "#emails/render.server";
import { getEnv } from "~/env.server";
import { createI18n, type Language } from "~/i18n/config";
import type { PlainT } from "~/i18n/remembering-t";
import { isAccreditedAddress } from "~/lib/secure-domains";
import { queueEmail, type QueuedRow } from "../outbox.server";

/** What an email's text is asked of: i18next's `t` for the mail namespace. */
export type MailT = PlainT;

export function mailT(lang: Language = "en"): MailT {
  return createI18n(lang).getFixedT(lang, "mail") as MailT;
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
