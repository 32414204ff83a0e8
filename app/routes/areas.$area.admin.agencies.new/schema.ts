import { z } from "zod";
import { agencyKinds } from "#db/schema/agencies";
import { email, noMarkup, required, text } from "~/lib/validation";

/** The agency form; the "change" page extends it with the version it read. */
export const AgencySchema = z.object({
  name: noMarkup(text({ max: 120, requiredKey: "admin:errors.nameRequired" })),
  kind: z.enum(agencyKinds, { errorMap: () => ({ message: "admin:errors.kindRequired" }) }),
  secureEmail: email().optional(),
  isVerifier: z.boolean(required("errors.invalid")).optional().default(false),
});
