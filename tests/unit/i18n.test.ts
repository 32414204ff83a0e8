import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createI18n, languageFromRequest } from "~/i18n/config";
import { namespaces } from "~/i18n/resources";

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
});
