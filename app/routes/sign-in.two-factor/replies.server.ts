import { redirect } from "@remix-run/node";
import type { z } from "zod";
import { parseForm, replyWithErrors } from "~/lib/forms.server";
import { safeRedirect } from "~/lib/safe-redirect";
import { lockedMessage } from "~/models/auth/lockout.server";
import { consumeCodeAttempt, type CodeCheckResult } from "~/models/auth/two-factor.server";
import { requireUser, type CurrentUser } from "~/policy/index.server";

type Submission = Parameters<typeof replyWithErrors>[0];

/** The 400 for a refused code: on the field when wrong, for the form when locked. */
export function replyToRefusedCode(submission: Submission, result: Exclude<CodeCheckResult, { ok: true }>, wrongKey = "auth:errors.codeIncorrect") {
  if (result.reason === "locked") return replyWithErrors(submission, { formErrors: [lockedMessage(result.lockedUntil)], hideFields: ["code"] });
  return replyWithErrors(submission, { fieldErrors: { code: [wrongKey] }, hideFields: ["code"] });
}

export function replyTooManyAttempts(submission: Submission) {
  return replyWithErrors(submission, { formErrors: ["errors.tooManyRequests"], hideFields: ["code"] }, 429);
}

/** Only for a session past the password step whose user has two-factor and has not passed it yet. */
export function sendOnIfDone(user: CurrentUser, redirectTo: string | null | undefined) {
  if (!user.hasTwoFactor || user.twoFactorVerified) throw redirect(safeRedirect(redirectTo));
}

/** Loader of both second-step pages (app code or recovery code). */
export async function secondStepLoader(request: Request) {
  const user = await requireUser(request, { allowPendingTwoFactor: true });
  sendOnIfDone(user, new URL(request.url).searchParams.get("redirectTo"));
  return null;
}

/**
 * Action of both second-step pages: parse the code, rate-limit, check it with
 * `check`, and on success go on with `done`.
 */
export async function secondStepAction<S extends z.ZodType<{ code: string; redirectTo?: string }, z.ZodTypeDef, unknown>>(
  request: Request,
  schema: S,
  check: (user: CurrentUser, code: string) => Promise<CodeCheckResult & { remaining?: number }>,
  done: (redirectTo: string, result: { remaining?: number }) => Promise<Response> | Response,
  wrongKey?: string,
) {
  const user = await requireUser(request, { allowPendingTwoFactor: true });
  const parsed = await parseForm(request, schema);
  sendOnIfDone(user, parsed.formData.get("redirectTo")?.toString());
  if (!parsed.ok) return parsed.response;
  if (!(await consumeCodeAttempt(user.id)).allowed) return replyTooManyAttempts(parsed.submission);
  const result = await check(user, parsed.value.code);
  if (!result.ok) return replyToRefusedCode(parsed.submission, result, wrongKey);
  return done(safeRedirect(parsed.value.redirectTo), result);
}
