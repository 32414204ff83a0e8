import { z } from "zod";
import { uuid, version } from "~/lib/validation";
import { requireAgencyForRole, RoleSchema } from "../areas.$area.admin.users.invite/schema";

export const ChangeRoleSchema = z
  .object({
    intent: z.literal("change-role"),
    membershipId: uuid(),
    role: RoleSchema,
    agencyId: uuid().optional(),
    version,
  })
  .superRefine(requireAgencyForRole);

export const AddRoleSchema = z
  .object({
    intent: z.literal("add-role"),
    role: RoleSchema,
    agencyId: uuid().optional(),
  })
  .superRefine(requireAgencyForRole);

/** Buttons with no fields: disable, re-enable, reset two-factor. */
export const AccessSchema = z.object({
  intent: z.enum(["disable", "enable", "reset-two-factor"]),
});
