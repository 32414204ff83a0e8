import { z } from "zod";
import { required } from "~/lib/validation";

/** Length rules for any new password (NCSC: long, no composition rules). */
export const newPassword = z
  .string(required("auth:errors.newPasswordRequired"))
  .min(12, "auth:errors.passwordTooShort")
  .max(256, "auth:errors.passwordTooLong");

export const confirmPassword = z.string(required("auth:errors.confirmRequired")).max(1000, "auth:errors.passwordsDiffer");

/** The new password and its confirmation, which must match. */
export function withConfirmation<T extends z.ZodRawShape>(shape: T) {
  return z
    .object({ ...shape, password: newPassword, confirmPassword })
    .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "auth:errors.passwordsDiffer" });
}

export const ChangePasswordSchema = withConfirmation({
  currentPassword: z.string(required("auth:errors.currentPasswordRequired")).max(1000, "auth:errors.currentPasswordWrong"),
});
