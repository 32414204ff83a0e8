import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, linkFromLatestEmail, newContext, signIn, submitForm, visit } from "../support/browser";

const EMAIL = "children@llanfair.example";
const NEW_PASSWORD = "kettle orchard lantern 42";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("resetting a forgotten password", () => {
  it("emails a link that sets a new password once, then signs in with it", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await visit(page, "/sign-in");
    await page.getByRole("link", { name: "Forgotten your password?" }).click();
    await page.waitForURL("**/password/forgot");
    await expectAccessible(page);

    // Bad input first: the error summary.
    await page.getByLabel("Email address").fill("not-an-email");
    await page.getByRole("button", { name: "Send the link" }).click();
    await page.locator(".govuk-error-summary").waitFor();
    expect(await page.locator(".govuk-error-summary").innerText()).toContain("Enter an email address in the correct format");
    await expectAccessible(page);

    await page.getByLabel("Email address").fill(EMAIL);
    await submitForm(page, "Send the link");
    await page.waitForURL("**/password/forgot?sent=1");
    await expectAccessible(page);
    await expect.poll(() => page.locator("h1").innerText()).toBe("Check your email");

    const link = await linkFromLatestEmail(EMAIL);
    expect(link).toMatch(/^\/password\/reset\/[a-z2-7]{32}$/);
    await visit(page, link);
    await expect.poll(() => page.locator("h1").innerText()).toBe("Choose a new password");
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("Confirm new password").fill("something different");
    // Checked in the browser before anything is sent.
    await page.getByRole("button", { name: "Save new password" }).click();
    await page.locator(".govuk-error-summary").waitFor();
    expect(await page.locator(".govuk-error-summary").innerText()).toContain("The passwords do not match");
    await expectAccessible(page);

    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("Confirm new password").fill(NEW_PASSWORD);
    await submitForm(page, "Save new password");
    await page.waitForURL("**/sign-in");
    await expectAccessible(page);
    expect(await page.locator(".govuk-notification-banner").innerText()).toContain("Your password has been changed");

    // The link is spent.
    await visit(page, link);
    await expect.poll(() => page.locator("h1").innerText()).toBe("This link has expired");

    await signIn(page, EMAIL, "demo-panel-2026", { check: false });
    expect(await page.locator(".govuk-error-summary").innerText()).toContain("Enter a correct email address and password");
    await signIn(page, EMAIL, NEW_PASSWORD);
    await page.waitForURL("**/areas/llf");
    await expectAccessible(page);
    await context.close();
  });
});
