import { z } from "zod";
import { compareCalendarDates, parseCalendarDate } from "./dates";

const calendarDate = (invalidKey: string) =>
  z
    .string()
    .trim()
    .max(10, invalidKey)
    .refine((v) => parseCalendarDate(v) !== null, invalidKey)
    .optional();

/** The audit log's filters, read from the query string (a GET form). */
export const AuditFilterSchema = z
  .object({
    user: z.string().uuid("audit:errors.userInvalid").optional(),
    action: z
      .string()
      .trim()
      .max(100, `errors.tooLong|${JSON.stringify({ max: 100 })}`)
      .regex(/^[a-z0-9_.:-]*$/i, "audit:errors.actionInvalid")
      .optional(),
    entity: z
      .string()
      .trim()
      .max(100, `errors.tooLong|${JSON.stringify({ max: 100 })}`)
      .regex(/^[a-z0-9_.:-]*$/i, "audit:errors.entityInvalid")
      .optional(),
    from: calendarDate("audit:errors.fromInvalid"),
    to: calendarDate("audit:errors.toInvalid"),
  })
  .superRefine((value, ctx) => {
    const from = value.from ? parseCalendarDate(value.from) : null;
    const to = value.to ? parseCalendarDate(value.to) : null;
    if (from && to && compareCalendarDates(from, to) > 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["to"], message: "audit:errors.toBeforeFrom" });
    }
  });

export type AuditFilterValues = z.infer<typeof AuditFilterSchema>;
