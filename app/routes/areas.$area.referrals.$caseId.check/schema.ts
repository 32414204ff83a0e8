import { z } from "zod";
import { version } from "~/lib/validation";

export const SubmitSchema = z.object({ version });
