import { generateTOTP } from "@oslojs/otp";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { describe, expect, it } from "vitest";
import {
  enrolmentDetails,
  formatKeyForManualEntry,
  generateRecoveryCode,
  generateRecoveryCodes,
  hashRecoveryCode,
  matchTotpStep,
  normaliseRecoveryCode,
  totpStep,
} from "~/models/auth/two-factor.server";
import { withConfirmation } from "~/routes/account.password/schema";
import { RecoveryCodeSchema } from "~/routes/sign-in.recovery-code/schema";
import { TwoFactorCodeSchema } from "~/routes/sign-in.two-factor/schema";

const key = new Uint8Array(Array.from({ length: 20 }, (_, i) => i * 7 + 3));

describe("recovery codes", () => {
  it("look like xxxx-xxxx-xxxx in lower case without 0, 1, l or o", () => {
    for (let i = 0; i < 200; i++) {
      const code = generateRecoveryCode();
      expect(code).toMatch(/^[a-km-np-z2-9]{4}-[a-km-np-z2-9]{4}-[a-km-np-z2-9]{4}$/);
    }
  });

  it("come ten at a time, all different", () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(new Set([...codes, ...generateRecoveryCodes()]).size).toBe(20);
  });

  it("match however they are typed (case, spaces, hyphens) and hash to sha256 hex", () => {
    expect(normaliseRecoveryCode(" K7QM-2xhd 9TVW ")).toBe("k7qm2xhd9tvw");
    expect(hashRecoveryCode("k7qm-2xhd-9tvw")).toBe(hashRecoveryCode("K7QM 2XHD 9TVW"));
    expect(hashRecoveryCode("k7qm-2xhd-9tvw")).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode("k7qm-2xhd-9tvw")).not.toBe(hashRecoveryCode("k7qm-2xhd-9tvx"));
  });
});

describe("TOTP helpers", () => {
  it("shows the key as base32 in groups of four that decode back to the key", () => {
    const text = formatKeyForManualEntry(key);
    expect(text).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    expect(decodeBase32IgnorePadding(text.replace(/ /g, ""))).toEqual(key);
  });

  it("builds an otpauth URI for Panel with 30-second, 6-digit codes", () => {
    const { uri, keyText } = enrolmentDetails(key, "a@example.org");
    expect(uri).toMatch(/^otpauth:\/\/totp\/Panel:a%40example\.org\?/);
    const params = new URL(uri).searchParams;
    expect(params.get("issuer")).toBe("Panel");
    expect(params.get("period")).toBe("30");
    expect(params.get("digits")).toBe("6");
    expect(params.get("secret")).toBe(keyText.replace(/ /g, ""));
  });

  it("finds the time step of the current code and of the neighbouring steps only", () => {
    const now = Date.now();
    expect(matchTotpStep(key, generateTOTP(key, 30, 6), now)).toBe(totpStep(now));
    const stepMs = 30_000;
    // A code from the previous step is accepted (clock drift), one from two steps ago is not.
    const previous = matchTotpStep(key, codeAt(now - stepMs), now);
    expect(previous).toBe(totpStep(now) - 1);
    expect(matchTotpStep(key, codeAt(now - 3 * stepMs), now)).toBeNull();
    expect(matchTotpStep(key, "abcdef", now)).toBeNull();
    expect(matchTotpStep(key, "1234567", now)).toBeNull();
  });
});

function codeAt(ms: number) {
  const realNow = Date.now;
  Date.now = () => ms;
  try {
    return generateTOTP(key, 30, 6);
  } finally {
    Date.now = realNow;
  }
}

describe("form schemas", () => {
  const errorsOf = (result: { success: boolean; error?: { issues: { path: (string | number)[]; message: string }[] } }) =>
    result.success ? [] : result.error!.issues.map((i) => `${i.path.join(".")}:${i.message}`);

  it("accepts a 6-digit code with spaces typed in and refuses anything else", () => {
    expect(TwoFactorCodeSchema.parse({ code: " 123 456 " }).code).toBe("123456");
    expect(errorsOf(TwoFactorCodeSchema.safeParse({ code: "12345a" }))).toEqual(["code:auth:errors.codeFormat"]);
    expect(errorsOf(TwoFactorCodeSchema.safeParse({ code: "1234567" }))).toEqual(["code:auth:errors.codeFormat"]);
    expect(errorsOf(TwoFactorCodeSchema.safeParse({}))).toEqual(["code:auth:errors.codeRequired"]);
  });

  it("accepts recovery codes with or without hyphens and refuses markup", () => {
    expect(RecoveryCodeSchema.safeParse({ code: "K7QM2XHD9TVW" }).success).toBe(true);
    expect(RecoveryCodeSchema.safeParse({ code: "k7qm-2xhd-9tvw" }).success).toBe(true);
    expect(errorsOf(RecoveryCodeSchema.safeParse({ code: "<b>k7qm</b>" }))).toEqual(["code:auth:errors.recoveryCodeFormat"]);
  });

  it("wants new passwords of 12 to 256 characters, confirmed", () => {
    const schema = withConfirmation({});
    expect(schema.safeParse({ password: "a".repeat(12), confirmPassword: "a".repeat(12) }).success).toBe(true);
    expect(errorsOf(schema.safeParse({ password: "short", confirmPassword: "short" }))).toEqual(["password:auth:errors.passwordTooShort"]);
    expect(errorsOf(schema.safeParse({ password: "a".repeat(257), confirmPassword: "a".repeat(257) }))).toEqual([
      "password:auth:errors.passwordTooLong",
    ]);
    expect(errorsOf(schema.safeParse({ password: "a".repeat(12), confirmPassword: "b".repeat(12) }))).toEqual([
      "confirmPassword:auth:errors.passwordsDiffer",
    ]);
  });
});

describe("form schemas with blank input", () => {
  it("gives one message, not two, for a code of only spaces", () => {
    const code = TwoFactorCodeSchema.safeParse({ code: "   " });
    expect(code.success ? [] : code.error.issues.map((i) => i.message)).toEqual(["auth:errors.codeRequired"]);
    const recovery = RecoveryCodeSchema.safeParse({ code: "   " });
    expect(recovery.success ? [] : recovery.error.issues.map((i) => i.message)).toEqual(["auth:errors.recoveryCodeRequired"]);
  });
});
