import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resources } from "~/i18n/resources";

const en = resources.en as Record<string, Record<string, unknown>>;

function has(ns: string, key: string): boolean {
  let node: unknown = en[ns];
  for (const part of key.split(".")) {
    if (node && typeof node === "object" && part in (node as Record<string, unknown>)) node = (node as Record<string, unknown>)[part];
    else {
      // Plural forms: "x" exists when "x_one"/"x_other" do.
      const parent = node as Record<string, unknown> | undefined;
      return Boolean(parent && typeof parent === "object" && (`${part}_one` in parent || `${part}_other` in parent));
    }
  }
  return typeof node === "string";
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(tsx?|ts)$/.test(f) ? [p] : [];
  });
}

/**
 * Every literal key passed to t() in the app exists in English, so no page
 * shows a raw key. Keys are looked up in the namespace the file asks for
 * (useTranslation("ns")), "ns:key" prefixes, and common as the fallback.
 */
describe("translation keys", () => {
  const sources = files("app").filter((f) => !f.includes(`${path.sep}i18n${path.sep}`));
  it("finds the app's sources", () => expect(sources.length).toBeGreaterThan(50));

  it("has an English string for every literal key used with t()", () => {
    const missing: string[] = [];
    for (const file of sources) {
      const text = readFileSync(file, "utf8");
      const namespaces = [...text.matchAll(/useTranslation\(\s*"([a-zA-Z]+)"/g)].map((m) => m[1]);
      // Server-side translators: getFixedT(lang, "ns") or getFixedT(lang, "ns", "prefix").
      const fixed = [...text.matchAll(/getFixedT\([^,]+,\s*"([a-zA-Z]+)"(?:,\s*"([a-zA-Z.]+)")?/g)];
      namespaces.push(...fixed.filter((m) => !m[2]).map((m) => m[1]));
      // Email builders translate with mailT(), bound to the mail namespace.
      if (/\bmailT\(/.test(text)) namespaces.push("mail");
      for (const m of text.matchAll(/\bt\(\s*"([a-zA-Z0-9_.:-]+)"/g)) {
        const raw = m[1];
        if (!raw.includes(".") && !raw.includes(":")) continue; // not a key path
        const [ns, key] = raw.includes(":") ? raw.split(":") : [null, raw];
        const candidates = ns ? [ns] : [...namespaces, "common"];
        if (!candidates.some((n) => has(n, key))) missing.push(`${file}: ${raw}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
