import { z } from "zod";
import { IDENTITY_FIELDS } from "#db/schema";
import { uuid, version } from "~/lib/validation";

export const DecideSchema = z.object({
  checkId: uuid(),
  version,
  field: z.enum(IDENTITY_FIELDS, { errorMap: () => ({ message: "errors.invalid" }) }),
  decision: z.enum(["accepted", "rejected"], { errorMap: () => ({ message: "errors.invalid" }) }),
});
