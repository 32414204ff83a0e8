import { z } from "zod";
import { dashAnswersSchema, DashFearsSchema } from "~/lib/dash";
import { version } from "~/lib/validation";

/**
 * A draft checklist: any question may be left for later. Conform turns a blank
 * field into undefined before the schema sees it, hence the outer optional.
 */
export const DashSchema = z.object({
  version,
  answers: dashAnswersSchema(),
  fears: DashFearsSchema.optional().transform((v) => v ?? ""),
});
