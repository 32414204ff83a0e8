import { z } from "zod";
import { email, required } from "~/lib/validation";

export const SignInSchema = z.object({
  email: email(),
  password: z.string(required("auth:errors.passwordRequired")).min(1, "auth:errors.passwordRequired").max(1000, "auth:errors.passwordRequired"),
  redirectTo: z.string().optional(),
});
