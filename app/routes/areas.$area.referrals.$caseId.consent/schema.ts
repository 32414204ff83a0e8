import { z } from "zod";
import { version } from "~/lib/validation";
import { FREE_TEXT_MAX, optionalText, yesNo } from "../areas.$area.referrals.$caseId._index/fields";

export const ConsentSchema = z
  .object({
    version,
    victimAware: yesNo,
    victimNotAwareReason: optionalText(FREE_TEXT_MAX),
    consentGiven: yesNo,
    noConsentLawfulBasis: optionalText(FREE_TEXT_MAX),
    whoVictimFears: optionalText(FREE_TEXT_MAX),
    safeToTalkTo: optionalText(FREE_TEXT_MAX),
    notSafeToTalkTo: optionalText(FREE_TEXT_MAX),
    victimWants: optionalText(FREE_TEXT_MAX),
  })
  .superRefine((v, ctx) => {
    if (v.victimAware === false && !v.victimNotAwareReason) {
      ctx.addIssue({ code: "custom", path: ["victimNotAwareReason"], message: "referrals:errors.notAwareReasonRequired" });
    }
    if (v.consentGiven === false && !v.noConsentLawfulBasis) {
      ctx.addIssue({ code: "custom", path: ["noConsentLawfulBasis"], message: "referrals:errors.lawfulBasisRequired" });
    }
  });
