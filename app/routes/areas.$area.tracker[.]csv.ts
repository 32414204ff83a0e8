import type { LoaderFunctionArgs } from "@remix-run/node";
import { createI18n, languageFromRequest } from "~/i18n/config";
import { todayInLondon } from "~/lib/london-time";
import { actionsToCsv, listActions } from "~/models/actions.server";
import { withAppErrors } from "~/models/errors.server";
import { requirePermission } from "~/policy/index.server";
import { CSV_COLUMNS, trackerFilterFromUrl } from "./areas.$area.tracker._index/filters";

/** The tracker's actions as CSV, with the same filters as the page (case references, never names). */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "action:track", { area: params.area });
  const { t } = createI18n(languageFromRequest(request));
  const { rows } = await listActions({ actor: ctx, filter: trackerFilterFromUrl(new URL(request.url)), counts: false });
  const csv = actionsToCsv(
    rows,
    CSV_COLUMNS.map((c) => t(`actions:csv.${c}`)),
  );
  return new Response(csv, {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${ctx.area.code}-actions-${todayInLondon()}.csv"`,
      "Cache-Control": "no-store",
    },
  });
});
