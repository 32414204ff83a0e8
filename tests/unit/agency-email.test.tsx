import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AgencyUpdateEmail } from "#emails/agency-update";
import { EmailLayout, PREVIEW_LENGTH, PreviewText } from "#emails/layout";
import { renderEmail } from "#emails/render.server";

describe("an agency email's list items", () => {
  it("are paragraphs with one margin shorthand and underlined links in GOV.UK's link colour, escaped, with and without a link", () => {
    const items = [
      { text: "LLF-2026-0007 (J.S.) Check bail & curfew <today>. Due Friday 4 December 2026.", href: "http://x/areas/llf/actions/1?a=1&b=2", linkText: "Update this action" },
      { text: "Research returns due by Wednesday 2 December 2026" },
      { text: "A link with no text of its own", href: "http://x/areas/llf/actions" },
    ];
    const html = renderToStaticMarkup(<AgencyUpdateEmail lang="en" preview="p" heading="h" intro={[]} sections={[{ heading: "Section", items }]} footer="f" />);
    const p = '<p style="font-size:14px;line-height:24px;margin:0 0 8px">';
    expect(html).toContain(`${p}• LLF-2026-0007 (J.S.) Check bail &amp; curfew &lt;today&gt;. Due Friday 4 December 2026. <a href="http://x/areas/llf/actions/1?a=1&amp;b=2" style="color:#1d70b8" target="_blank">Update this action</a></p>`);
    expect(html).toContain(`${p}• Research returns due by Wednesday 2 December 2026</p>`);
    expect(html).toContain(`${p}• A link with no text of its own <a href="http://x/areas/llf/actions" style="color:#1d70b8" target="_blank">http://x/areas/llf/actions</a></p>`);
    // No link is styled out of its underline.
    expect(html).not.toContain("text-decoration");
  });

  it("are links whose colour meets WCAG's 4.5:1 for text on the email's white", () => {
    const html = renderToStaticMarkup(
      <AgencyUpdateEmail lang="en" preview="p" heading="h" intro={[]} sections={[{ heading: "S", items: [{ text: "t", href: "http://x/a", linkText: "Update" }] }]} button={{ text: "Sign in", href: "http://x/" }} footer="f" />,
    );
    // Text links, that is: the button is white on its own green.
    const colours = [...html.matchAll(/<a [^>]*style="([^"]*)"/gi)].filter((m) => !m[1].includes("background")).map((m) => m[1].match(/(?:^|;)color:(#[0-9a-f]{6})/i)?.[1]);
    expect(colours.length).toBeGreaterThanOrEqual(2);
    for (const colour of colours) expect(contrastOnWhite(colour ?? "#000000"), colour).toBeGreaterThanOrEqual(4.5);
    expect(colours).not.toContain(undefined);
  });
});

describe("the inbox preview line", () => {
  it("is hidden, padded to 150 characters in all, and left out of the plain text", async () => {
    const preview = "Deadlines and actions for Glenmoor Housing Association";
    const html = renderToStaticMarkup(<PreviewText text={preview} />);
    const hidden = html.match(/^<div style="display:none;overflow:hidden;line-height:1px;opacity:0;max-height:0;max-width:0" data-skip-in-text="true">(.*)<div>(.*)<\/div><\/div>$/);
    expect(hidden?.[1]).toBe(preview);
    expect(hidden?.[2]).toMatch(/^[\u00a0\u200c]+$/);
    expect(preview.length + hidden![2].length).toBe(PREVIEW_LENGTH);
    // react-email's Preview would have padded with about 1.9 KB.
    expect(Buffer.byteLength(html)).toBeLessThan(500);
    const { text } = await renderEmail(<EmailLayout lang="en" preview={preview} heading="Heading" footer="Footer">{null}</EmailLayout>);
    expect(text).not.toContain("Deadlines and actions");
    expect(text).toContain("Heading");
  });

  it("is cut at 150 characters, with no padding", () => {
    const html = renderToStaticMarkup(<PreviewText text={"x".repeat(200)} />);
    expect(html).toContain(`>${"x".repeat(150)}</div>`);
    expect(html).not.toContain("<div><");
    expect(html).not.toContain("\u00a0");
  });
});

/** WCAG 2.2's contrast ratio of a colour against white. */
function contrastOnWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return 1.05 / (luminance + 0.05);
}
