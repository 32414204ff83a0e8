import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { utcToLondon } from "~/lib/london-time";
import { expectAccessible, launchBrowser, newContext, signIn, submitForm, visit } from "../support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("IDVA victim contact and the readiness grid", () => {
  let reference = "";

  it("lets the IDVA read the safe-contact rules, log a contact and record the victim's views", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, "idva@llanfair.example");
    await page.getByRole("link", { name: "Cases", exact: true }).click();
    await page.waitForURL("**/areas/llf/cases");
    await expectAccessible(page);
    const first = page.locator("table.govuk-table tbody tr").first();
    reference = (await first.locator("th").innerText()).trim();
    expect(await first.innerText()).toContain("No contact yet");
    await first.getByRole("link", { name: `Contact ${reference}` }).click();
    await page.waitForURL(/\/areas\/llf\/cases\/[0-9a-f-]{36}\/contact$/);
    await expectAccessible(page);
    await expect.poll(() => page.locator("h1").innerText()).toContain(reference);

    // The rules come first, before the log and the form.
    const rules = page.locator("section", { has: page.getByRole("heading", { name: "Safe contact – read before contacting the victim" }) });
    expect(await rules.innerText()).toMatch(/Safe number\s+07700 900\d{3}/);
    expect(await rules.innerText()).toContain("Who must not know");
    const order = await page.locator("h2").allInnerTexts();
    expect(order.indexOf("Safe contact – read before contacting the victim")).toBeLessThan(order.indexOf("Log a contact attempt"));

    // Ten minutes ago, in London time (the form asks for local date and time).
    const at = utcToLondon(new Date(Date.now() - 10 * 60_000));
    await page.getByLabel("Date", { exact: true }).fill(at.date);
    await page.getByLabel("Time", { exact: true }).fill(at.time);
    await page.getByLabel("Method").selectOption("phone");
    await page.getByLabel("Spoke to the victim").check();
    await page.getByLabel("Before the meeting").check();
    await page.getByLabel("Notes (optional)").fill("Spoke at a safe time; she will think about the meeting.");
    await submitForm(page, "Log contact attempt");
    await page.locator(".govuk-notification-banner", { hasText: "Contact attempt logged" }).waitFor({ timeout: 5000 }).catch(async () => {
      throw new Error(`no confirmation; the page says: ${await page.locator("main").innerText()}`);
    });
    await expectAccessible(page);
    const log = page.locator("table.govuk-table", { hasText: "contact attempt" });
    expect(await log.innerText()).toContain("Spoke to the victim");
    expect(await log.innerText()).toContain(at.time);

    await page.getByLabel("What the victim wants the meeting to know").fill("Wants the perpetrator kept away from the school run.");
    await submitForm(page, "Save views");
    await page.locator(".govuk-notification-banner", { hasText: "Victim's views saved" }).waitFor({ timeout: 5000 });
    await expectAccessible(page);
    expect(await page.getByLabel("What the victim wants the meeting to know").inputValue()).toBe("Wants the perpetrator kept away from the school run.");

    await visit(page, "/areas/llf/cases");
    const row = page.locator("table.govuk-table tbody tr", { hasText: reference });
    expect(await row.innerText()).toContain("Spoke");
    await context.close();
  });

  it("shows the coordinator the case's contact as spoken to on the readiness grid of the next meeting", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, "coordinator@llanfair.example");
    await visit(page, "/areas/llf/meetings");
    await page.locator("table.govuk-table tbody tr th a").first().click();
    await page.waitForURL(/\/areas\/llf\/meetings\/[0-9a-f-]{36}$/);
    await expectAccessible(page);
    await page.getByRole("link", { name: "Readiness of the list (verification, research, victim contact)" }).click();
    await page.waitForURL(/\/readiness$/);
    await expectAccessible(page);
    const region = page.getByRole("region", { name: "Readiness grid (scrolls sideways)" });
    expect(await region.getAttribute("tabindex")).toBe("0");
    const row = region.locator("tbody tr", { hasText: reference });
    expect(await row.locator("td").last().innerText()).toBe("Spoke");

    // The filter is a plain GET form.
    const before = await region.locator("tbody tr").count();
    await page.getByLabel("Show only cases with something missing").check();
    await page.getByRole("button", { name: "Apply filter" }).click();
    await page.waitForURL(/\/readiness\?.*missing=1/);
    await page.waitForLoadState("networkidle");
    await expectAccessible(page);
    expect(await page.getByLabel("Show only cases with something missing").isChecked()).toBe(true);
    expect(await page.locator("body").innerText()).toContain(`Showing ${await region.locator("tbody tr").count()} of ${before} cases.`);
    await context.close();
  });
});
