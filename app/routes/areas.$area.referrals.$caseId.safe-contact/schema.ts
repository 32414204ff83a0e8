import { z } from "zod";
import { version } from "~/lib/validation";
import { checkbox, FREE_TEXT_MAX, optionalText, SHORT_MAX } from "../areas.$area.referrals.$caseId._index/fields";

export const SafeContactSchema = z.object({
  version,
  safeNumber: optionalText(50),
  safeTimes: optionalText(SHORT_MAX),
  noMessages: checkbox,
  mustNotKnow: optionalText(FREE_TEXT_MAX),
  notes: optionalText(FREE_TEXT_MAX),
});
