import { z } from "zod";
import { required, uuid, version } from "~/lib/validation";

export const NAME_MAX = 200;

/** Free text shown back on pages: trimmed, bounded, no markup. */
export function plainText(max: number, requiredKey?: string) {
  const base = z
    .string(required(requiredKey))
    .trim()
    .max(max, `errors.tooLong|${JSON.stringify({ max })}`)
    .refine((v) => !/[<>]/.test(v), "errors.noMarkup");
  if (requiredKey) return base.refine((v) => v.length > 0, requiredKey);
  return base.optional().transform((v) => v ?? "");
}

/** One of a fixed set of values; any other value (or none) gets the one message. */
export function oneOf<U extends string, T extends [U, ...U[]]>(values: T, key: string) {
  return z.enum(values, { errorMap: () => ({ message: key }) });
}

/** A checkbox: absent or "on"; anything else is a wrong value. */
export const checkbox = z
  .enum(["on"], { errorMap: () => ({ message: "errors.invalid" }) })
  .optional()
  .transform((v) => v === "on");

export const StartSchema = z.object({ intent: z.literal("start", required("errors.invalid")), version });

export const CloseSchema = z.object({ intent: z.literal("close", required("errors.invalid")), version });

export const AttendanceSchema = z.object({
  intent: z.literal("attendance", required("errors.invalid")),
  agencyId: uuid(),
  attendanceId: uuid().optional(),
  attendanceVersion: z.coerce.number().int("errors.invalid").min(1, "errors.invalid").optional(),
  status: oneOf(["present", "apologies", "absent"], "meetingRoom:errors.status"),
  personName: plainText(NAME_MAX),
  infoSent: checkbox,
  confirmConfidentiality: checkbox,
});

export const ObserverSchema = z.object({
  intent: z.literal("observer", required("errors.invalid")),
  personName: plainText(NAME_MAX, "cases:meetingRoom.errors.name"),
  observerOrganisation: plainText(NAME_MAX, "cases:meetingRoom.errors.organisation"),
  confirmConfidentiality: checkbox,
});

