import { z } from "zod";
import { required } from "~/lib/validation";
import { totpCode } from "../sign-in.two-factor/schema";

export const EnableTwoFactorSchema = z.object({
  // Sealed by the server; anything else fails to open and is refused.
  pendingKey: z.string(required("auth:errors.setupExpired")).max(2000, "auth:errors.setupExpired"),
  code: totpCode,
});
