import { z } from "zod";
import { version } from "~/lib/validation";
import { ADDRESS_MAX, aliases, checkbox, dobs, FREE_TEXT_MAX, NAME_MAX, optionalText, requiredText, SHORT_MAX, ukDate, yesNo } from "./fields";

/** The person forms (victim, perpetrator, child or household member). */
const personVersion = z.coerce.number({ invalid_type_error: "errors.invalid" }).int("errors.invalid").min(1, "errors.invalid").optional();

const core = {
  version,
  personVersion,
  firstName: requiredText(NAME_MAX, "referrals:errors.firstNameRequired"),
  lastName: requiredText(NAME_MAX, "referrals:errors.lastNameRequired"),
  aliases,
  dobs,
};

const ageMessage = "referrals:errors.ageInvalid";

export const VictimSchema = z.object({
  ...core,
  /** The stored victim being changed; absent when adding them. */
  personId: z.string().max(36, "errors.invalid").optional(),
  gender: optionalText(NAME_MAX),
  address: optionalText(ADDRESS_MAX),
  confidentialAddress: checkbox,
  phone: optionalText(50),
  safeToCall: yesNo,
  contactNotes: optionalText(FREE_TEXT_MAX),
  language: optionalText(NAME_MAX),
  interpreterNeeded: yesNo,
  pregnant: yesNo,
  ethnicity: optionalText(NAME_MAX),
  disability: optionalText(SHORT_MAX),
  sexualOrientation: optionalText(NAME_MAX),
  genderIdentity: optionalText(NAME_MAX),
  age: z
    .number({ invalid_type_error: ageMessage })
    .int(ageMessage)
    .min(0, ageMessage)
    .max(120, ageMessage)
    .optional()
    .transform((v) => v ?? null),
});

export const PerpetratorSchema = z.object({
  ...core,
  gender: optionalText(NAME_MAX),
  relationshipToVictim: optionalText(NAME_MAX),
  address: optionalText(ADDRESS_MAX),
});

export const HouseholdSchema = z.object({
  ...core,
  role: z.enum(["child", "other"], { errorMap: () => ({ message: "referrals:errors.householdRole" }) }),
  relationshipToVictim: optionalText(NAME_MAX),
  relationshipToPerpetrator: optionalText(NAME_MAX),
  school: optionalText(SHORT_MAX),
});

/** A stored person as the form's default values. */
export function personFormValues(p: Record<string, unknown> & { aliases: string[]; dobs: string[]; version: number }) {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(p)) {
    if (typeof v === "string") out[k] = v;
    else if (typeof v === "boolean") out[k] = v ? "on" : "";
    else if (typeof v === "number") out[k] = String(v);
  }
  for (const k of ["safeToCall", "interpreterNeeded", "pregnant"]) {
    if (k in p) out[k] = p[k] === true ? "yes" : p[k] === false ? "no" : "";
  }
  out.aliases = p.aliases.join("\n");
  out.dobs = p.dobs.map(ukDate).join("\n");
  out.personVersion = String(p.version);
  delete out.version;
  delete out.id;
  return out;
}
