import { describe, expect, it, vi } from "vitest";
import { mailT, rememberingT, type MailT } from "~/models/mail/agency-mail.server";

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
    expect(asked).toHaveBeenCalledTimes(calls.length);
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
});
