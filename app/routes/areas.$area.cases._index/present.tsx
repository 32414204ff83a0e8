import { useTranslation } from "react-i18next";
import { Tag } from "~/components/layout";

const COLOUR = { none: "red", attempted: "yellow", spoke: "green" } as const;

/** The IDVA's contact with the victim before the meeting, as a tag. */
export function ContactTag({ state }: { state: keyof typeof COLOUR }) {
  const { t } = useTranslation("contact");
  return <Tag colour={COLOUR[state]}>{t(`contactStates.${state}`)}</Tag>;
}
