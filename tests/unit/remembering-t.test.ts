import { describe, expect, it, vi } from "vitest";
import { createI18n } from "~/i18n/config";
import { rememberingT, type PlainT } from "~/i18n/remembering-t";
import { mailT, type MailT } from "~/models/mail/agency-mail.server";

const calls: [string, Record<string, unknown>?][] = [
  ["digest.more", { count: 1 }],
  ["digest.more", { count: 4 }],
  ["digest.researchNone", { reference: "LLF-2026-0001" }],
  ["digest.researchNone", { reference: "LLF-2026-0002" }],
  ["digest.researchDraft", { reference: "LLF-2026-0001" }],
  ["digest.signIn"],
];

describe("rememberingT (one batch of emails)", () => {
  it("says what mailT says, and asks i18next once for each key with the same options", () => {
    const plain = mailT();
    const asked = vi.fn<MailT>((key, options) => plain(key, options));
    const t = rememberingT(asked);
    for (let round = 0; round < 3; round++) {
      for (const [key, options] of calls) expect(t(key, options)).toBe(plain(key, options));
    }
    expect(t("digest.researchNone", { reference: "LLF-2026-0002" })).toBe("LLF-2026-0002: not started");
    expect(t("digest.more", { count: 4 })).toBe("and 4 more");
    // Once for each count (a count chooses the plural), once for each key that only fills in a reference.
    expect(asked).toHaveBeenCalledTimes(5);
  });

  it("fills values into each line's text, asked of i18next once per key, as i18next would", () => {
    const plain = mailT();
    const asked = vi.fn<MailT>((key, options) => plain(key, options));
    const t = rememberingT(asked);
    const dates = ["Thursday, 22 June 2017", "Monday, 1 January 2024", "Friday, 4 December 2026"];
    const references = ["LLF-2026-0001", "LLF-2026-0002", "A \"quoted\" $& {{reference}} 1"];
    for (const date of dates) {
      expect(t("digest.dueOn", { date })).toBe(plain("digest.dueOn", { date }));
      expect(t("digest.completedOn", { date })).toBe(plain("digest.completedOn", { date }));
    }
    for (const reference of references) expect(t("digest.researchNone", { reference })).toBe(plain("digest.researchNone", { reference }));
    expect(t("digest.dueOn", { date: dates[0] })).toMatch(/22 June 2017/);
    expect(asked).toHaveBeenCalledTimes(3);
  });

  it("asks i18next for the value itself when a line does not show it as given", () => {
    const asked = vi.fn<MailT>((key, options) => `${key}: ${String(options?.name ?? "").length} letters`);
    const t = rememberingT(asked);
    expect(t("x", { name: "Ann" })).toBe("x: 3 letters");
    expect(t("x", { name: "Bethan" })).toBe("x: 6 letters");
    expect(t("x", { name: "Bethan" })).toBe("x: 6 letters");
    // The template was tried once; then each value was asked for once.
    expect(asked).toHaveBeenCalledTimes(3);
  });

  it("asks every time when an option is not a plain value, and a new batch remembers nothing", () => {
    const plain = mailT();
    const asked = vi.fn<MailT>((key, options) => plain(key, options));
    const t = rememberingT(asked);
    const withObject = { reference: "LLF-2026-0003", context: { any: "thing" } };
    t("digest.researchNone", withObject);
    t("digest.researchNone", withObject);
    expect(asked).toHaveBeenCalledTimes(2);
    t("digest.signIn");
    rememberingT(asked)("digest.signIn");
    expect(asked).toHaveBeenCalledTimes(4);
  });

  it("gives a page's grid the same labels as i18next in both languages, asking once for the line that names an agency and a state", () => {
    for (const lang of ["en", "cy"] as const) {
      const plain = createI18n(lang).getFixedT(lang, "contact") as unknown as PlainT;
      const asked = vi.fn<PlainT>((key, options) => plain(key, options));
      const label = rememberingT(asked);
      const agencies = ["Llanfair Police", "Health Board", "Children's Services & Early Help", "Tai $& {{agency}} Housing"];
      const states = ["none", "draft", "submitted", "late", "nothing_held"];
      for (let row = 0; row < 16; row++) {
        for (const agency of agencies) {
          for (const state of states) {
            const stateText = label(`readiness.research.${state}`);
            expect(stateText).toBe(plain(`readiness.research.${state}`));
            expect(label("readiness.researchFull", { agency, state: stateText })).toBe(plain("readiness.researchFull", { agency, state: stateText }));
          }
        }
      }
      expect(label("readiness.researchFull", { agency: "Llanfair Police", state: label("readiness.research.submitted") })).toBe(lang === "en" ? "Llanfair Police research: submitted" : plain("readiness.researchFull", { agency: "Llanfair Police", state: plain("readiness.research.submitted") }));
      // 16 rows × 4 agencies × 5 states: one question for each state's text, one for the line's template.
      expect(asked).toHaveBeenCalledTimes(states.length + 1);
    }
  });
});
