import { z } from "zod";

export const RetryEmailSchema = z.object({
  intent: z.literal("retry"),
  emailId: z.string({ required_error: "errors.invalid" }).uuid("errors.invalid"),
});
