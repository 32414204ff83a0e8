import { z } from "zod";
import { version } from "~/lib/validation";
import { checkbox, FREE_TEXT_MAX, optionalText, yesNo } from "../areas.$area.referrals.$caseId._index/fields";

const incidents = "referrals:errors.incidentsInvalid";

/** Visible high risk is not on the form: it follows from the Dash score. */
export const CriteriaSchema = z
  .object({
    version,
    criteriaProfessionalJudgement: checkbox,
    professionalJudgementRationale: optionalText(FREE_TEXT_MAX),
    criteriaEscalation: checkbox,
    escalationIncidentCount: z.number({ invalid_type_error: incidents }).int(incidents).min(1, incidents).max(999, incidents).optional(),
    criteriaRepeat: checkbox,
    previousMaracElsewhere: yesNo,
    previousMaracDetails: optionalText(FREE_TEXT_MAX),
  })
  .superRefine((v, ctx) => {
    if (v.criteriaProfessionalJudgement && !v.professionalJudgementRationale) {
      ctx.addIssue({ code: "custom", path: ["professionalJudgementRationale"], message: "referrals:errors.rationaleRequired" });
    }
    if (v.criteriaEscalation && v.escalationIncidentCount === undefined) {
      ctx.addIssue({ code: "custom", path: ["escalationIncidentCount"], message: "referrals:errors.incidentsRequired" });
    }
  });
