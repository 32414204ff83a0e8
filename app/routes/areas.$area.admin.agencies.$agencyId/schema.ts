import { z } from "zod";
import { required, version } from "~/lib/validation";
import { AgencySchema } from "../areas.$area.admin.agencies.new/schema";

export const EditAgencySchema = AgencySchema.extend({ version });

export const AgencyStatusSchema = z.object({
  intent: z.enum(["deactivate", "reactivate"], required("errors.invalid")),
  version,
});
