import { z } from "zod";
import { parseDob } from "~/lib/person-matching";
import { required } from "~/lib/validation";

export const TEXT_MAX = 5000;
export const FACT_MAX = 2000;
/** Blank fact rows offered after the existing ones ("add another" without JavaScript). */
export const BLANK_FACT_ROWS = 5;

const tooLong = (max: number) => `errors.tooLong|${JSON.stringify({ max })}`;
const plain = (max: number) =>
  z
    .string()
    .trim()
    .max(max, tooLong(max))
    .refine((v) => !/[<>]/.test(v), "errors.noMarkup")
    .optional()
    .transform((v) => v ?? "");

const fact = z
  .object({ date: z.string().trim().max(20, "preparation:research.errors.factDate").optional(), text: plain(FACT_MAX) })
  .optional();

/** Dated facts: empty rows are ignored; dates in ISO or UK formats. */
const facts = z
  .array(fact)
  .max(100, tooLong(100))
  .optional()
  .superRefine((rows, ctx) => {
    (rows ?? []).forEach((row, i) => {
      if (!row || (!row.date && !row.text)) return;
      if (!row.date || !parseDob(row.date)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, "date"], message: "preparation:research.errors.factDate" });
      if (!row.text) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, "text"], message: "preparation:research.errors.factText" });
    });
  })
  .transform((rows) =>
    (rows ?? []).flatMap((row) => (row && row.date && row.text ? [{ date: parseDob(row.date) ?? row.date, text: row.text }] : [])),
  );

export const ResearchSchema = z.object({
  intent: z.enum(["draft", "submit", "nothing_held"], { errorMap: () => ({ message: "errors.invalid" }) }),
  version: z.coerce.number(required("errors.invalid")).int("errors.invalid").min(1, "errors.invalid").optional(),
  facts,
  opinion: plain(TEXT_MAX),
  actionsInPlace: plain(TEXT_MAX),
  suggestedActions: plain(TEXT_MAX),
  withheld: plain(TEXT_MAX),
  withheldReason: plain(TEXT_MAX),
});
