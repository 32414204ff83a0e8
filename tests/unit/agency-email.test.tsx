import { Link, Text } from "@react-email/components";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AgencyUpdateEmail } from "#emails/agency-update";

describe("an agency email's list items", () => {
  it("are written exactly as react-email's Text and Link write them, escaped, with and without a link", () => {
    const items = [
      { text: "LLF-2026-0007 (J.S.) Check bail & curfew <today>. Due Friday 4 December 2026.", href: "http://x/areas/llf/actions/1?a=1&b=2", linkText: "Update this action" },
      { text: "Research returns due by Wednesday 2 December 2026" },
      { text: "A link with no text of its own", href: "http://x/areas/llf/actions" },
    ];
    const html = renderToStaticMarkup(<AgencyUpdateEmail lang="en" preview="p" heading="h" intro={[]} sections={[{ heading: "Section", items }]} footer="f" />);
    const expected = items.map((item) =>
      renderToStaticMarkup(
        <Text style={{ margin: "0 0 8px" }}>
          {"• "}
          {item.text}
          {item.href ? (
            <>
              {" "}
              <Link href={item.href}>{item.linkText ?? item.href}</Link>
            </>
          ) : null}
        </Text>,
      ),
    );
    for (const item of expected) expect(html).toContain(item);
    expect(html).toContain("Check bail &amp; curfew &lt;today&gt;.");
    expect(expected[2]).toContain(">http://x/areas/llf/actions</a>");
  });
});
