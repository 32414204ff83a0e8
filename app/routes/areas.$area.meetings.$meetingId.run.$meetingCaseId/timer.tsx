import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

/**
 * Counts up from when the page was opened. Progressive enhancement: without
 * JavaScript nothing is shown, and the server-rendered planned minutes and start
 * time remain.
 */
export function CaseTimer({ since, plannedMinutes }: { since: number; plannedMinutes: number }) {
  const { t } = useTranslation("meetingRoom");
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const handle = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(handle);
  }, []);
  if (now === null) return null;
  const minutes = Math.max(0, Math.floor((now - since) / 60_000));
  return (
    <p className={`govuk-body${minutes > plannedMinutes ? " govuk-!-font-weight-bold" : ""}`} role="timer" aria-live="off">
      {minutes > plannedMinutes ? t("timer.over", { minutes, planned: plannedMinutes }) : t("timer.elapsed", { minutes, planned: plannedMinutes })}
    </p>
  );
}
