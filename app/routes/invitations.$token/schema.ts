import { z } from "zod";
import { noMarkup, required, text } from "~/lib/validation";

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export const NewAccountSchema = z
  .object({
    intent: z.literal("create"),
    name: noMarkup(text({ max: 120, requiredKey: "admin:errors.nameRequired" })),
    password: z
      .string(required("admin:errors.passwordTooShort"))
      .min(PASSWORD_MIN, "admin:errors.passwordTooShort")
      .max(PASSWORD_MAX, "admin:errors.passwordTooLong"),
    confirmPassword: z.string(required("admin:errors.confirmRequired")).max(PASSWORD_MAX, "admin:errors.passwordMismatch"),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "admin:errors.passwordMismatch" });

export const AcceptSchema = z.object({ intent: z.literal("accept") });
