import { z } from "zod";
import { totpCode } from "../sign-in.two-factor/schema";

export const TurnOffTwoFactorSchema = z.object({ code: totpCode });
