import { z } from "zod";
import { contactMethods, contactOutcomes, contactPhases } from "#db/schema/preparation";
import { noMarkup, required, text } from "~/lib/validation";

export const NOTES_MAX = 2000;
export const VIEWS_MAX = 5000;

const isRealDate = (v: string) => {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
};

/** "Log a contact attempt": date and time are London local time. */
export const ContactSchema = z.object({
  intent: z.literal("log", required("errors.invalid")),
  date: z
    .string(required("contact:errors.dateRequired"))
    .trim()
    .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && isRealDate(v), "contact:errors.dateInvalid"),
  time: z
    .string(required("contact:errors.timeRequired"))
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "contact:errors.timeInvalid"),
  method: z.enum(contactMethods, { errorMap: () => ({ message: "contact:errors.methodRequired" }) }),
  outcome: z.enum(contactOutcomes, { errorMap: () => ({ message: "contact:errors.outcomeRequired" }) }),
  phase: z.enum(contactPhases, { errorMap: () => ({ message: "contact:errors.phaseRequired" }) }),
  notes: noMarkup(z.string().trim().max(NOTES_MAX, `errors.tooLong|${JSON.stringify({ max: NOTES_MAX })}`)).optional().default(""),
  feedbackGiven: z.boolean(required("errors.invalid")).optional().default(false),
});

/** "Victim's views and wishes for the meeting"; the version is absent until views are first saved. */
export const ViewsSchema = z.object({
  intent: z.literal("views", required("errors.invalid")),
  version: z.coerce.number(required("errors.invalid")).int("errors.invalid").min(1, "errors.invalid").optional(),
  views: noMarkup(text({ max: VIEWS_MAX, requiredKey: "contact:errors.viewsRequired" })),
});
