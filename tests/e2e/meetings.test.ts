import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractPdfPages } from "../support/pdf";
import { expectAccessible, launchBrowser, newContext, signIn, submitForm, visit } from "../support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function references(page: Page) {
  return page.locator("table.govuk-table tbody tr").evaluateAll((rows) => rows.map((r) => r.children[2]?.textContent?.trim() ?? ""));
}

describe("the coordinator's review and meetings", () => {
  it("accepts a referral from the review queue onto a meeting", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, "coordinator@llanfair.example");
    await visit(page, "/areas/llf/review");
    const queued = await page.locator("table.govuk-table tbody tr").count();
    expect(queued).toBeGreaterThan(0);
    const first = page.locator("table.govuk-table tbody tr th a").first();
    const reference = (await first.innerText()).trim();
    await first.click();
    await page.waitForURL(/\/areas\/llf\/review\/[0-9a-f-]{36}$/);
    await expectAccessible(page);
    await expect.poll(() => page.locator("h1").innerText()).toContain(reference);
    await submitForm(page, "Accept and list for the next meeting");
    await page.waitForURL("**/areas/llf/review");
    expect(await page.locator(".govuk-notification-banner").innerText()).toMatch(new RegExp(`${reference} accepted and listed for \\d{1,2} \\w+ \\d{4}`));
    await expectAccessible(page);
    expect(await page.locator("table.govuk-table tbody tr").count()).toBe(queued - 1);
    await context.close();
  });

  it("opens the next meeting, moves a case up, sets its minutes and downloads the case list", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, "coordinator@llanfair.example");
    await visit(page, "/areas/llf/meetings");
    await page.locator("table.govuk-table tbody tr th a").first().click();
    await page.waitForURL(/\/areas\/llf\/meetings\/[0-9a-f-]{36}$/);
    await expectAccessible(page);
    const meetingUrl = new URL(page.url()).pathname;

    const before = await references(page);
    expect(before.length).toBeGreaterThan(1);
    await submitForm(page, new RegExp(`^Move up ${before[1]}$`));
    await page.locator(".govuk-notification-banner", { hasText: "The case list has been reordered" }).waitFor({ timeout: 5000 });
    await expectAccessible(page);
    const after = await references(page);
    expect(after.slice(0, 2)).toEqual([before[1], before[0]]);

    await page.getByLabel(`Minutes ${after[0]}`, { exact: true }).fill("20");
    await submitForm(page, new RegExp(`^Set minutes ${after[0]}$`));
    await page.locator(".govuk-notification-banner", { hasText: "Planned minutes saved" }).waitFor({ timeout: 5000 }).catch(async () => {
      throw new Error(`no confirmation; the page says: ${await page.locator("main").innerText()}`);
    });
    await expectAccessible(page);
    expect(await page.getByLabel(`Minutes ${after[0]}`, { exact: true }).inputValue()).toBe("20");

    const href = await page.getByRole("link", { name: "Download the case list (PDF)" }).getAttribute("href");
    expect(href).toBe(`${meetingUrl}/agenda.pdf`);
    const pdf = await page.request.get(href!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    expect(pdf.headers()["content-disposition"]).toMatch(/^attachment; filename="LLF-agenda-\d{4}-\d{2}-\d{2}\.pdf"$/);
    const pages = await extractPdfPages(await pdf.body());
    const text = pages.join(" ").replace(/\s/g, "");
    for (const reference of after) expect(text).toContain(reference);
    for (const p of pages) expect(p).toContain("OFFICIAL-SENSITIVE");

    await page.getByRole("link", { name: "Reschedule or cancel this meeting" }).click();
    await page.waitForURL(`**${meetingUrl}/edit`);
    await expectAccessible(page);
    await context.close();
  });

  it("shows the panel home with the review count and the next meeting", async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    await signIn(page, "coordinator@llanfair.example");
    await visit(page, "/areas/llf");
    expect(await page.locator("main").innerText()).toMatch(/referrals? waiting for review/);
    expect(await page.locator("main").innerText()).toMatch(/Next meeting: /);
    await context.close();
  });
});
