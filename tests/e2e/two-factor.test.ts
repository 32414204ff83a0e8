import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP, generateTOTP } from "@oslojs/otp";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, newContext, signIn, submitForm, visit } from "../support/browser";

const EMAIL = "housing@llanfair.example";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The code for the current 30-second step plus `offset`; the server accepts one step either side. */
function codeAt(key: Uint8Array, offset: number) {
  return generateHOTP(key, BigInt(Math.floor(Date.now() / 30_000) + offset), 6);
}

async function enterCode(page: Page, code: string) {
  await page.getByLabel("Security code").fill(code);
  await submitForm(page, "Continue");
}

describe("two-factor authentication", () => {
  let key: Uint8Array;
  let recoveryCodes: string[];

  it("is set up from the account page, shows recovery codes once, and is asked for at the next sign-in", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, EMAIL);
    await page.waitForURL("**/areas/llf");

    await visit(page, "/account");
    await expect.poll(() => page.locator("h1").innerText()).toBe("Your account");
    expect(await page.locator("main").innerText()).toContain("Llanfair MARAC");
    await page.getByRole("link", { name: "Set up two-factor authentication" }).click();
    await page.waitForURL("**/account/two-factor/setup");
    await expectAccessible(page);
    expect(await page.locator(".panel-qr svg").count()).toBe(1);
    const keyText = (await page.locator("#two-factor-key").textContent())!.trim();
    expect(keyText).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    key = decodeBase32IgnorePadding(keyText.replace(/ /g, ""));
    const codeField = page.getByLabel("Security code");
    expect(await codeField.getAttribute("autocomplete")).toBe("one-time-code");
    expect(await codeField.getAttribute("inputmode")).toBe("numeric");
    await codeField.fill(generateTOTP(key, 30, 6));
    await submitForm(page, "Turn on two-factor authentication");
    await page.waitForURL("**/account/two-factor/recovery-codes?from=setup");
    await expectAccessible(page);
    expect(await page.locator(".govuk-warning-text").innerText()).toContain("You will not see them again");
    recoveryCodes = await page.locator("#recovery-codes li").allInnerTexts();
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);

    // Shown once: loading the page again shows no codes.
    await visit(page, "/account/two-factor/recovery-codes");
    expect(await page.locator("#recovery-codes").count()).toBe(0);

    await submitForm(page, "Sign out");
    await page.waitForURL("**/sign-in");
    await signIn(page, EMAIL);
    await page.waitForURL("**/sign-in/two-factor");
    await expect.poll(() => page.locator("h1").innerText()).toBe("Enter your security code");
    // The code from enrolment's step cannot be used again; the next step's can.
    await enterCode(page, codeAt(key, 1));
    await page.waitForURL("**/areas/llf");
    await expectAccessible(page);
    await expect.poll(() => page.locator("h1").innerText()).toBe("Llanfair MARAC");
    await context.close();
  });

  it("shows an error summary for a wrong code (without JavaScript), and takes a recovery code instead", async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    await signIn(page, EMAIL);
    await page.waitForURL("**/sign-in/two-factor");
    const right = codeAt(key, 0);
    await enterCode(page, right === "000000" ? "000001" : String((Number(right) + 1) % 1_000_000).padStart(6, "0"));
    await expectAccessible(page);
    const summary = page.locator(".govuk-error-summary");
    expect(await summary.innerText()).toContain("The security code is not correct");
    expect(await page.locator("#two-factor-code-error").innerText()).toContain("The security code is not correct");

    await enterCode(page, "12ab");
    expect(await summary.innerText()).toContain("The security code must be 6 digits");
    await expectAccessible(page);

    await page.getByRole("link", { name: "Use a recovery code instead" }).click();
    await page.waitForURL("**/sign-in/recovery-code");
    await expectAccessible(page);
    await page.getByLabel("Recovery code").fill(recoveryCodes[0]);
    await submitForm(page, "Continue");
    await page.waitForURL("**/areas/llf");
    await expectAccessible(page);
    expect(await page.locator(".govuk-notification-banner").innerText()).toContain("You have 9 left");

    await visit(page, "/account");
    expect(await page.locator("main").innerText()).toMatch(/Recovery codes left\s+9/);
    await context.close();
  });
});
