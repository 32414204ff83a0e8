import { Button, Link, Text } from "@react-email/components";
import { EmailLayout } from "./layout";

export interface InvitationEmailProps {
  lang: string;
  link: string;
  strings: {
    preview: string;
    heading: string;
    intro: string;
    button: string;
    expiry: string;
    ignore: string;
    footer: string;
  };
}

/**
 * An invitation to join a panel. It carries only the link: the panel, role and
 * names are shown on the page the link opens, after the token is checked.
 */
export function InvitationEmail({ lang, link, strings }: InvitationEmailProps) {
  return (
    <EmailLayout lang={lang} preview={strings.preview} heading={strings.heading} footer={strings.footer}>
      <Text>{strings.intro}</Text>
      <Button href={link} style={{ backgroundColor: "#00703c", color: "#ffffff", padding: "10px 16px", fontWeight: 700 }}>
        {strings.button}
      </Button>
      <Text>
        <Link href={link}>{link}</Link>
      </Text>
      <Text>{strings.expiry}</Text>
      <Text>{strings.ignore}</Text>
    </EmailLayout>
  );
}

InvitationEmail.PreviewProps = {
  lang: "en",
  link: "http://127.0.0.1:3000/invitations/exampletoken",
  strings: {
    preview: "You have been invited to Panel",
    heading: "You have been invited to Panel",
    intro: "A panel administrator has invited you to join a multi-agency panel in Panel.",
    button: "Accept the invitation",
    expiry: "The link works once and expires in 7 days.",
    ignore: "If you did not expect this email, you can ignore it.",
    footer: "Panel sends this email automatically. Do not reply to it.",
  },
} satisfies InvitationEmailProps;
