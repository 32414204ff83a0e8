import { scoreDash } from "~/lib/dash";

/** The referral form's sections, in the order the task list shows them. */
export const SECTIONS = ["referrer", "victim", "safe-contact", "perpetrators", "children", "dash", "criteria", "consent"] as const;
export type Section = (typeof SECTIONS)[number];

export type SectionStatus = "notStarted" | "inProgress" | "completed";

interface StatusInput {
  case: {
    referrerName: string;
    referrerEmail: string;
    referralDate: string | null;
    dashAnswers: Record<string, { answer: string } | undefined> | null;
    criteriaProfessionalJudgement: boolean;
    criteriaEscalation: boolean;
    criteriaRepeat: boolean;
    previousMaracElsewhere: boolean | null;
    victimAware: boolean | null;
    consentGiven: boolean | null;
  };
  people: { role: string }[];
  hasSafeContact: boolean;
  /** Sections named by `referralProblems`. */
  problemSections: string[];
}

/** How far each section has got: what the task list shows. */
export function sectionStatuses(input: StatusInput): Record<Section, SectionStatus> {
  const c = input.case;
  const has = (role: string) => input.people.some((p) => p.role === role);
  const fine = (section: Section) => !input.problemSections.includes(section);
  const dash = scoreDash(c.dashAnswers as never);
  const criteriaTouched = c.criteriaProfessionalJudgement || c.criteriaEscalation || c.criteriaRepeat || c.previousMaracElsewhere !== null;
  return {
    referrer: fine("referrer") ? "completed" : "inProgress",
    victim: !has("victim") ? "notStarted" : fine("victim") ? "completed" : "inProgress",
    "safe-contact": input.hasSafeContact ? "completed" : "notStarted",
    perpetrators: has("perpetrator") ? "completed" : "notStarted",
    children: has("child") || has("other") ? "completed" : "notStarted",
    dash: dash.answered === 0 ? "notStarted" : dash.complete ? "completed" : "inProgress",
    // No criteria problem means DASH or a ticked criterion already qualifies the referral.
    criteria: fine("criteria") ? "completed" : criteriaTouched ? "inProgress" : "notStarted",
    consent: c.victimAware === null && c.consentGiven === null ? "notStarted" : fine("consent") ? "completed" : "inProgress",
  };
}
