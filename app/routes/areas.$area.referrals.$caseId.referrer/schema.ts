import { z } from "zod";
import { email, version } from "~/lib/validation";
import { optionalText, pastDate, requiredText, NAME_MAX } from "../areas.$area.referrals.$caseId._index/fields";

export const ReferrerSchema = z.object({
  version,
  referrerName: requiredText(NAME_MAX, "referrals:errors.referrerNameRequired"),
  referrerPhone: optionalText(50),
  referrerEmail: email("referrals:errors.referrerEmailRequired"),
  referralDate: pastDate("referrals:errors.referralDateRequired"),
});
