import { Button, Link, Text } from "@react-email/components";
import { EmailLayout } from "./layout";

export interface PasswordResetEmailProps {
  lang: string;
  url: string;
  strings: {
    preview: string;
    heading: string;
    greeting: string;
    intro: string;
    linkText: string;
    expiry: string;
    ignore: string;
    footer: string;
  };
}

/** The emailed reset link. Carries the greeting name and nothing else personal. */
export function PasswordResetEmail({ lang, url, strings }: PasswordResetEmailProps) {
  return (
    <EmailLayout lang={lang} preview={strings.preview} heading={strings.heading} footer={strings.footer}>
      <Text>{strings.greeting}</Text>
      <Text>{strings.intro}</Text>
      <Button href={url} style={{ backgroundColor: "#00703c", color: "#ffffff", padding: "10px 16px", fontWeight: 700 }}>
        {strings.linkText}
      </Button>
      <Text>
        <Link href={url}>{url}</Link>
      </Text>
      <Text>{strings.expiry}</Text>
      <Text>{strings.ignore}</Text>
    </EmailLayout>
  );
}

PasswordResetEmail.PreviewProps = {
  lang: "en",
  url: "https://panel.example/password/reset/abcdefghijklmnopqrstuvwxyz234567",
  strings: {
    preview: "Reset your Panel password",
    heading: "Reset your password",
    greeting: "Hello Alex Admin,",
    intro: "Someone asked to reset the password for your Panel account. Use this link to choose a new one:",
    linkText: "Choose a new password",
    expiry: "The link works once, for 1 hour.",
    ignore: "If you did not ask for this, you can ignore this email: your password has not changed.",
    footer: "This email was sent by Panel. Do not reply to it.",
  },
} satisfies PasswordResetEmailProps;
