import { describe, expect, it } from "vitest";
import { createI18n } from "~/i18n/config";
import type { AgendaRow } from "~/models/meetings.server";
import { renderAgendaPdf } from "~/pdf/agenda.server";
import { extractPdfPages } from "../support/pdf";

const t = createI18n("en").t;

function rows(n: number): AgendaRow[] {
  return Array.from({ length: n }, (_, i) => ({
    meetingCaseId: `mc${i}`,
    caseId: `c${i}`,
    reference: `LLF-2026-${String(i + 1).padStart(4, "0")}`,
    victimInitials: "J.S.",
    isRepeat: i % 3 === 0,
    riskLevel: "high",
    dashScore: 15,
    referringAgency: "Llanfair Police",
    position: i + 1,
    plannedMinutes: 12,
    startsAt: "10:00",
    version: 1,
    carried: false,
  }));
}

const input = {
  areaName: "Llanfair MARAC",
  meetingDate: "2026-12-03",
  meetingTime: "10:00",
  venue: "Conference Room 2",
  chairName: "DI Dafydd Chair",
  confidentialityStatement: "Information shared at this meeting is confidential.",
};

describe("agenda PDF", () => {
  it("lists the meeting details and every case by reference, with the marking and page numbers on every page", async () => {
    const pdf = await renderAgendaPdf({ ...input, agenda: rows(40) }, t);
    const pages = await extractPdfPages(pdf);
    expect(pages.length).toBeGreaterThan(1);
    const all = pages.join("\n");
    expect(all).toContain("Llanfair MARAC: case list for 2026-12-03");
    expect(all).toContain("Conference Room 2");
    expect(all).toContain("DI Dafydd Chair");
    expect(all).toContain("Information shared at this meeting is confidential.");
    for (let i = 1; i <= 40; i++) expect(all).toContain(`LLF-2026-${String(i).padStart(4, "0")}`);
    pages.forEach((page, i) => {
      expect(page.match(/OFFICIAL-SENSITIVE/g)?.length).toBe(2);
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
    });
  });

  it("is AES-256 encrypted when a password is given and opens only with it", async () => {
    const pdf = await renderAgendaPdf({ ...input, agenda: rows(3), password: "correct horse" }, t);
    await expect(extractPdfPages(pdf)).rejects.toThrow(/password/i);
    await expect(extractPdfPages(pdf, "wrong")).rejects.toThrow(/password/i);
    const pages = await extractPdfPages(pdf, "correct horse");
    expect(pages.join(" ")).toContain("LLF-2026-0003");
    expect(pdf.subarray(0, 8).toString()).toBe("%PDF-1.7");
  });

  it("says when the list is empty", async () => {
    const pages = await extractPdfPages(await renderAgendaPdf({ ...input, agenda: [] }, t));
    expect(pages.join(" ")).toContain("There are no cases on this list.");
  });
});
