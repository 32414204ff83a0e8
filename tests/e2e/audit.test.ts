import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, newContext, signIn, visit } from "../support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The filters are a GET form: wait for the new address rather than a POST. */
async function applyFilters(page: Page) {
  const before = page.url();
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL((url) => url.href !== before);
  await page.waitForLoadState("networkidle");
}

const actionCells = (page: Page) => page.locator("table.govuk-table tbody tr td:nth-child(3)").allInnerTexts();

describe("audit log", () => {
  it("shows the admin their sign-in and filters by action", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, "admin@llanfair.example");
    await page.waitForURL("**/areas/llf");
    await page.getByRole("link", { name: "Audit log" }).first().click();
    await page.waitForURL("**/areas/llf/audit");
    await expectAccessible(page);
    await expect.poll(() => page.locator("h1").innerText()).toBe("Audit log");
    const table = page.locator("table.govuk-table");
    expect(await table.innerText()).toContain("Alex Admin");
    expect(await actionCells(page)).toContain("auth.sign_in");

    // Other tests add events, so the seed's own event is found by filtering, not by page position.
    await page.getByLabel("Action starts with").fill("area.");
    await applyFilters(page);
    await expect.poll(() => actionCells(page)).toContain("area.seeded");

    await page.getByLabel("Action starts with").fill("auth.");
    await applyFilters(page);
    expect(new URL(page.url()).searchParams.get("action")).toBe("auth.");
    await expectAccessible(page);
    // Wait until the table shows the filtered rows, not the page before it.
    await expect.poll(async () => {
      const rows = await actionCells(page);
      return rows.length > 0 && rows.every((action) => action.startsWith("auth."));
    }).toBe(true);
    expect(await page.getByLabel("Action starts with").inputValue()).toBe("auth.");

    await page.getByRole("link", { name: "Clear filters" }).click();
    await page.waitForURL((url) => url.search === "");
    await page.waitForFunction(() => (document.getElementById("audit-filter-action") as HTMLInputElement | null)?.value === "");
    expect(await page.getByLabel("Action starts with").inputValue()).toBe("");
    await expect.poll(() => actionCells(page)).toContain("audit.read");
    await context.close();
  });

  it("explains an impossible date, without JavaScript", async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    await signIn(page, "admin@llanfair.example", undefined, { check: false });
    await visit(page, "/areas/llf/audit");
    await page.getByLabel("From").fill("31/2/2026");
    await page.getByLabel("Who").selectOption({ label: "Alex Admin (admin@llanfair.example)" });
    const response = page.waitForResponse((r) => r.url().includes("/areas/llf/audit?"));
    await page.getByRole("button", { name: "Apply filters" }).click();
    expect((await response).status()).toBe(400);
    await page.waitForLoadState("load");
    await expectAccessible(page);
    expect(await page.locator(".govuk-error-summary").innerText()).toContain("Enter the from date as a real date, like 27/3/2026");
    expect(await page.locator("#audit-filter-from-error").innerText()).toContain("Enter the from date as a real date");
    expect(await page.getByLabel("From").inputValue()).toBe("31/2/2026");

    await page.getByLabel("From").fill("1/1/2020");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL((url) => url.searchParams.get("from") === "1/1/2020");
    await expectAccessible(page);
    const who = await page.locator("table.govuk-table tbody tr td:nth-child(2)").allInnerTexts();
    expect(who.length).toBeGreaterThan(0);
    for (const cell of who) expect(cell).toContain("Alex Admin");
    await context.close();
  });

  it("pages through the log with the GOV.UK pagination links, keeping the filter, by keyboard", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, "admin@llanfair.example");
    // Each look at the log is itself an audit.read event: 55 of them make more than a page of 50.
    for (let i = 0; i < 55; i++) expect((await page.request.get("/areas/llf/audit?action=audit.read")).status()).toBe(200);
    await visit(page, "/areas/llf/audit?action=audit.read");
    const pages = page.getByRole("navigation", { name: "Audit log pages" });
    expect(await actionCells(page)).toHaveLength(50);
    expect(await pages.getByRole("link").allInnerTexts()).toEqual(["Older events"]);
    await pages.getByRole("link", { name: "Older events" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.searchParams.has("before") && url.searchParams.get("action") === "audit.read");
    await expectAccessible(page);
    await expect.poll(() => pages.getByRole("link").allInnerTexts()).toContain("Newest events");
    const older = await actionCells(page);
    expect(older.length).toBeGreaterThan(0);
    for (const action of older) expect(action).toBe("audit.read");
    await context.close();
  });
});
