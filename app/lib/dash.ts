import { z } from "zod";
import { noMarkup } from "./validation";

/**
 * The SafeLives Dash risk checklist (24 questions, yes / no / don't know).
 *
 * Question text lives in i18n (`cases:dash.questions.<id>`); ids are stable because
 * answers are stored under them (cases.dash_answers). Every one of the 24 questions
 * counts towards the score, including question 3 ("What are you afraid of? Is it
 * further injury or violence?"). Its follow-up, what the victim thinks the abuser
 * might do and to whom, is free text that is never scored: it is the `fears` field
 * (cases.dash_fears), attached to question 3 through `followUp`.
 */
export type DashQuestion = {
  id: string;
  number: number;
  scored: boolean;
  followUp?: "fears";
};

const questionIds = [
  "q01_injured",
  "q02_frightened",
  "q03_afraid_of",
  "q04_isolated",
  "q05_depressed",
  "q06_separated",
  "q07_child_contact",
  "q08_stalking",
  "q09_pregnant",
  "q10_more_often",
  "q11_getting_worse",
  "q12_controlling",
  "q13_weapons",
  "q14_threats_to_kill",
  "q15_strangled",
  "q16_sexual_abuse",
  "q17_other_person",
  "q18_hurt_others",
  "q19_animals",
  "q20_financial",
  "q21_drugs_alcohol_mental_health",
  "q22_suicide",
  "q23_breached_bail",
  "q24_criminal_history",
] as const;

export type DashQuestionId = (typeof questionIds)[number];

export const DASH_QUESTIONS: readonly DashQuestion[] = questionIds.map((id, index) => ({
  id,
  number: index + 1,
  scored: true,
  ...(id === "q03_afraid_of" ? { followUp: "fears" as const } : {}),
}));

export const DASH_QUESTION_IDS: readonly DashQuestionId[] = questionIds;

export const dashAnswerValues = ["yes", "no", "dont_know"] as const;
export type DashAnswerValue = (typeof dashAnswerValues)[number];

/** One answer; `source` names who answered when it was not the victim. */
export type DashAnswerEntry = { answer: DashAnswerValue; source?: string };
export type DashAnswerMap = Partial<Record<string, DashAnswerEntry>>;

export const riskBandOrder = ["standard", "medium", "high"] as const;
export type DashBand = (typeof riskBandOrder)[number];

/** SafeLives thresholds: 14 or more "yes" answers is visible high risk. */
export const DASH_HIGH_THRESHOLD = 14;
export const DASH_MEDIUM_THRESHOLD = 10;

export function dashBandFor(score: number): DashBand {
  if (score >= DASH_HIGH_THRESHOLD) return "high";
  if (score >= DASH_MEDIUM_THRESHOLD) return "medium";
  return "standard";
}

export type DashScore = {
  /** Number of scored questions answered "yes". */
  score: number;
  /** Number of questions with any answer (yes, no or don't know). */
  answered: number;
  /** True when all 24 questions have an answer. */
  complete: boolean;
  band: DashBand;
};

/** Scores a (possibly partial) set of answers. Keys that are not checklist questions are ignored. */
export function scoreDash(answers: DashAnswerMap | null | undefined): DashScore {
  let score = 0;
  let answered = 0;
  for (const question of DASH_QUESTIONS) {
    const entry = answers?.[question.id];
    if (!entry || !dashAnswerValues.includes(entry.answer)) continue;
    answered += 1;
    if (question.scored && entry.answer === "yes") score += 1;
  }
  return { score, answered, complete: answered === DASH_QUESTIONS.length, band: dashBandFor(score) };
}

/**
 * The risk level a case is treated at: the DASH band, raised (never lowered) by the
 * referrer's professional judgement. Judgement is a band, or `true` for the referral
 * criterion "high risk on professional judgement" (so `true` means high; `false`
 * adds nothing). Either may be missing; both missing gives null.
 */
export function effectiveRiskLevel(input: {
  dashBand: DashBand | null | undefined;
  professionalJudgement?: DashBand | boolean | null;
}): DashBand | null {
  const judgement = input.professionalJudgement === true ? "high" : input.professionalJudgement || null;
  const levels = [input.dashBand, judgement].filter((b): b is DashBand => !!b);
  if (levels.length === 0) return null;
  return levels.reduce((a, b) => (riskBandOrder.indexOf(b) > riskBandOrder.indexOf(a) ? b : a));
}

export const DASH_SOURCE_MAX = 200;
export const DASH_FEARS_MAX = 2000;

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const answerValue = (requireComplete: boolean) => {
  const base = z.enum(dashAnswerValues, {
    errorMap: (issue) => ({
      message:
        issue.code === "invalid_type" && issue.received === "undefined"
          ? "cases:dash.errors.answerRequired"
          : "cases:dash.errors.answerInvalid",
    }),
  });
  return z.preprocess(blankToUndefined, requireComplete ? base : base.optional());
};

const sourceValue = z.preprocess(
  blankToUndefined,
  noMarkup(
    z
      .string()
      .trim()
      .max(DASH_SOURCE_MAX, `errors.tooLong|${JSON.stringify({ max: DASH_SOURCE_MAX })}`),
  ).optional(),
);

function entrySchema(requireComplete: boolean) {
  const entry = z.object({ answer: answerValue(requireComplete), source: sourceValue });
  // A draft may leave a question blank: an entry with no answer drops out (and any
  // source typed against it goes with it, since it says who gave an answer).
  const optionalEntry = z.preprocess(
    (v) => (v === undefined || v === null || v === "" ? (requireComplete ? {} : undefined) : v),
    requireComplete ? entry : entry.optional(),
  );
  return optionalEntry;
}

type ParsedAnswers = Partial<Record<DashQuestionId, { answer?: DashAnswerValue; source?: string } | undefined>>;

/**
 * The DASH answers on the referral form: `{ q01_injured: { answer, source? }, ... }`.
 * With `requireComplete` (submission) every question needs an answer; otherwise
 * (saving a draft) any may be blank. Messages are i18n keys.
 */
export function dashAnswersSchema(options: { requireComplete?: boolean } = {}) {
  const requireComplete = options.requireComplete ?? false;
  const shape = Object.fromEntries(DASH_QUESTION_IDS.map((id) => [id, entrySchema(requireComplete)])) as Record<
    DashQuestionId,
    ReturnType<typeof entrySchema>
  >;
  return z
    .preprocess((v) => (v === undefined || v === null ? {} : v), z.object(shape))
    .transform((parsed) => {
      const out: Partial<Record<DashQuestionId, DashAnswerEntry>> = {};
      for (const id of DASH_QUESTION_IDS) {
        const entry = (parsed as ParsedAnswers)[id];
        if (!entry?.answer) continue;
        out[id] = entry.source ? { answer: entry.answer, source: entry.source } : { answer: entry.answer };
      }
      return out;
    });
}

/** Draft: every question optional. */
export const DashAnswersSchema = dashAnswersSchema();
/** Submission: every question answered. */
export const DashAnswersCompleteSchema = dashAnswersSchema({ requireComplete: true });

/** The free-text follow-up to question 3 (not scored). */
export const DashFearsSchema = z.preprocess(
  (v) => (v === undefined || v === null ? "" : v),
  noMarkup(
    z
      .string()
      .trim()
      .max(DASH_FEARS_MAX, `errors.tooLong|${JSON.stringify({ max: DASH_FEARS_MAX })}`),
  ),
);
