import type { LoaderFunctionArgs } from "@remix-run/node";
import { createI18n, languageFromRequest } from "~/i18n/config";
import { formatLongDate, utcToLondon } from "~/lib/london-time";
import { withAppErrors } from "~/models/errors.server";
import { getMinutesForPdf } from "~/models/minutes.server";
import { renderMinutesPdf } from "~/pdf/minutes.server";
import { requirePermission } from "~/policy/index.server";

/**
 * The minutes and action plan of a held meeting: the full version for the coordinator
 * and chair, the agency version for everyone else who may read minutes
 * (getMinutesForPdf filters, checks and audits).
 */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "minutes:read", { area: params.area });
  const language = languageFromRequest(request);
  const minutes = await getMinutesForPdf({ actor: ctx, meetingId: params.meetingId ?? "" });
  const { date, time } = utcToLondon(minutes.meeting.startsAt);
  const pdf = await renderMinutesPdf(
    { minutes, meetingDate: formatLongDate(date, language), meetingTime: time, formatDate: (iso) => formatLongDate(iso, language) },
    createI18n(language).t,
  );
  return new Response(new Uint8Array(pdf), {
    status: 200,
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${minutes.area.code}-minutes-${date}.pdf"`,
      "Content-Length": String(pdf.length),
      "Cache-Control": "no-store",
    },
  });
});
