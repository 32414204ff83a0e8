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
    const references = ["LLF-2026-0001", "LLF-2026-0002", "A \"quoted\" $& $1 1"];
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
      const agencies = ["Llanfair Police", "Health Board", "Children's Services & Early Help", "Tai $& $1 Housing"];
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

describe("the translators pages and emails use: lines with values and counts made from templates (finding 46)", () => {
  /** Every key of a namespace's resources, dotted, without plural suffixes, with the names of the values its texts fill in. */
  function linesOf(tree: Record<string, unknown>, prefix = "", out = new Map<string, Set<string>>()) {
    for (const [name, value] of Object.entries(tree)) {
      if (value && typeof value === "object") linesOf(value as Record<string, unknown>, `${prefix}${name}.`, out);
      else if (typeof value === "string") {
        const key = `${prefix}${name.replace(/_(zero|one|two|few|many|other)$/, "")}`;
        const names = out.get(key) ?? new Set<string>();
        for (const [, variable] of value.matchAll(/\{\{-?\s*([\w.]+)\s*\}\}/g)) names.add(variable);
        out.set(key, names);
      }
    }
    return out;
  }

  const counts = [0, 1, 2, 3, 4, 5, 6, 7, 11, 20, 100, 1000, 1.5];
  const texts = ["Siân Llŷr", "A \"quoted\" $& $1 {{count}} value", "LLF-2026-0001"];

  it("says what i18next says for every line of every namespace, in both languages, with every plural form", async () => {
    const { resources } = await import("~/i18n/resources");
    let compared = 0;
    for (const lang of ["en", "cy"] as const) {
      const instance = createI18n(lang);
      for (const [ns, tree] of Object.entries(resources.en)) {
        const t = instance.getFixedT(lang, ns) as unknown as PlainT;
        for (const [key, names] of linesOf(tree as Record<string, unknown>)) {
          if (names.size === 0) continue;
          for (let round = 0; round < 2; round++) {
            for (const [i, count] of counts.entries()) {
              const options: Record<string, unknown> = {};
              for (const name of names) options[name] = name === "count" ? count : i % 2 === 0 ? texts[i % texts.length] : count;
              // i18next itself, not through the app's translator.
              expect(t(key, options), `${lang} ${ns}:${key} ${JSON.stringify(options)}`).toBe(instance.t(key, { ...options, lng: lang, ns }));
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(2000);
  });

  it("asks i18next once for each line's template, whatever the values, and again for each plural form", () => {
    const instance = createI18n("cy");
    // A scope of its own (a key prefix), so that no earlier test has made its templates.
    const t = instance.getFixedT("cy", "actions", "tracker") as unknown as PlainT;
    // i18next's translator, which every question it is asked goes through (not in its public types).
    const { translator } = instance as unknown as { translator: { translate: (...args: unknown[]) => unknown } };
    const translate = vi.spyOn(translator, "translate");
    try {
      // What one question to i18next costs in calls to its translator.
      const expected = instance.t("tracker.carried", { count: 4, lng: "cy", ns: "actions" });
      const perQuestion = translate.mock.calls.length;
      expect(perQuestion).toBeGreaterThan(0);
      translate.mockClear();
      const first = [4, 5, 7, 8, 9, 10].map((count) => t("carried", { count }));
      // One form (Welsh "other") for all of these counts: asked once, then made from the template.
      expect(translate.mock.calls.length).toBe(perQuestion);
      expect([4, 5, 7, 8, 9, 10].map((count) => t("carried", { count }))).toEqual(first);
      expect(translate.mock.calls.length).toBe(perQuestion);
      expect(first[0]).toBe(expected);
      // Another plural form (Welsh "two") is another template.
      expect(t("carried", { count: 2 })).toBe(instance.t("tracker.carried", { count: 2, lng: "cy", ns: "actions" }));
      translate.mockClear();
      t("carried", { count: 2 });
      expect(translate.mock.calls.length).toBe(0);
      // Any other option, or a value with a placeholder in it, goes to i18next every time.
      t("carried", { count: 4, context: "male" });
      t("carried", { count: 4, context: "male" });
      expect(translate.mock.calls.length).toBe(2 * perQuestion);
      translate.mockClear();
      t("escalationsAll", { shown: "{{count}}", count: 4 });
      expect(translate.mock.calls.length).toBe(perQuestion);
    } finally {
      translate.mockRestore();
    }
  });
});
