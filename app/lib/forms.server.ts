import { parseWithZod } from "@conform-to/zod";
import { data } from "@remix-run/node";
import type { z } from "zod";
import { AppError } from "~/models/errors.server";

/**
 * Parse a form with its zod schema. On bad input, returns the 400 response
 * (with conform's reply) for the action to return as is.
 */
export async function parseForm<S extends z.ZodTypeAny>(request: Request, schema: S) {
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") {
    return { ok: false as const, formData, submission, response: data({ result: submission.reply() }, { status: 400 }) };
  }
  return { ok: true as const, formData, submission, value: submission.value as z.infer<S> };
}

/** A 400 with errors for named fields (or the form when field is null), keeping what was typed. */
export function replyWithErrors(
  submission: { reply: (options?: { formErrors?: string[]; fieldErrors?: Record<string, string[]>; hideFields?: string[] }) => unknown },
  errors: { formErrors?: string[]; fieldErrors?: Record<string, string[]>; hideFields?: string[] },
  status = 400,
) {
  return data({ result: submission.reply(errors) }, { status });
}

/**
 * Show a domain error on the form it came from: INVALID on its field (or the
 * whole form) with 400; CONFLICT (a stale version) as `conflict` with 409, so
 * the page shows the current record with the message. Anything else is rethrown.
 */
export function replyWithAppError(
  submission: { reply: (options?: { formErrors?: string[]; fieldErrors?: Record<string, string[]> }) => unknown },
  error: unknown,
) {
  if (error instanceof AppError && error.code === "INVALID") {
    const field = error.options.field;
    return replyWithErrors(submission, field ? { fieldErrors: { [field]: [error.messageKey] } } : { formErrors: [error.messageKey] });
  }
  if (error instanceof AppError && error.code === "CONFLICT") {
    return data({ conflict: error.messageKey }, { status: 409 });
  }
  throw error;
}
