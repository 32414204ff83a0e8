import { z } from "zod";
import { nations } from "#db/schema/areas";
import { noMarkup, required, text, version } from "~/lib/validation";

const range = (min: number, max: number) => `admin:errors.numberRange|${JSON.stringify({ min, max })}`;

function days(min: number, max: number) {
  return z
    .number({ required_error: range(min, max), invalid_type_error: "admin:errors.wholeNumber" })
    .int("admin:errors.wholeNumber")
    .min(min, range(min, max))
    .max(max, range(min, max));
}

// A domain name like nhs.net or police.llanfair.example: labels of letters, digits and hyphens.
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const MAX_DOMAINS = 100;

/** One domain per line; blank lines ignored, lower-cased, duplicates dropped. */
export function splitDomains(value: string): string[] {
  return [...new Set(value.split(/\r?\n/).map((line) => line.trim().toLowerCase()).filter(Boolean))];
}

const secureDomains = z
  .string()
  .max(10_000, `errors.tooLong|${JSON.stringify({ max: 10_000 })}`)
  .optional()
  .transform((value) => splitDomains(value ?? ""))
  .superRefine((domains, ctx) => {
    if (domains.length > MAX_DOMAINS) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `admin:errors.tooManyDomains|${JSON.stringify({ max: MAX_DOMAINS })}` });
      return;
    }
    const bad = domains.find((d) => !DOMAIN.test(d));
    if (bad) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `admin:errors.domainInvalid|${JSON.stringify({ domain: bad.slice(0, 80) })}` });
  });

function isRealDate(value: string) {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The timetable steps before a meeting, in the order they happen (DESIGN.md section 4). */
export const TIMETABLE_ORDER = ["referralCutoffDays", "verificationSentDays", "verificationDueDays", "circulationDays", "researchDueDays"] as const;

export const SettingsSchema = z
  .object({
    name: noMarkup(text({ max: 120, requiredKey: "admin:errors.nameRequired" })),
    nation: z.enum(nations, { errorMap: () => ({ message: "admin:errors.nationRequired" }) }),
    cadenceDays: days(1, 365),
    firstMeetingOn: z
      .string()
      .trim()
      .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && isRealDate(v), "admin:errors.dateInvalid")
      .optional(),
    meetingTime: z
      .string(required("admin:errors.timeInvalid"))
      .trim()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "admin:errors.timeInvalid"),
    defaultVenue: noMarkup(z.string().trim().max(300, `errors.tooLong|${JSON.stringify({ max: 300 })}`)).optional(),
    referralCutoffDays: days(0, 60),
    verificationSentDays: days(0, 60),
    verificationDueDays: days(0, 60),
    circulationDays: days(0, 60),
    researchDueDays: days(0, 60),
    minutesDueDaysAfter: days(0, 60),
    actionUpdatesDueDays: days(0, 60),
    digestDays: days(0, 60),
    confidentialityStatement: noMarkup(text({ max: 4000, requiredKey: "admin:errors.statementRequired" })),
    secureDomains,
    mfaRequired: z.boolean(required("errors.invalid")).optional().default(false),
    retentionMonths: days(12, 240),
    version,
  })
  .superRefine((value, ctx) => {
    // Each step must come on or after the one before it, counting down to the meeting.
    for (let i = 1; i < TIMETABLE_ORDER.length; i++) {
      const earlier = value[TIMETABLE_ORDER[i - 1]];
      const later = value[TIMETABLE_ORDER[i]];
      if (later > earlier) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [TIMETABLE_ORDER[i]], message: `admin:errors.timetableOrder|${JSON.stringify({ max: earlier })}` });
      }
    }
  });
