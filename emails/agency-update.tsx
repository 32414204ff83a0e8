import { Button, Heading, Link, Section, Text } from "@react-email/components";
import { EmailLayout } from "./layout";

export interface UpdateItem {
  text: string;
  /** A link into the app; it asks for sign-in first. */
  href?: string;
  linkText?: string;
}

export interface UpdateSection {
  heading: string;
  items: UpdateItem[];
}

export interface AgencyUpdateEmailProps {
  lang: string;
  preview: string;
  heading: string;
  /** Opening paragraphs. */
  intro: string[];
  sections: UpdateSection[];
  button?: { text: string; href: string };
  footer: string;
}

// A digest lists up to 150 items. Each is a paragraph with its styles worked out once rather than per
// item (react-email's Text recomputes its margins on every render: docs/performance.md, finding 20),
// and written once: the margin as one shorthand, which every email client reads, where Text adds the
// four longhands after it (finding 48).
const ITEM_STYLE = { fontSize: "14px", lineHeight: "24px", margin: "0 0 8px" } as const;
// Links in GOV.UK's link colour (5.1:1 on white) and underlined, as links are unless told otherwise:
// react-email's Link is #067df7 (4.0:1, below WCAG's 4.5:1 for text this size) with no underline.
const LINK_STYLE = { color: "#1d70b8" } as const;

/**
 * An email to an agency's secure address: the fortnightly digest, a reminder or
 * a workflow notice. Templates never query: the caller decides what may be said
 * to this recipient (DESIGN.md section 7) and passes the finished strings.
 */
export function AgencyUpdateEmail({ lang, preview, heading, intro, sections, button, footer }: AgencyUpdateEmailProps) {
  return (
    <EmailLayout lang={lang} preview={preview} heading={heading} footer={footer}>
      {intro.map((line) => (
        <Text key={line}>{line}</Text>
      ))}
      {sections.map((section) => (
        <Section key={section.heading}>
          <Heading as="h2" style={{ fontSize: "19px", marginTop: "24px" }}>
            {section.heading}
          </Heading>
          {section.items.map((item, i) => (
            <p key={`${i}-${item.text}`} style={ITEM_STYLE}>
              {"• "}
              {item.text}
              {item.href ? (
                <>
                  {" "}
                  <a href={item.href} style={LINK_STYLE} target="_blank">
                    {item.linkText ?? item.href}
                  </a>
                </>
              ) : null}
            </p>
          ))}
        </Section>
      ))}
      {button ? (
        <Section style={{ marginTop: "24px" }}>
          <Button href={button.href} style={{ backgroundColor: "#00703c", color: "#ffffff", padding: "10px 16px", fontWeight: 700 }}>
            {button.text}
          </Button>
          <Text>
            <Link href={button.href} style={LINK_STYLE}>
              {button.href}
            </Link>
          </Text>
        </Section>
      ) : null}
    </EmailLayout>
  );
}

/**
 * The plain-text version of the same email, built from the same props. Deriving
 * it from the HTML (html-to-text) cost about 7 ms a message, twice the HTML itself.
 */
export function agencyUpdateText({ heading, intro, sections, button, footer }: AgencyUpdateEmailProps): string {
  const lines = ["Panel", "", heading, "", ...intro.flatMap((line) => [line, ""])];
  for (const section of sections) {
    lines.push(section.heading, "");
    for (const item of section.items) lines.push(`• ${item.text}${item.href ? `\n  ${item.linkText ? `${item.linkText}: ` : ""}${item.href}` : ""}`);
    lines.push("");
  }
  if (button) lines.push(`${button.text}: ${button.href}`, "");
  lines.push("----------------------------------------", "", footer);
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trim()}\n`;
}

AgencyUpdateEmail.PreviewProps = {
  lang: "en",
  preview: "Your Panel update before the meeting on Thursday 3 December 2026",
  heading: "Panel update for Police",
  intro: ["The next meeting is on Thursday 3 December 2026. 16 cases are on the list; your agency referred 4."],
  sections: [
    { heading: "Your deadlines", items: [{ text: "Research returns due by Wednesday 2 December 2026" }] },
    {
      heading: "Overdue actions (1)",
      items: [{ text: "LLF-2026-0007 (J.S.): Complete a welfare check. Due 20 November 2026.", href: "http://127.0.0.1:3000/areas/llf/actions/1", linkText: "Update this action" }],
    },
  ],
  button: { text: "Sign in to Panel", href: "http://127.0.0.1:3000/areas/llf" },
  footer: "Panel sends this email automatically to your agency's secure address. Do not reply to it.",
} satisfies AgencyUpdateEmailProps;
