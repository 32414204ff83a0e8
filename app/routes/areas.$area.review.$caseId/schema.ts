import { z } from "zod";
import { noMarkup, required, text, uuid, version } from "~/lib/validation";

export const REASON_MAX = 2000;

export const AcceptSchema = z.object({ intent: z.literal("accept", required("errors.invalid")), version });

export const ReturnSchema = z.object({
  intent: z.literal("return", required("errors.invalid")),
  version,
  reason: noMarkup(text({ max: REASON_MAX, requiredKey: "cases:review.errors.reasonRequired" })),
});

export const MatchDecisionSchema = z.object({
  intent: z.literal("match", required("errors.invalid")),
  candidateId: uuid(),
  decision: z.enum(["confirmed", "rejected"], required("errors.invalid")),
});
