import { z } from "zod";
import { IDENTITY_FIELDS } from "#db/schema";
import { required, uuid, version } from "~/lib/validation";

export const DecideSchema = z.object({
  checkId: uuid(),
  version,
  field: z.enum(IDENTITY_FIELDS, required("errors.invalid")),
  decision: z.enum(["accepted", "rejected"], required("errors.invalid")),
});
