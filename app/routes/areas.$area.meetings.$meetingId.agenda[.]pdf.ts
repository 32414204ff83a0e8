import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { parseWithZod } from "@conform-to/zod";
import { createI18n, languageFromRequest } from "~/i18n/config";
import { formatLongDate, utcToLondon } from "~/lib/london-time";
import { withAppErrors } from "~/models/errors.server";
import { getAgenda } from "~/models/meetings.server";
import { renderAgendaPdf } from "~/pdf/agenda.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { PdfPasswordSchema } from "./areas.$area.meetings.$meetingId._index/schema";

/** The case list as a PDF, for anyone who may see the agenda (getAgenda checks and audits the read). */
async function agendaPdf(request: Request, params: LoaderFunctionArgs["params"], password?: string) {
  const ctx = await requirePermission(request, "list:read", { area: params.area });
  const language = languageFromRequest(request);
  const { meeting, agenda, chairName, area } = await getAgenda({ actor: ctx, meetingId: params.meetingId ?? "" });
  const { date, time } = utcToLondon(meeting.startsAt);
  const pdf = await renderAgendaPdf(
    {
      areaName: area.name,
      meetingDate: formatLongDate(date, language),
      meetingTime: time,
      venue: meeting.venue,
      chairName,
      confidentialityStatement: area.confidentialityStatement,
      agenda,
      password,
    },
    createI18n(language).t,
  );
  return new Response(new Uint8Array(pdf), {
    status: 200,
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${area.code}-agenda-${date}.pdf"`,
      "Content-Length": String(pdf.length),
      "Cache-Control": "no-store",
    },
  });
}

export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => agendaPdf(request, params));

/** The same PDF opened with a password (posted, so it never appears in a URL or log). */
export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "list:read", { area: params.area });
  const submission = parseWithZod(await request.clone().formData(), { schema: PdfPasswordSchema });
  if (submission.status !== "success") {
    // A plain form post from the meeting page: send it back there with the error shown.
    return redirect(`${areaPath(ctx.area.code, `/meetings/${params.meetingId ?? ""}`)}?pdfError=password#pdf-password`, 303);
  }
  return agendaPdf(request, params, submission.value.password);
});
