import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, newContext, signIn, submitForm, visit } from "../support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("signing in", () => {
  it("sends a signed-out visitor to sign-in, then back to the page they wanted", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await visit(page, "/areas/llf/admin");
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(new URL(page.url()).searchParams.get("redirectTo")).toBe("/areas/llf/admin");
    await expect.poll(() => page.locator("h1").innerText()).toBe("Sign in to Panel");
    await page.getByLabel("Email address").fill("admin@llanfair.example");
    await page.getByLabel("Password", { exact: true }).fill("demo-panel-2026");
    await submitForm(page, "Sign in");
    await page.waitForURL("**/areas/llf/admin");
    await expectAccessible(page);
    await context.close();
  });

  it("shows an error summary for a wrong password, without JavaScript", async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    await signIn(page, "chair@llanfair.example", "not-the-password");
    expect(await page.locator(".govuk-error-summary").innerText()).toContain("Enter a correct email address and password");
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await context.close();
  });

  it("shows field errors for an empty form", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await visit(page, "/sign-in");
    // Checked in the browser before anything is sent.
    await page.getByRole("button", { name: "Sign in" }).click();
    const summary = page.locator(".govuk-error-summary");
    await summary.waitFor();
    expect(await summary.innerText()).toContain("Enter an email address");
    expect(await page.locator("#sign-in-password-error").innerText()).toContain("Enter your password");
    await expectAccessible(page);
    await context.close();
  });

  it("locks the account after repeated failures and says so", async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    for (let i = 0; i < 4; i++) await signIn(page, "probation@llanfair.example", `wrong-${i}`, { check: false });
    await signIn(page, "probation@llanfair.example", "wrong-4");
    expect(await page.locator(".govuk-error-summary").innerText()).toMatch(/Your account is locked after too many failed attempts\. Try again in 1[45] minutes/);
    await signIn(page, "probation@llanfair.example", undefined, { check: false });
    expect(await page.locator(".govuk-error-summary").innerText()).toContain("Your account is locked");
    await context.close();
  });

  it("signs in, shows the panel home by role, and signs out", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, "idva@llanfair.example");
    await page.waitForURL("**/areas/llf");
    await expect.poll(() => page.locator("h1").innerText()).toBe("Llanfair MARAC");
    expect(await page.locator(".govuk-caption-l").innerText()).toBe("IDVA");
    await submitForm(page, "Sign out");
    await page.waitForURL("**/sign-in");
    await expectAccessible(page);
    await visit(page, "/areas/llf");
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await context.close();
  });

  it("answers /healthz with the database status and sends security headers", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const res = await page.goto("/healthz");
    expect(await res!.json()).toMatchObject({ status: "ok", database: "ok" });
    const signInPage = await page.goto("/sign-in");
    const headers = signInPage!.headers();
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["referrer-policy"]).toBe("no-referrer");
    await context.close();
  });

  it("serves robots.txt from the build's files beside the assets, and a page path is never taken for a file", async () => {
    const context = await newContext(browser);
    const robots = await context.request.get("/robots.txt");
    expect(robots.status()).toBe(200);
    expect(await robots.text()).toBe("User-agent: *\nDisallow: /\n");
    expect(robots.headers()["content-type"]).toMatch(/^text\/plain/);
    // Only the files that are there are served from disk; anything else is the app's: sign-in first, then its 404 page.
    const missing = await context.request.get("/robots.txt.bak", { maxRedirects: 0 });
    expect(missing.status()).toBe(302);
    expect(missing.headers()["location"]).toBe("/sign-in?redirectTo=%2Frobots.txt.bak");
    await context.close();
  });
});
