import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, newContext, signIn, visit } from "../support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

// Completing an action needs a held meeting, which only the meeting-room flow makes in the
// e2e database; that flow is covered by tests/integration/action-pages.test.ts and
// tests/integration/tracker-and-minutes.test.ts. Here: the pages themselves, in a real browser.
describe("after the meeting", () => {
  it("lets the chair filter the action tracker without JavaScript and download it as CSV", async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    await signIn(page, "chair@llanfair.example");
    await page.getByRole("link", { name: "Action tracker" }).click();
    await page.waitForURL("**/areas/llf/tracker");
    await expectAccessible(page);
    await expect.poll(() => page.locator("h1").innerText()).toContain("Action tracker");
    for (const heading of ["Filter actions", "Actions by agency", "Escalation report"]) await page.getByRole("heading", { name: heading }).waitFor();

    await page.getByLabel("Escalated only").check();
    await page.getByLabel("Owner agency").selectOption({ label: "Llanfair Police" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/\/areas\/llf\/tracker\?.*escalated=on/);
    await expectAccessible(page);
    expect(await page.getByLabel("Escalated only").isChecked()).toBe(true);
    expect(await page.getByLabel("Owner agency").locator("option:checked").innerText()).toBe("Llanfair Police");
    expect(await page.locator("main").innerText()).toContain("No actions match these filters.");

    const href = await page.getByRole("link", { name: "Download CSV" }).getAttribute("href");
    expect(href).toMatch(/^\/areas\/llf\/tracker\.csv\?.*escalated=on/);
    const csv = await page.request.get(href!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers()["content-disposition"]).toMatch(/^attachment; filename="LLF-actions-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(csv.headers()["cache-control"]).toContain("no-store");
    expect((await csv.text()).split("\r\n")[0]).toMatch(/^"Case reference","Meeting date","Action","Owner agency"/);

    await page.getByRole("link", { name: "Clear filters" }).click();
    await page.waitForURL("**/areas/llf/tracker");
    await expectAccessible(page);
    await context.close();
  });

  it("shows an agency representative their agency's actions, and not the tracker", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, "police@llanfair.example");
    // Once the page has hydrated, a link opens the next page in place (decision 023): what this
    // window held is still there after the click. Without JavaScript it is a plain link (above).
    await page.evaluate(() => Object.assign(window, { panelMarker: 1 }));
    await page.getByRole("link", { name: "Actions", exact: true }).click();
    await page.waitForURL("**/areas/llf/actions");
    expect(await page.evaluate(() => (window as unknown as { panelMarker?: number }).panelMarker)).toBe(1);
    await expectAccessible(page);
    await expect.poll(() => page.locator("h1").innerText()).toContain("Actions");
    await expect.poll(() => page.locator("main p.govuk-body").first().innerText()).toContain("owned by your agency");
    // Every row is the agency's own: the table does not name the owner agency on each.
    const headers = await page.locator("main table thead th").allInnerTexts();
    expect(headers.map((h) => h.trim()).slice(0, 3)).toEqual(["Case", "Action", "Due"]);
    expect(headers).not.toContain("Owner agency");
    expect(await page.getByRole("link", { name: "Action tracker" }).count()).toBe(0);
    const response = await visit(page, "/areas/llf/tracker");
    expect(response?.status()).toBe(403);
    await context.close();
  });
});
