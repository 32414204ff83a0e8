import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, expectAccessible, launchBrowser, newContext, visit } from "../support/browser";

// The axe check every e2e test relies on must itself be able to fail.
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const BROKEN = `<!doctype html><html><head><title>Broken</title></head><body>
<main><h1>Broken</h1><img src="/x.png"><label>Name <input id="a"></label><input id="b" type="text">
<p style="color:#bbb;background:#fff">Pale text</p></main></body></html>`;

describe("the accessibility check", () => {
  it("names each WCAG violation on a page with JavaScript", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.setContent(BROKEN);
    const violations = (await accessibilityViolations(page)).join("\n");
    expect(violations).toMatch(/^image-alt: /m);
    expect(violations).toMatch(/^html-has-lang: /m);
    expect(violations).toMatch(/^color-contrast: /m);
    expect(violations).toMatch(/^label: .*#b\)/m);
    await expect(expectAccessible(page)).rejects.toThrow(/axe violations/);
    await context.close();
  });

  it("checks what a page without JavaScript shows, and passes a page of the app", async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    await visit(page, "/sign-in");
    expect(await page.locator("h1").innerText()).toBe("Sign in to Panel");
    await page.setContent(BROKEN);
    expect((await accessibilityViolations(page)).join("\n")).toMatch(/^image-alt: /m);
    await context.close();
  });
});
