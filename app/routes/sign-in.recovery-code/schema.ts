import { z } from "zod";
import { required } from "~/lib/validation";

export const RecoveryCodeSchema = z.object({
  code: z
    .string(required("auth:errors.recoveryCodeRequired"))
    .trim()
    .min(1, "auth:errors.recoveryCodeRequired")
    // One message for too long, wrong characters or wrong length: xxxx-xxxx-xxxx.
    .refine((v) => v === "" || (v.length <= 40 && /^[a-z0-9]{12}$/i.test(v.replace(/[\s-]/g, ""))), "auth:errors.recoveryCodeFormat"),
  redirectTo: z.string().max(2000).optional(),
});
