import { z } from "zod";
import { required, uuid, version } from "~/lib/validation";

export const ReorderSchema = z.object({
  intent: z.literal("reorder", required("errors.invalid")),
  version,
  mode: z.enum(["repeats_first", "risk"], required("errors.invalid")),
});

export const MoveRowSchema = z.object({
  intent: z.literal("move", required("errors.invalid")),
  version,
  meetingCaseId: uuid(),
  direction: z.enum(["up", "down"], required("errors.invalid")),
});

export const MinutesSchema = z.object({
  intent: z.literal("minutes", required("errors.invalid")),
  version,
  meetingCaseId: uuid(),
  minutes: z.coerce
    .number(required("cases:agenda.errors.minutes"))
    .int("cases:agenda.errors.minutes")
    .min(1, "cases:agenda.errors.minutes")
    .max(60, "cases:agenda.errors.minutes"),
});

export const MoveToMeetingSchema = z.object({
  intent: z.literal("moveToMeeting", required("errors.invalid")),
  meetingCaseId: uuid(),
  targetMeetingId: uuid("meetings:meeting.errors.targetRequired"),
});

export const SendForVerificationSchema = z.object({ intent: z.literal("sendForVerification", required("errors.invalid")), version });

export const CirculateSchema = z.object({ intent: z.literal("circulate", required("errors.invalid")), version });

/** The optional password for the agenda PDF. */
export const PDF_PASSWORD_MIN = 8;
export const PdfPasswordSchema = z.object({
  password: z
    .string(required("meetings:pdfPassword.errors.tooShort"))
    .min(PDF_PASSWORD_MIN, "meetings:pdfPassword.errors.tooShort")
    .max(128, `errors.tooLong|${JSON.stringify({ max: 128 })}`),
});

/** Carry cases with incomplete actions from held meetings onto this meeting. */
export const CarryForwardSchema = z.object({ intent: z.literal("carryForward", required("errors.invalid")) });

/** The coordinator marks the minutes circulated. */
export const CirculateMinutesSchema = z.object({ intent: z.literal("circulateMinutes", required("errors.invalid")), version });
