import { z } from "zod";
import { email } from "~/lib/validation";

export const ForgotPasswordSchema = z.object({ email: email() });
