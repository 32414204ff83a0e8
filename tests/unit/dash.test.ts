import { describe, expect, it } from "vitest";
import en from "~/i18n/locales/en/cases.json";
import { createI18n } from "~/i18n/config";
import {
  DASH_QUESTIONS,
  DASH_QUESTION_IDS,
  DashAnswersCompleteSchema,
  DashAnswersSchema,
  DashFearsSchema,
  dashBandFor,
  effectiveRiskLevel,
  scoreDash,
  type DashAnswerMap,
  type DashAnswerValue,
} from "~/lib/dash";

/** Answers "yes" to the first `yes` questions and `rest` to the others. */
function answers(yes: number, rest: DashAnswerValue = "no"): DashAnswerMap {
  return Object.fromEntries(DASH_QUESTION_IDS.map((id, i) => [id, { answer: i < yes ? "yes" : rest }]));
}

/** The form payload conform would give for a set of answers. */
function formPayload(values: Partial<Record<string, string>>) {
  return Object.fromEntries(Object.entries(values).map(([id, answer]) => [id, { answer }]));
}

describe("DASH questions", () => {
  it("has the 24 SafeLives questions numbered 1 to 24 with unique stable ids", () => {
    expect(DASH_QUESTIONS).toHaveLength(24);
    expect(DASH_QUESTIONS.map((q) => q.number)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(new Set(DASH_QUESTIONS.map((q) => q.id)).size).toBe(24);
    for (const q of DASH_QUESTIONS) expect(q.id).toMatch(new RegExp(`^q${String(q.number).padStart(2, "0")}_[a-z_]+$`));
  });

  it("scores all 24 questions and hangs the unscored free-text fears on question 3", () => {
    expect(DASH_QUESTIONS.every((q) => q.scored)).toBe(true);
    const withFollowUp = DASH_QUESTIONS.filter((q) => q.followUp);
    expect(withFollowUp).toEqual([{ id: "q03_afraid_of", number: 3, scored: true, followUp: "fears" }]);
    expect(DASH_QUESTIONS[1]!.id).toBe("q02_frightened");
  });

  it("has English text for every question, answer and band", () => {
    const i18n = createI18n("en");
    for (const q of DASH_QUESTIONS) {
      const text = i18n.t(`cases:dash.questions.${q.id}`);
      expect(text, q.id).not.toBe(`dash.questions.${q.id}`);
      expect(text.endsWith("?") || text.endsWith("?)") || text.endsWith(".)"), q.id).toBe(true);
    }
    expect(Object.keys(en.dash.questions)).toEqual([...DASH_QUESTION_IDS]);
    expect(i18n.t("cases:dash.answers.dont_know")).toBe("Don't know");
    expect(i18n.t("cases:dash.bands.high")).toBe("High risk");
    expect(i18n.t("cases:dash.errors.answerRequired")).not.toContain("dash.errors");
  });
});

describe("scoreDash", () => {
  it("counts yes answers and every answered question", () => {
    expect(scoreDash(answers(5, "dont_know"))).toEqual({ score: 5, answered: 24, complete: true, band: "standard" });
  });

  it("does not count don't know or no as yes", () => {
    expect(scoreDash(answers(0, "dont_know")).score).toBe(0);
    expect(scoreDash(answers(0, "no")).score).toBe(0);
  });

  it.each([
    [0, "standard"],
    [9, "standard"],
    [10, "medium"],
    [13, "medium"],
    [14, "high"],
    [24, "high"],
  ] as const)("puts a score of %i in the %s band", (yes, band) => {
    expect(scoreDash(answers(yes)).band).toBe(band);
    expect(dashBandFor(yes)).toBe(band);
  });

  it("scores a partial draft and says it is incomplete", () => {
    const partial: DashAnswerMap = { q01_injured: { answer: "yes" }, q15_strangled: { answer: "yes", source: "police officer" } };
    expect(scoreDash(partial)).toEqual({ score: 2, answered: 2, complete: false, band: "standard" });
  });

  it("ignores keys that are not checklist questions and malformed answers", () => {
    const odd = { fears: { answer: "yes" }, q99_extra: { answer: "yes" }, q01_injured: { answer: "maybe" } } as unknown as DashAnswerMap;
    expect(scoreDash(odd)).toEqual({ score: 0, answered: 0, complete: false, band: "standard" });
    expect(scoreDash(null).answered).toBe(0);
  });
});

describe("effectiveRiskLevel", () => {
  it("raises the DASH band with professional judgement", () => {
    expect(effectiveRiskLevel({ dashBand: "standard", professionalJudgement: "high" })).toBe("high");
    expect(effectiveRiskLevel({ dashBand: "medium", professionalJudgement: "high" })).toBe("high");
  });

  it("never lowers the DASH band", () => {
    expect(effectiveRiskLevel({ dashBand: "high", professionalJudgement: "standard" })).toBe("high");
    expect(effectiveRiskLevel({ dashBand: "medium", professionalJudgement: "standard" })).toBe("medium");
  });

  it("treats the professional-judgement referral criterion as high risk", () => {
    expect(effectiveRiskLevel({ dashBand: "standard", professionalJudgement: true })).toBe("high");
    expect(effectiveRiskLevel({ dashBand: "medium", professionalJudgement: false })).toBe("medium");
    expect(effectiveRiskLevel({ dashBand: null, professionalJudgement: false })).toBeNull();
  });

  it("uses whichever is known, and null when neither is", () => {
    expect(effectiveRiskLevel({ dashBand: "medium" })).toBe("medium");
    expect(effectiveRiskLevel({ dashBand: null, professionalJudgement: "high" })).toBe("high");
    expect(effectiveRiskLevel({ dashBand: null, professionalJudgement: null })).toBeNull();
  });
});

describe("DashAnswersSchema (draft)", () => {
  it("accepts a blank checklist", () => {
    expect(DashAnswersSchema.parse({})).toEqual({});
    expect(DashAnswersSchema.parse(undefined)).toEqual({});
  });

  it("keeps answered questions, drops blank ones and trims sources", () => {
    const parsed = DashAnswersSchema.parse({
      q01_injured: { answer: "yes", source: "  Sister  " },
      q02_frightened: { answer: "" },
      q03_afraid_of: { answer: "dont_know", source: "" },
      q04_isolated: undefined,
    });
    expect(parsed).toEqual({ q01_injured: { answer: "yes", source: "Sister" }, q03_afraid_of: { answer: "dont_know" } });
  });

  it("strips keys that are not questions", () => {
    expect(DashAnswersSchema.parse({ q99_extra: { answer: "yes" }, q05_depressed: { answer: "no" } })).toEqual({
      q05_depressed: { answer: "no" },
    });
  });

  it("rejects an answer that is not yes, no or don't know with an i18n key", () => {
    const result = DashAnswersSchema.safeParse({ q01_injured: { answer: "maybe" } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ["q01_injured", "answer"], message: "cases:dash.errors.answerInvalid" });
  });

  it("rejects an over-long source or markup in it", () => {
    const long = DashAnswersSchema.safeParse({ q01_injured: { answer: "yes", source: "x".repeat(201) } });
    expect(long.error?.issues[0]?.message).toBe('errors.tooLong|{"max":200}');
    const markup = DashAnswersSchema.safeParse({ q01_injured: { answer: "yes", source: "<b>x</b>" } });
    expect(markup.error?.issues[0]?.message).toBe("errors.noMarkup");
  });
});

describe("DashAnswersCompleteSchema (submission)", () => {
  it("accepts all 24 answers and returns them in the stored shape", () => {
    const all = formPayload(Object.fromEntries(DASH_QUESTION_IDS.map((id, i) => [id, i % 3 === 0 ? "yes" : i % 3 === 1 ? "no" : "dont_know"])));
    const parsed = DashAnswersCompleteSchema.parse(all);
    expect(Object.keys(parsed)).toHaveLength(24);
    expect(scoreDash(parsed).score).toBe(8);
  });

  it("asks for every unanswered question, on its answer field", () => {
    const some = formPayload({ q01_injured: "yes", q02_frightened: "no" });
    some.q03_afraid_of = { answer: "" };
    const result = DashAnswersCompleteSchema.safeParse(some);
    expect(result.success).toBe(false);
    const issues = result.error!.issues;
    expect(issues).toHaveLength(22);
    expect(issues.every((i) => i.message === "cases:dash.errors.answerRequired")).toBe(true);
    expect(issues.map((i) => i.path.join("."))).toContain("q03_afraid_of.answer");
    expect(issues.map((i) => i.path.join("."))).toContain("q24_criminal_history.answer");
  });
});

describe("DashFearsSchema", () => {
  it("trims and defaults to an empty string", () => {
    expect(DashFearsSchema.parse("  kill me and the children ")).toBe("kill me and the children");
    expect(DashFearsSchema.parse(undefined)).toBe("");
  });

  it("limits length", () => {
    expect(DashFearsSchema.safeParse("x".repeat(2001)).success).toBe(false);
  });
});
