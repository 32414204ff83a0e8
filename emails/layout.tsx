import { Body, Container, Head, Heading, Hr, Html, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";

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
      <Preview>{preview}</Preview>
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
