import { z } from "zod";
import { required } from "~/lib/validation";

/** A 6-digit code from an authenticator app; spaces people type are ignored. */
export const totpCode = z.preprocess(
  (value) => (typeof value === "string" ? value.replace(/\s/g, "") : value),
  z
    .string(required("auth:errors.codeRequired"))
    .min(1, "auth:errors.codeRequired")
    .refine((v) => v === "" || /^\d{6}$/.test(v), "auth:errors.codeFormat"),
);

export const TwoFactorCodeSchema = z.object({
  code: totpCode,
  redirectTo: z.string().max(2000).optional(),
});
