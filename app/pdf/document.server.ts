import PDFDocument from "pdfkit";

export interface PdfOptions {
  title: string;
  /** Protective marking printed at the top and bottom of every page. */
  marking: string;
  /** "Page {{n}} of {{total}}" with the numbers filled in. */
  pageLabel: (n: number, total: number) => string;
  /** When set, the file is encrypted with AES-256 and opening it needs this password. */
  password?: string;
}

const MARGIN = 56;

/**
 * A4 document with the marking and page numbers on every page. `draw` writes
 * the body; the frame is added afterwards over the buffered pages.
 */
export async function renderPdf(options: PdfOptions, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN + 14, bottom: MARGIN + 14, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: options.title, Producer: "Panel", Creator: "Panel" },
    ...(options.password
      ? {
          userPassword: options.password,
          // No owner password is handed out: printing is allowed, changes are not.
          ownerPassword: `${options.password}:owner`,
          pdfVersion: "1.7ext3" as const,
          permissions: { printing: "highResolution" as const, modifying: false, copying: false, annotating: false },
        }
      : {}),
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on("end", () => resolve());
    doc.on("error", reject);
  });
  draw(doc);
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { width, height, margins } = doc.page;
    const bottom = margins.bottom;
    // Drawing inside the margins must not start a new page.
    doc.page.margins.bottom = 0;
    doc.font("Helvetica-Bold").fontSize(10).fillColor("#000000");
    doc.text(options.marking, MARGIN, MARGIN - 20, { width: width - 2 * MARGIN, align: "center", lineBreak: false });
    doc.text(options.marking, MARGIN, height - MARGIN + 6, { width: width - 2 * MARGIN, align: "center", lineBreak: false });
    doc.font("Helvetica").fontSize(9);
    doc.text(options.pageLabel(i - range.start + 1, range.count), MARGIN, height - MARGIN + 20, { width: width - 2 * MARGIN, align: "right", lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  await finished;
  return Buffer.concat(chunks);
}

/** A simple table that starts a new page (repeating the header) when it runs out of room. */
export function drawTable(
  doc: PDFKit.PDFDocument,
  columns: { header: string; width: number; align?: "left" | "right" | "center" }[],
  rows: string[][],
) {
  const left = doc.page.margins.left;
  const totalWidth = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const scale = totalWidth / columns.reduce((s, c) => s + c.width, 0);
  const widths = columns.map((c) => c.width * scale);
  const padding = 3;
  const rowHeight = (cells: string[], bold: boolean) => {
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(9);
    return Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: widths[i] - 2 * padding }))) + 2 * padding;
  };
  const drawRow = (cells: string[], bold: boolean) => {
    const h = rowHeight(cells, bold);
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      if (!bold) drawRow(columns.map((c) => c.header), true);
    }
    const y = doc.y;
    let x = left;
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(9);
    cells.forEach((cell, i) => {
      doc.text(cell, x + padding, y + padding, { width: widths[i] - 2 * padding, align: columns[i].align ?? "left" });
      x += widths[i];
    });
    doc.moveTo(left, y + h).lineTo(left + totalWidth, y + h).lineWidth(bold ? 1 : 0.5).strokeColor("#505a5f").stroke();
    doc.x = left;
    doc.y = y + h;
  };
  drawRow(columns.map((c) => c.header), true);
  for (const r of rows) drawRow(r, false);
  doc.moveDown();
}
