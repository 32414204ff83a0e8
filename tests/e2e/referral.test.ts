import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, newContext, signIn, submitForm, visit } from "../support/browser";
import { extractPdfPages } from "../support/pdf";

let browser: Browser;
/** The reference of the referral submitted by the first test, followed by the second. */
let submittedReference = "";
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Press a button that saves a section, then check the page it lands on. */
async function save(page: Page, button: string | RegExp) {
  await submitForm(page, button);
  await expectAccessible(page);
}

describe("referring a case", () => {
  it("lets an agency representative fill in, check and submit a referral", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, "police@llanfair.example");
    await visit(page, "/areas/llf");
    await page.getByRole("link", { name: "Refer a case" }).click();
    await page.waitForURL("**/areas/llf/referrals");
    await expectAccessible(page);

    await save(page, "Start a new referral");
    await page.waitForURL(/\/referrals\/[0-9a-f-]{36}\/referrer$/);
    const base = new URL(page.url()).pathname.replace(/\/referrer$/, "");
    await page.getByLabel("Your phone number").fill("01234 567890");
    await save(page, "Save and continue");

    await page.waitForURL(`**${base}/victim`);
    await page.getByLabel("First name").fill("Jane");
    await page.getByLabel("Last name").fill("Smith");
    await page.getByLabel("Date of birth (optional)").fill("07/03/1990");
    await save(page, "Save and continue");

    await page.waitForURL(`**${base}/safe-contact`);
    expect(await page.locator("main").innerText()).toContain("Only IDVAs, the coordinator and the chair will see these details");
    await page.getByLabel("Safe phone number (optional)").fill("07700 900111");
    await save(page, "Save and continue");

    await page.waitForURL(`**${base}/perpetrators`);
    await page.getByRole("link", { name: "Add a perpetrator" }).click();
    await page.waitForURL(`**${base}/perpetrators/new`);
    await expectAccessible(page);
    await page.getByLabel("First name").fill("Mark");
    await page.getByLabel("Last name").fill("Evans");
    await page.getByLabel("Relationship to the victim").fill("Ex-partner");
    await save(page, "Save");
    await page.waitForURL(`**${base}/perpetrators`);
    expect(await page.locator(".govuk-summary-list").innerText()).toContain("Mark Evans");

    await visit(page, `${base}/dash`);
    const radios = page.locator(".govuk-radios");
    expect(await radios.count()).toBe(24);
    for (let i = 0; i < 24; i++) await radios.nth(i).getByLabel(i < 15 ? "Yes" : "No", { exact: true }).check();
    await save(page, "Save");
    expect(await page.locator("#dash-score").innerText()).toContain("Score 15 of 24: high risk");

    await visit(page, `${base}/criteria`);
    expect(await page.locator("#visible-high-risk").innerText()).toBe("Met, Dash 15");

    await visit(page, `${base}/consent`);
    await page.getByRole("group", { name: "Is the victim aware of this referral?" }).getByLabel("Yes").check();
    await page.getByRole("group", { name: /Has the victim consented/ }).getByLabel("Yes").check();
    await save(page, "Save and continue");

    await page.waitForURL(`**${base}/check`);
    const summary = await page.locator("main").innerText();
    expect(summary).toContain("Jane Smith");
    expect(summary).toContain("7/3/1990");
    expect(summary).toContain("Mark Evans");
    await save(page, "Submit referral");
    await page.waitForURL("**/areas/llf/referrals");
    const banner = await page.locator(".govuk-notification-banner").innerText();
    expect(banner).toMatch(/Referral LLF-\d{4}-\d{4} submitted/);
    submittedReference = /LLF-\d{4}-\d{4}/.exec(banner)![0];
    await context.close();
  });

  it(
    "takes the coordinator from the referral to the agenda: repeat of a seeded case, reorder, PDF",
    async () => {
      expect(submittedReference).not.toBe("");
      const context = await newContext(browser);
      const page = await context.newPage();
      await signIn(page, "coordinator@llanfair.example");
      await visit(page, "/areas/llf/review");
      await page.locator("table.govuk-table tbody tr", { hasText: submittedReference }).locator("th a").click();
      await page.waitForURL(/\/areas\/llf\/review\/[0-9a-f-]{36}$/);
      await expectAccessible(page);
      const review = await page.locator("main").innerText();
      expect(review).toContain("DASH");
      // The seed holds an earlier case for Jane Smith (same date of birth) referred five months ago.
      expect(review).toContain("Within 12 months: repeat");
      await submitForm(page, "Confirm same person");
      await expectAccessible(page);
      expect(await page.locator(".govuk-notification-banner").innerText()).toContain("This referral is a repeat.");
      // Confirming changed the referral's version: accept from a freshly loaded page.
      await visit(page, new URL(page.url()).pathname);
      expect(await page.locator("main").innerText()).toContain("Confirmed: same person");
      await submitForm(page, "Accept and list for the next meeting");
      await page.waitForURL("**/areas/llf/review");
      const accepted = await page.locator(".govuk-notification-banner").innerText();
      const listedFor = new RegExp(`${submittedReference} accepted and listed for (\\d{1,2} \\w+ \\d{4})`).exec(accepted);
      expect(listedFor, accepted).not.toBeNull();

      await visit(page, "/areas/llf/meetings");
      await page.locator("table.govuk-table tbody tr", { hasText: listedFor![1] }).locator("th a").first().click();
      await page.waitForURL(/\/areas\/llf\/meetings\/[0-9a-f-]{36}$/);
      await expectAccessible(page);
      const row = page.locator("table.govuk-table tbody tr", { hasText: submittedReference });
      expect(await row.innerText()).toContain("Repeat");
      await submitForm(page, "Repeats first");
      await expectAccessible(page);
      const references = await page.locator("table.govuk-table tbody tr").evaluateAll((rows) => rows.map((r) => r.textContent ?? ""));
      const repeats = references.map((text) => /Repeat/.test(text));
      // Every repeat comes before every other case, ours among them.
      expect(repeats.indexOf(false) === -1 || repeats.lastIndexOf(true) < repeats.indexOf(false)).toBe(true);
      expect(references.findIndex((text) => text.includes(submittedReference))).toBeLessThan(repeats.filter(Boolean).length);

      const href = await page.getByRole("link", { name: "Download the case list (PDF)" }).getAttribute("href");
      const pdf = await page.request.get(href!);
      expect(pdf.headers()["content-type"]).toBe("application/pdf");
      const text = (await extractPdfPages(await pdf.body())).join("\n");
      expect(text).toContain(submittedReference);
      expect(text).toContain("J.S.");
      expect(text).toContain("OFFICIAL-SENSITIVE");
      expect(text).not.toContain("Jane");
      await context.close();
    },
    150_000,
  );

  it("shows field errors without JavaScript", async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    await signIn(page, "police@llanfair.example", undefined, { check: false });
    await visit(page, "/areas/llf/referrals");
    await save(page, "Start a new referral");
    const base = new URL(page.url()).pathname.replace(/\/referrer$/, "");
    await visit(page, `${base}/victim`);
    await page.getByLabel("First name").fill("Jane");
    await page.getByLabel("Date of birth (optional)").fill("31/02/1990");
    await save(page, "Save and continue");
    const errors = await page.locator(".govuk-error-summary").innerText();
    expect(errors).toContain("Enter a last name");
    expect(errors).toContain("Enter each date of birth as a real date in the past");
    await context.close();
  });
});
