import type { TFunction } from "i18next";
import type { AgendaRow } from "~/models/meetings.server";
import { drawTable, renderPdf } from "./document.server";

export interface AgendaPdfInput {
  areaName: string;
  meetingDate: string;
  meetingTime: string;
  venue: string;
  chairName: string | null;
  confidentialityStatement: string;
  agenda: AgendaRow[];
  password?: string;
}

/** The circulated case list: numbered cases by reference and initials only, with time slots. */
export function renderAgendaPdf(input: AgendaPdfInput, t: TFunction): Promise<Buffer> {
  const title = t("meetings:pdf.agendaTitle", { area: input.areaName, date: input.meetingDate });
  return renderPdf(
    {
      title,
      marking: t("common:officialSensitive"),
      pageLabel: (n, total) => t("meetings:pdf.page", { n, total }),
      password: input.password,
    },
    (doc) => {
      doc.font("Helvetica-Bold").fontSize(16).text(title);
      doc.moveDown(0.5);
      doc.font("Helvetica").fontSize(10);
      doc.text(`${t("meetings:pdf.when")}: ${input.meetingDate} ${input.meetingTime}`);
      doc.text(`${t("meetings:pdf.venue")}: ${input.venue || t("meetings:pdf.notSet")}`);
      doc.text(`${t("meetings:pdf.chair")}: ${input.chairName ?? t("meetings:pdf.notSet")}`);
      doc.moveDown();
      doc.font("Helvetica-Bold").fontSize(11).text(t("meetings:pdf.confidentiality"));
      doc.font("Helvetica").fontSize(10).text(input.confidentialityStatement || t("meetings:pdf.notSet"));
      doc.moveDown();
      drawTable(
        doc,
        [
          { header: t("meetings:pdf.columns.number"), width: 5, align: "right" },
          { header: t("meetings:pdf.columns.time"), width: 8 },
          { header: t("meetings:pdf.columns.reference"), width: 18 },
          { header: t("meetings:pdf.columns.initials"), width: 9 },
          { header: t("meetings:pdf.columns.repeat"), width: 8 },
          { header: t("meetings:pdf.columns.risk"), width: 9 },
          { header: t("meetings:pdf.columns.agency"), width: 30 },
          { header: t("meetings:pdf.columns.minutes"), width: 8, align: "right" },
        ],
        input.agenda.map((row, i) => [
          String(i + 1),
          row.startsAt,
          row.reference,
          row.victimInitials,
          row.isRepeat ? t("meetings:pdf.repeatYes") : "",
          row.riskLevel ? t(`cases:dash.bands.${row.riskLevel}`) : "",
          row.referringAgency,
          String(row.plannedMinutes),
        ]),
      );
      if (input.agenda.length === 0) doc.font("Helvetica").fontSize(10).text(t("meetings:pdf.noCases"));
    },
  );
}
