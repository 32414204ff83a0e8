import { Body, Container, Head, Heading, Hr, Html, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";

/** How many characters of the email an inbox list is given before the body: the preview text, then padding. */
export const PREVIEW_LENGTH = 150;
const PREVIEW_STYLE = { display: "none", overflow: "hidden", lineHeight: "1px", opacity: 0, maxHeight: 0, maxWidth: 0 } as const;

/**
 * The line an inbox list shows beside the subject, hidden in the email itself and left out of its
 * plain text (`data-skip-in-text`). It is padded to PREVIEW_LENGTH characters with no-break spaces and
 * zero-width non-joiners, so the list does not run on into the body. react-email's Preview means to
 * do the same, but repeats its seven padding characters once for every character it pads: about
 * 1.9 KB of UTF-8 (5.6 KB quoted-printable) in every email, where this is at most 300 bytes (finding 48).
 */
export function PreviewText({ text }: { text: string }) {
  const shown = text.slice(0, PREVIEW_LENGTH);
  const padding = "\u00a0\u200c".repeat(PREVIEW_LENGTH).slice(0, PREVIEW_LENGTH - shown.length);
  return (
    <div style={PREVIEW_STYLE} data-skip-in-text="true">
      {shown}
      {padding ? <div>{padding}</div> : null}
    </div>
  );
}

/** Shared frame for every Panel email: no images, no tracking, plain structure. */
export function EmailLayout({
  lang,
  preview,
  heading,
  footer,
  children,
}: {
  lang: string;
  preview: string;
  heading: string;
  footer: string;
  children: ReactNode;
}) {
  return (
    <Html lang={lang}>
      <Head />
      <PreviewText text={preview} />
      <Body style={{ fontFamily: "Arial, sans-serif", color: "#0b0c0c", backgroundColor: "#ffffff" }}>
        <Container style={{ maxWidth: "600px", padding: "16px" }}>
          <Text style={{ fontWeight: 700, fontSize: "20px", margin: 0 }}>Panel</Text>
          <Heading as="h1" style={{ fontSize: "24px" }}>
            {heading}
          </Heading>
          <Section>{children}</Section>
          <Hr />
          <Text style={{ fontSize: "14px", color: "#505a5f" }}>{footer}</Text>
        </Container>
      </Body>
    </Html>
  );
}
