import { parseWithZod } from "@conform-to/zod";
import { data } from "@remix-run/node";
import type { z } from "zod";

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
