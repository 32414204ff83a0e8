import { describe, expect, it } from "vitest";
import { domainOf, isAccreditedAddress, normaliseDomain } from "~/lib/secure-domains";
import { retryDelayMs } from "~/models/outbox.server";

describe("isAccreditedAddress", () => {
  it("accepts an address on a listed domain", () => {
    expect(isAccreditedAddress("marac@nhs.net", ["nhs.net"])).toBe(true);
    expect(isAccreditedAddress("marac@nhs.net", ["pnn.police.uk", "nhs.net"])).toBe(true);
  });

  it("accepts an address on a subdomain of a listed domain, at any depth", () => {
    expect(isAccreditedAddress("marac@wales.nhs.net", ["nhs.net"])).toBe(true);
    expect(isAccreditedAddress("marac@gwent.wales.pnn.police.uk", ["pnn.police.uk"])).toBe(true);
  });

  it("does not accept a domain that merely ends with the same letters", () => {
    expect(isAccreditedAddress("marac@evilnhs.net", ["nhs.net"])).toBe(false);
    expect(isAccreditedAddress("marac@wales.evilnhs.net", ["nhs.net"])).toBe(false);
    expect(isAccreditedAddress("marac@xpnn.police.uk", ["pnn.police.uk"])).toBe(false);
  });

  it("does not accept a domain that contains the listed one elsewhere", () => {
    expect(isAccreditedAddress("marac@nhs.net.example.com", ["nhs.net"])).toBe(false);
    expect(isAccreditedAddress("nhs.net@example.com", ["nhs.net"])).toBe(false);
    expect(isAccreditedAddress("marac@net", ["nhs.net"])).toBe(false);
  });

  it("does not accept a parent of a listed subdomain", () => {
    expect(isAccreditedAddress("marac@nhs.net", ["wales.nhs.net"])).toBe(false);
  });

  it("ignores case in the address and in the list", () => {
    expect(isAccreditedAddress("MARAC@Wales.NHS.Net", ["nhs.net"])).toBe(true);
    expect(isAccreditedAddress("marac@wales.nhs.net", ["NHS.NET"])).toBe(true);
  });

  it("reads list entries written with a leading dot, @, *. and surrounding spaces", () => {
    for (const entry of [".nhs.net", "@nhs.net", "*.nhs.net", "  nhs.net  ", "nhs.net."]) {
      expect(isAccreditedAddress("marac@nhs.net", [entry]), entry).toBe(true);
      expect(isAccreditedAddress("marac@wales.nhs.net", [entry]), entry).toBe(true);
      expect(isAccreditedAddress("marac@evilnhs.net", [entry]), entry).toBe(false);
    }
  });

  it("accredits nothing with an empty list, or with list entries that are empty once normalised", () => {
    expect(isAccreditedAddress("marac@nhs.net", [])).toBe(false);
    expect(isAccreditedAddress("marac@nhs.net", [""])).toBe(false);
    expect(isAccreditedAddress("marac@nhs.net", ["  ", "*.", "@", "."])).toBe(false);
  });

  it("does not accredit malformed addresses", () => {
    for (const address of ["", "nhs.net", "marac", "marac@", "@", "   "]) {
      expect(isAccreditedAddress(address, ["nhs.net"]), JSON.stringify(address)).toBe(false);
    }
  });

  it("does not accredit a domain-part that is not a plain host name", () => {
    for (const address of ["marac@.nhs.net", "marac@*.nhs.net", "marac@@nhs.net", "@nhs.net", "marac@nhs..net", "marac@nhs.net>"]) {
      expect(isAccreditedAddress(address, ["nhs.net"]), address).toBe(false);
    }
  });

  it("does not accredit a string that names more than one recipient, whatever the last one is", () => {
    // The mail library would send to every one of them.
    for (const address of [
      "someone@gmail.example, marac@nhs.net",
      "someone@gmail.example;marac@nhs.net",
      "someone@gmail.example marac@nhs.net",
      "Team <someone@gmail.example>, marac@nhs.net",
      "someone@gmail.example <marac@nhs.net>",
    ]) {
      expect(isAccreditedAddress(address, ["nhs.net"]), address).toBe(false);
    }
  });

  it("reads the address in angle brackets with a display name", () => {
    expect(isAccreditedAddress("MARAC team <marac@wales.nhs.net>", ["nhs.net"])).toBe(true);
    expect(isAccreditedAddress("MARAC team <marac@evilnhs.net>", ["nhs.net"])).toBe(false);
  });
});

describe("normaliseDomain and domainOf", () => {
  it("lower-cases and strips the decorations a coordinator may type", () => {
    expect(normaliseDomain(" *.NHS.net. ")).toBe("nhs.net");
    expect(normaliseDomain("@pnn.police.uk")).toBe("pnn.police.uk");
    expect(domainOf("Marac@Wales.NHS.net")).toBe("wales.nhs.net");
    expect(domainOf("no-at-sign")).toBe("");
  });
});

describe("retryDelayMs", () => {
  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;

  it("waits the base delay after the first attempt and doubles after each further one", () => {
    expect(retryDelayMs(1, MINUTE)).toBe(MINUTE);
    expect(retryDelayMs(2, MINUTE)).toBe(2 * MINUTE);
    expect(retryDelayMs(3, MINUTE)).toBe(4 * MINUTE);
    expect(retryDelayMs(4, MINUTE)).toBe(8 * MINUTE);
    expect(retryDelayMs(6, MINUTE)).toBe(32 * MINUTE);
  });

  it("never waits longer than an hour", () => {
    expect(retryDelayMs(7, MINUTE)).toBe(HOUR);
    expect(retryDelayMs(8, MINUTE)).toBe(HOUR);
    expect(retryDelayMs(50, MINUTE)).toBe(HOUR);
    expect(retryDelayMs(1, 2 * HOUR)).toBe(HOUR);
    expect(retryDelayMs(2000, MINUTE)).toBe(HOUR);
  });

  it("treats zero attempts like the first and a zero base as no wait", () => {
    expect(retryDelayMs(0, MINUTE)).toBe(MINUTE);
    expect(retryDelayMs(5, 0)).toBe(0);
  });

  it("is non-decreasing in the number of attempts", () => {
    let previous = 0;
    for (let attempts = 1; attempts <= 60; attempts++) {
      const delay = retryDelayMs(attempts, 1000);
      expect(delay).toBeGreaterThanOrEqual(previous);
      expect(delay).toBeLessThanOrEqual(HOUR);
      previous = delay;
    }
  });
});

describe("agency email plain text", () => {
  it("carries every line of the HTML version's content, in order, with its links", async () => {
    const { agencyUpdateText } = await import("#emails/agency-update");
    const text = agencyUpdateText({
      lang: "en",
      preview: "p",
      heading: "Update for Police",
      intro: ["The next meeting is on Thursday 3 December 2026."],
      sections: [
        { heading: "Overdue actions (1)", items: [{ text: "LLF-2026-0007 (J.S.) Check bail.", href: "http://x/areas/llf/actions/1", linkText: "Update this action" }] },
        { heading: "Your deadlines", items: [{ text: "Research returns due by Wednesday 2 December 2026" }] },
      ],
      button: { text: "Sign in", href: "http://x/areas/llf/actions" },
      footer: "Do not reply.",
    });
    expect(text).toBe(
      [
        "Panel",
        "",
        "Update for Police",
        "",
        "The next meeting is on Thursday 3 December 2026.",
        "",
        "Overdue actions (1)",
        "",
        "• LLF-2026-0007 (J.S.) Check bail.",
        "  Update this action: http://x/areas/llf/actions/1",
        "",
        "Your deadlines",
        "",
        "• Research returns due by Wednesday 2 December 2026",
        "",
        "Sign in: http://x/areas/llf/actions",
        "",
        "----------------------------------------",
        "",
        "Do not reply.",
        "",
      ].join("\n"),
    );
  });
});
