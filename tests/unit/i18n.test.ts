import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import i18next from "i18next";
import { describe, expect, it, vi } from "vitest";
import { createI18n, languageFromRequest } from "~/i18n/config";
import { namespaces, resources } from "~/i18n/resources";

describe("i18n", () => {
  it("loads English and Welsh, falling back to English for missing Welsh strings", () => {
    const en = createI18n("en");
    const cy = createI18n("cy");
    expect(en.t("nav.signOut")).toBe("Sign out");
    expect(cy.language).toBe("cy");
    expect(cy.t("nav.signOut")).toBe("Sign out");
    expect(en.t("auth:signIn.title")).toBe("Sign in to Panel");
  });

  it("registers every locale file as a namespace in both languages", () => {
    for (const lang of ["en", "cy"]) {
      const files = readdirSync(path.join("app/i18n/locales", lang)).map((f) => f.replace(/\.json$/, ""));
      expect(files.sort()).toEqual([...namespaces].sort());
      for (const f of files) expect(() => JSON.parse(readFileSync(path.join("app/i18n/locales", lang, `${f}.json`), "utf8"))).not.toThrow();
    }
  });

  it("reads the language from the lng cookie and ignores unknown values", () => {
    expect(languageFromRequest(new Request("http://x/", { headers: { Cookie: "a=b; lng=cy" } }))).toBe("cy");
    expect(languageFromRequest(new Request("http://x/", { headers: { Cookie: "lng=fr" } }))).toBe("en");
    expect(languageFromRequest(new Request("http://x/"))).toBe("en");
  });

  describe("getFixedT remembers plain translations", () => {
    const leafKeys = (tree: Record<string, unknown>, prefix = ""): string[] =>
      Object.entries(tree).flatMap(([k, v]) => (v && typeof v === "object" ? leafKeys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
    const plain = i18next.createInstance();
    void plain.init({ lng: "en", fallbackLng: "en", ns: [...namespaces], defaultNS: "common", fallbackNS: "common", resources, initAsync: false, interpolation: { escapeValue: false } } as Parameters<typeof plain.init>[0]);

    it("gives every key of every namespace the text plain i18next gives, asked once and asked again", () => {
      let checked = 0;
      for (const ns of namespaces) {
        const t = createI18n("en").getFixedT("en", ns);
        for (const key of leafKeys(resources.en[ns] as Record<string, unknown>).filter((k) => !/_(one|other|zero|two|few|many)$/.test(k))) {
          const expected = plain.t(key, { ns });
          expect(t(key)).toBe(expected);
          expect(t(key)).toBe(expected);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(500);
    });

    it("asks i18next once for a plain key, and every time for a call with options (counts, values)", () => {
      const i18n = createI18n("en");
      // A scope (key prefix) the test above has not used, so nothing is remembered yet.
      const t = i18n.getFixedT("en", "actions", "paging");
      const spy = vi.spyOn(i18n, "t");
      try {
        const first = t("label");
        expect(t("label")).toBe(first);
        expect(first).toBe(plain.t("paging.label", { ns: "actions" }));
        expect(spy).toHaveBeenCalledTimes(1);
        expect(t("showing", { from: 1, to: 1, count: 1 })).toBe("Showing 1 to 1 of 1 action");
        expect(t("showing", { from: 1, to: 100, count: 250 })).toBe("Showing 1 to 100 of 250 actions");
        expect(spy).toHaveBeenCalledTimes(3);
      } finally {
        spy.mockRestore();
      }
    });

    it("keeps a key prefix, a namespace and a language apart", () => {
      const invitation = createI18n("en").getFixedT("en", "admin", "invitationEmail");
      expect(invitation("subject")).toBe("You have been invited to Panel");
      expect(createI18n("en").getFixedT("en", "admin")("subject")).toBe(plain.t("subject", { ns: "admin" }));
      expect(createI18n("en").getFixedT("en", "common")("nav.signOut")).toBe("Sign out");
      expect(createI18n("cy").getFixedT("cy", "common")("nav.signOut")).toBe(plain.t("nav.signOut", { ns: "common" }));
      expect((createI18n("cy").getFixedT("cy", "common") as unknown as { lng: string }).lng).toBe("cy");
    });
  });
});
