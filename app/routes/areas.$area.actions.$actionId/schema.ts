import { z } from "zod";
import { noMarkup, version } from "~/lib/validation";
import { todayInLondon } from "~/lib/london-time";

export const NOTE_MAX = 2000;

/** The owner agency's progress report: in progress, completed (date and note) or not completed (reason and note). */
export const ActionUpdateSchema = z
  .object({
    version,
    status: z.enum(["in_progress", "completed", "not_completed"], { errorMap: () => ({ message: "actions:errors.status" }) }),
    completedOn: z.string().trim().optional(),
    reason: z.enum(["circumstances_changed", "not_undertaken"], { errorMap: () => ({ message: "actions:errors.reason" }) }).optional(),
    note: noMarkup(z.string().trim().max(NOTE_MAX, `errors.tooLong|${JSON.stringify({ max: NOTE_MAX })}`)).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.status === "completed") {
      const date = value.completedOn ?? "";
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
        ctx.addIssue({ code: "custom", path: ["completedOn"], message: "actions:errors.completedOn" });
      } else if (date > todayInLondon()) {
        ctx.addIssue({ code: "custom", path: ["completedOn"], message: "actions:errors.completedOnFuture" });
      }
    }
    if (value.status === "not_completed" && !value.reason) ctx.addIssue({ code: "custom", path: ["reason"], message: "actions:errors.reason" });
    if (value.status !== "in_progress" && !value.note) ctx.addIssue({ code: "custom", path: ["note"], message: "actions:errors.note" });
  });
