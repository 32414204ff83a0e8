import { render } from "@react-email/render";
import type { ReactElement } from "react";

// Headings keep their case in the plain-text version (html-to-text shouts them by default).
const headings = ["h1", "h2", "h3"].map((selector) => ({ selector, options: { uppercase: false } }));

/** The HTML of one email template (when the caller builds its own plain text). */
export function renderEmailHtml(element: ReactElement): Promise<string> {
  return render(element);
}

/** HTML and plain-text versions of one email template. */
export async function renderEmail(element: ReactElement): Promise<{ html: string; text: string }> {
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true, htmlToTextOptions: { selectors: headings } })]);
  return { html, text };
}
