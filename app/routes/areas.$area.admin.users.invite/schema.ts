import { z } from "zod";
import { roles } from "#db/schema/users";
import { email, noMarkup, text, uuid } from "~/lib/validation";
import { roleNeedsAgency } from "~/policy/permissions";

export const RoleSchema = z.enum(roles, { errorMap: () => ({ message: "admin:errors.roleRequired" }) });

/** Agency representatives and IDVAs act for one agency, so it must be chosen. */
export function requireAgencyForRole(value: { role: string; agencyId?: string }, ctx: z.RefinementCtx) {
  if (roleNeedsAgency(value.role) && !value.agencyId) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["agencyId"], message: "admin:errors.agencyRequired" });
  }
}

export const InviteSchema = z
  .object({
    name: noMarkup(text({ max: 120, requiredKey: "admin:errors.nameRequired" })),
    email: email(),
    role: RoleSchema,
    agencyId: uuid().optional(),
  })
  .superRefine(requireAgencyForRole);
