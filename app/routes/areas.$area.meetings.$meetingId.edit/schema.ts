import { z } from "zod";
import { noMarkup, optionalText, required, text, version } from "~/lib/validation";

function isCalendarDate(value: string) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

export const VENUE_MAX = 300;
export const REASON_MAX = 2000;

export const RescheduleSchema = z.object({
  intent: z.literal("reschedule", required("errors.invalid")),
  version,
  date: z.string(required("meetings:edit.errors.date")).trim().refine(isCalendarDate, "meetings:edit.errors.date"),
  time: z
    .string(required("meetings:edit.errors.time"))
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "meetings:edit.errors.time"),
  venue: optionalText(VENUE_MAX).refine((v) => !v || !/[<>]/.test(v), "errors.noMarkup"),
});

export const CancelSchema = z.object({
  intent: z.literal("cancel", required("errors.invalid")),
  version,
  reason: noMarkup(text({ max: REASON_MAX, requiredKey: "cases:meetings.errors.reasonRequired" })),
});
