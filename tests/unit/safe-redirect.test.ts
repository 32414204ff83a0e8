import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/lib/safe-redirect";

describe("safeRedirect", () => {
  it("keeps same-site paths", () => {
    expect(safeRedirect("/areas/llf?x=1")).toBe("/areas/llf?x=1");
  });
  it.each(["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)", "", null, undefined])(
    "refuses %s",
    (to) => {
      expect(safeRedirect(to as string, "/home")).toBe("/home");
    },
  );
});
