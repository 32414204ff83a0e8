import PDFDocument from "pdfkit";

/** One piece of text a PDF wrote, with its font and size. */
export interface PdfText {
  font: string;
  size: number;
  text: string;
}

/**
 * Record every `text()` call pdfkit receives while `run` makes a document. The
 * app's build keeps pdfkit external, so its documents use this same class.
 */
export async function recordPdfText(run: () => Promise<unknown>): Promise<PdfText[]> {
  const proto = PDFDocument.prototype as unknown as { text: (...args: unknown[]) => unknown };
  const original = proto.text;
  const texts: PdfText[] = [];
  proto.text = function (this: { _font?: { name?: string }; _fontSize?: number }, ...args: unknown[]) {
    if (typeof args[0] === "string" || typeof args[0] === "number") texts.push({ font: this._font?.name ?? "Helvetica", size: this._fontSize ?? 12, text: String(args[0]) });
    return original.apply(this, args);
  };
  try {
    await run();
  } finally {
    proto.text = original;
  }
  return texts;
}

/** The floor: pdfkit writing the same text in the same fonts on A4, with no data access and no layout of our own. */
export function writePlainPdf(texts: PdfText[]): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", margin: 56 });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  for (const t of texts) doc.font(t.font).fontSize(t.size).text(t.text);
  doc.end();
  return done;
}
