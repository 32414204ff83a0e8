import { replyWithErrors } from "~/lib/forms.server";
import { lockedMessage } from "~/models/auth/lockout.server";
import type { CodeCheckResult } from "~/models/auth/two-factor.server";

type Submission = Parameters<typeof replyWithErrors>[0];

/** The 400 for a refused code: on the field when wrong, for the form when locked. */
export function replyToRefusedCode(submission: Submission, result: Exclude<CodeCheckResult, { ok: true }>, wrongKey = "auth:errors.codeIncorrect") {
  if (result.reason === "locked") return replyWithErrors(submission, { formErrors: [lockedMessage(result.lockedUntil)], hideFields: ["code"] });
  return replyWithErrors(submission, { fieldErrors: { code: [wrongKey] }, hideFields: ["code"] });
}

export function replyTooManyAttempts(submission: Submission) {
  return replyWithErrors(submission, { formErrors: ["errors.tooManyRequests"], hideFields: ["code"] }, 429);
}
