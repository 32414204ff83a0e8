import { getDocument, VerbosityLevel } from "pdfjs-dist/legacy/build/pdf.mjs";

/** The text of each page of a PDF (opened with the password when given). */
export async function extractPdfPages(data: Uint8Array | Buffer, password?: string): Promise<string[]> {
  const pdf = await getDocument({ data: new Uint8Array(data), password, verbosity: VerbosityLevel.ERRORS, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" ").replace(/\s+/g, " "));
  }
  await pdf.destroy();
  return pages;
}
