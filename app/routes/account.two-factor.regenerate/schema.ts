import { z } from "zod";
import { totpCode } from "../sign-in.two-factor/schema";

export const RegenerateRecoveryCodesSchema = z.object({ code: totpCode });
