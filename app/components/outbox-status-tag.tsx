import { useTranslation } from "react-i18next";
import type { OutboxStatus } from "#db/schema/mail";
import { Tag } from "~/components/layout";

const COLOURS: Record<OutboxStatus, "grey" | "blue" | "green" | "red"> = { queued: "grey", sending: "blue", sent: "green", failed: "red" };

/** An email's delivery state, as a GOV.UK tag. */
export function OutboxStatusTag({ status }: { status: OutboxStatus }) {
  const { t } = useTranslation("mail");
  return <Tag colour={COLOURS[status]}>{t(`outbox.statuses.${status}`)}</Tag>;
}
