import type { TFunction } from "i18next";
import type { MinutesForPdf } from "~/models/minutes.server";
import { drawTable, renderPdf } from "./document.server";

const MINUTES_FIELDS = ["infoShared", "risksVictim", "risksChildren", "risksOthers", "risksStaff", "safetyPlanning", "crimesReported", "decisions"] as const;

export interface MinutesPdfInput {
  minutes: MinutesForPdf;
  meetingDate: string;
  meetingTime: string;
  /** Formats an ISO date for the reader's language. */
  formatDate: (iso: string) => string;
}

/**
 * The minutes and action plan: attendance, the confidentiality statement, each case
 * in agenda order with its minutes and actions, then the action plan by agency.
 * Draws only what getMinutesForPdf returned for this reader.
 */
export function renderMinutesPdf(input: MinutesPdfInput, t: TFunction): Promise<Buffer> {
  const { minutes } = input;
  const title = t("actions:pdf.title", { area: minutes.area.name, date: input.meetingDate });
  const heading = (text: string, size = 13) => (doc: PDFKit.PDFDocument) => {
    doc.moveDown(0.5);
    doc.font("Helvetica-Bold").fontSize(size).text(text);
    doc.font("Helvetica").fontSize(10);
  };
  return renderPdf(
    {
      title,
      marking: t("common:officialSensitive"),
      pageLabel: (n, total) => t("actions:pdf.page", { n, total }),
    },
    (doc) => {
      doc.font("Helvetica-Bold").fontSize(16).text(title);
      doc.moveDown(0.5);
      doc.font("Helvetica").fontSize(10);
      doc.text(`${t("meetings:pdf.when")}: ${input.meetingDate} ${input.meetingTime}`);
      doc.text(`${t("meetings:pdf.venue")}: ${minutes.meeting.venue || t("actions:pdf.notSet")}`);
      doc.text(`${t("meetings:pdf.chair")}: ${minutes.chairName ?? t("actions:pdf.notSet")}`);
      if (!minutes.full && minutes.agencyName) {
        doc.moveDown(0.5);
        doc.font("Helvetica-Oblique").text(t("actions:pdf.agencyVersion", { agency: minutes.agencyName }));
        doc.font("Helvetica");
      }

      heading(t("actions:pdf.attendanceTitle"))(doc);
      const groups: [string, typeof minutes.attendance][] = [
        [t("actions:pdf.present"), minutes.attendance.filter((a) => !a.observer && a.status === "present")],
        [t("actions:pdf.apologies"), minutes.attendance.filter((a) => !a.observer && a.status === "apologies")],
        [t("actions:pdf.absent"), minutes.attendance.filter((a) => !a.observer && a.status === "absent")],
        [t("actions:pdf.observers"), minutes.attendance.filter((a) => a.observer)],
      ];
      for (const [label, people] of groups) {
        doc.font("Helvetica-Bold").text(label);
        doc.font("Helvetica");
        if (people.length === 0) doc.text(t("actions:pdf.none"), { indent: 12 });
        for (const p of people) {
          const who = p.observer ? `${p.personName} (${p.observerOrganisation})` : [p.agency ?? "", p.personName].filter(Boolean).join(": ");
          doc.text(`${who}${p.status === "apologies" && p.infoSent ? ` (${t("actions:pdf.infoSent")})` : ""}`, { indent: 12 });
        }
      }

      heading(t("actions:pdf.confidentiality"))(doc);
      doc.text(minutes.area.confidentialityStatement || t("actions:pdf.notSet"));

      heading(t("actions:pdf.casesTitle"), 14)(doc);
      minutes.cases.forEach((c, i) => {
        heading(t("actions:pdf.caseHeading", { n: i + 1, reference: c.reference, initials: c.initials }), 12)(doc);
        const facts = [c.isRepeat ? t("actions:pdf.repeat") : null, c.outcome ? `${t("actions:pdf.outcome")}: ${t(`actions:pdf.outcomes.${c.outcome}`)}` : null].filter(Boolean);
        if (facts.length) doc.text(facts.join(" · "));
        for (const field of MINUTES_FIELDS) {
          const value = c.minutes[field].trim();
          if (!value) continue;
          doc.font("Helvetica-Bold").text(t(`actions:pdf.minutes.${field}`));
          doc.font("Helvetica").text(value);
        }
        if (c.restricted) {
          const r = c.restricted;
          const lines = [
            r.safeNumber ? `${t("actions:pdf.safeNumber")}: ${r.safeNumber}` : null,
            r.safeTimes ? `${t("actions:pdf.safeTimes")}: ${r.safeTimes}` : null,
            r.noMessages ? t("actions:pdf.noMessages") : null,
            r.mustNotKnow ? `${t("actions:pdf.mustNotKnow")}: ${r.mustNotKnow}` : null,
            r.confidentialAddress ? `${t("actions:pdf.confidentialAddress")}: ${r.confidentialAddress}` : null,
          ].filter((l): l is string => l !== null);
          if (lines.length) {
            doc.moveDown(0.3);
            doc.font("Helvetica-Bold").text(t("actions:pdf.restrictedTitle"));
            doc.font("Helvetica");
            for (const l of lines) doc.text(l, { indent: 12 });
          }
        }
        doc.moveDown(0.3);
        doc.font("Helvetica-Bold").text(t("actions:pdf.caseActions"));
        doc.font("Helvetica");
        if (c.actions.length === 0) doc.text(t("actions:pdf.noActions"), { indent: 12 });
        for (const a of c.actions) doc.text(`${a.agency}: ${a.description} (${t("actions:columns.due")} ${input.formatDate(a.dueOn)})`, { indent: 12 });
      });

      doc.addPage();
      doc.font("Helvetica-Bold").fontSize(14).text(t("actions:pdf.planTitle"));
      doc.moveDown(0.5);
      const reference = new Map(minutes.cases.map((c) => [c.meetingCaseId, c.reference]));
      const agencies = [...new Set(minutes.plan.map((a) => a.agency))];
      if (agencies.length === 0) doc.font("Helvetica").fontSize(10).text(t("actions:pdf.noActions"));
      for (const agency of agencies) {
        doc.font("Helvetica-Bold").fontSize(12).text(agency);
        doc.moveDown(0.3);
        drawTable(
          doc,
          [
            { header: t("actions:columns.reference"), width: 18 },
            { header: t("actions:columns.description"), width: 40 },
            { header: t("actions:columns.owner"), width: 14 },
            { header: t("actions:columns.due"), width: 14 },
            { header: t("actions:columns.priority"), width: 10 },
          ],
          minutes.plan
            .filter((a) => a.agency === agency)
            .map((a) => [reference.get(a.meetingCaseId) ?? "", a.description, a.ownerName, input.formatDate(a.dueOn), t(`actions:priorities.${a.priority}`)]),
        );
      }
    },
  );
}
