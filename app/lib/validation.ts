import { z } from "zod";

/** Shared zod building blocks. Messages are i18n keys (see useErrorText). */
export const required = (key = "errors.required") => ({ required_error: key, invalid_type_error: key });

export function text(options: { max: number; requiredKey?: string }) {
  return z
    .string(required(options.requiredKey))
    .trim()
    .min(1, options.requiredKey ?? "errors.required")
    .max(options.max, `errors.tooLong|${JSON.stringify({ max: options.max })}`);
}

export function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max, `errors.tooLong|${JSON.stringify({ max })}`)
    .optional();
}

export const email = (requiredKey = "errors.emailRequired") =>
  z.string(required(requiredKey)).trim().toLowerCase().max(254, `errors.tooLong|${JSON.stringify({ max: 254 })}`).email("errors.emailInvalid");

/** Text that will be shown in pages and emails must not carry markup. */
export const noMarkup = (schema: z.ZodString) => schema.refine((v) => !/[<>]/.test(v), "errors.noMarkup");

export const uuid = (key = "errors.invalid") => z.string(required(key)).uuid(key);

export const version = z.coerce.number(required("errors.invalid")).int("errors.invalid").min(1, "errors.invalid");
