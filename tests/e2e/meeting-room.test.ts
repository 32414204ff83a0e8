import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, newContext, signIn, submitForm, visit } from "../support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function banner(page: Page, text: string | RegExp) {
  await page
    .locator(".govuk-notification-banner", { hasText: text })
    .waitFor({ timeout: 5000 })
    .catch(async () => {
      throw new Error(`no "${text}" banner; the page says: ${await page.locator("main").innerText()}`);
    });
  await expectAccessible(page);
}

/** An ISO date a few weeks ahead: after any upcoming meeting's date. */
function weeksAhead(weeks: number) {
  return new Date(Date.now() + weeks * 7 * 86_400_000).toISOString().slice(0, 10);
}

describe("the chair runs a meeting", () => {
  // The first upcoming meeting belongs to tests/e2e/meetings.test.ts (and preparation.test.ts
  // may already have circulated the second), so three cases move from the first meeting to the
  // next meeting still open for listing, and that meeting is run.
  let meetingPath = "";
  const references: string[] = [];

  it("lets the coordinator put three cases on a later meeting and circulate its list", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, "coordinator@llanfair.example");
    await visit(page, "/areas/llf/meetings");
    await page.locator("table.govuk-table tbody tr th a").first().click();
    await page.waitForURL(/\/areas\/llf\/meetings\/[0-9a-f-]{36}$/);
    await expectAccessible(page);
    let target = "";
    for (let i = 0; i < 3; i++) {
      const rows = page.locator("table.govuk-table tbody tr");
      const reference = (await rows.last().locator("td").nth(1).innerText()).trim();
      expect(reference).toMatch(/^LLF-/);
      const select = page.getByLabel(`Move to another meeting ${reference}`, { exact: true });
      target ||= (await select.locator("option").first().getAttribute("value"))!;
      await select.selectOption(target);
      await submitForm(page, new RegExp(`^Move ${reference}$`));
      await expectAccessible(page);
      references.push(reference);
    }
    meetingPath = `/areas/llf/meetings/${target}`;
    await visit(page, meetingPath);
    const main = await page.locator("main").innerText();
    for (const reference of references) expect(main).toContain(reference);
    await submitForm(page, "Mark list circulated");
    await expectAccessible(page);
    // The coordinator runs meetings too, but here leaves it to the chair.
    await context.close();
  }, 120_000);

  let cases = 0;

  it("lets the chair start it and record attendance with the confidentiality statement", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, "chair@llanfair.example");
    await visit(page, meetingPath);
    await submitForm(page, "Start the meeting");
    await page.waitForURL(`**${meetingPath}/run`);
    await banner(page, "The meeting has started");

    // Attendance: the first agency present, with the confidentiality statement confirmed.
    const row = page.locator("form[id^=attendance-]").first();
    const agency = (await row.locator("h3").innerText()).trim();
    await row.getByLabel("Present", { exact: true }).check();
    await row.getByLabel(/^Representative name/).fill("<b>Jones</b>");
    await submitForm(page, new RegExp(`^Save attendance ${agency}$`));
    await page.locator(".govuk-error-summary", { hasText: "Remove the < and > characters" }).waitFor({ timeout: 5000 });
    await expectAccessible(page);
    const again = page.locator("form[id^=attendance-]").first();
    await again.getByLabel("Present", { exact: true }).check();
    await again.getByLabel(/^Representative name/).fill("DS Jones");
    await again.getByLabel(/has confirmed the confidentiality statement/).check();
    await submitForm(page, new RegExp(`^Save attendance ${agency}$`));
    await banner(page, "Attendance saved");
    expect(await page.locator("form[id^=attendance-]").first().innerText()).toContain("confidentiality statement confirmed");
    await page.getByLabel("Observer's name").fill("Student social worker");
    await page.getByLabel("Observer's organisation").fill("Llanfair University");
    await page.getByLabel("The observer has confirmed the confidentiality statement").check();
    await submitForm(page, "Add observer");
    await banner(page, "Observer added");

    // Closing before every case has an outcome says how many are left.
    cases = await page.locator("table.govuk-table", { hasText: "in agenda order" }).locator("tbody tr").count();
    expect(cases).toBeGreaterThanOrEqual(3);
    await submitForm(page, "Close the meeting");
    await page.locator(".govuk-error-summary", { hasText: `${cases} cases still need an outcome` }).waitFor({ timeout: 5000 });
    await expectAccessible(page);
    await context.close();
  }, 120_000);

  it("lets the chair minute each case, agree an action and record the outcome", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, "chair@llanfair.example", undefined, { check: false });
    await visit(page, `${meetingPath}/run`);
    await page.locator("table.govuk-table", { hasText: "in agenda order" }).locator("tbody tr a").first().click();
    await page.waitForURL(/\/run\/[0-9a-f-]{36}$/);
    await expectAccessible(page);
    for (let i = 0; i < cases; i++) {
      const heading = await page.locator("h1").innerText();
      await page.getByLabel("Information shared").fill(`Police: call-outs discussed (case ${i + 1}).`);
      await page.getByLabel("Risks to the victim").fill("Serious harm from the ex-partner.");
      await page.getByLabel("Decisions").fill("Refer to the sanctuary scheme.");
      await submitForm(page, "Save the minutes");
      await banner(page, "Minutes saved");
      expect(await page.getByLabel("Information shared").inputValue()).toBe(`Police: call-outs discussed (case ${i + 1}).`);

      const add = page.locator("#addAction");
      // No description: refused on the field, nothing added.
      await add.getByLabel("Owner agency").selectOption({ index: 1 });
      await add.getByLabel("Due date").fill(weeksAhead(8));
      await submitForm(page, "Add the action");
      await page.locator(".govuk-error-summary", { hasText: "Enter what the action is" }).waitFor({ timeout: 5000 });
      await expectAccessible(page);
      const retry = page.locator("#addAction");
      await retry.getByLabel("Action", { exact: true }).fill(`Sanctuary scheme assessment for case ${i + 1}.`);
      // Owned by the police, whose representative completes it below.
      await retry.getByLabel("Owner agency").selectOption({ label: "Llanfair Police" });
      await retry.getByLabel("Due date").fill(weeksAhead(8));
      await retry.getByLabel("High", { exact: true }).check();
      await submitForm(page, "Add the action");
      await banner(page, "Action added");
      expect(await page.locator(".govuk-summary-card").innerText()).toContain(`Sanctuary scheme assessment for case ${i + 1}.`);

      await submitForm(page, "Discussed");
      await banner(page, "Outcome recorded");
      await expect.poll(() => page.locator("h1").innerText()).toBe(heading);
      if (i < cases - 1) {
        const here = page.url();
        await page.getByRole("link", { name: "Next case" }).click();
        await page.waitForURL((url) => url.href !== here);
        await page.waitForLoadState("networkidle");
        await expectAccessible(page);
        await expect.poll(() => page.locator("h1").innerText()).not.toBe(heading);
      }
    }
    expect(await page.getByRole("link", { name: "Previous case" }).count()).toBe(1);
    await page.getByRole("link", { name: "Back to the run sheet" }).click();
    await page.waitForURL(`**${meetingPath}/run`);
    await expectAccessible(page);
    await context.close();
  }, 180_000);

  it("lets the chair close the meeting once every case has an outcome", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, "chair@llanfair.example", undefined, { check: false });
    await visit(page, `${meetingPath}/run`);
    const outcomes = await page.locator("table.govuk-table", { hasText: "in agenda order" }).locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.lastElementChild?.textContent?.trim()));
    expect(outcomes).toEqual(Array(cases).fill("Discussed"));
    await submitForm(page, "Close the meeting");
    await page.waitForURL(`**${meetingPath}`);
    await banner(page, "The meeting is closed");
    await context.close();
  }, 120_000);
  it("lets the owner agency mark an action complete, and the chair's tracker shows it", async () => {
    const police = await newContext(browser);
    const page = await police.newPage();
    await signIn(page, "police@llanfair.example");
    await page.getByRole("link", { name: "Actions", exact: true }).click();
    await page.waitForURL("**/areas/llf/actions");
    await expectAccessible(page);
    const row = page.locator("table.govuk-table tbody tr", { hasText: "Sanctuary scheme assessment for case 1." });
    await row.getByRole("link", { name: /^Update/ }).click();
    await page.waitForURL(/\/areas\/llf\/actions\/[0-9a-f-]{36}$/);
    await expectAccessible(page);
    await page.getByRole("group", { name: "What is the status of this action?" }).getByLabel("Completed", { exact: true }).check();
    await page.getByLabel("Date completed").fill(new Date().toISOString().slice(0, 10));
    await page.getByLabel("Note", { exact: true }).fill("Assessment done; locks fitted.");
    await submitForm(page, "Save update");
    await banner(page, /Action for LLF-\d{4}-\d{4} updated/);
    await police.close();

    const chair = await newContext(browser);
    const tracker = await chair.newPage();
    await signIn(tracker, "chair@llanfair.example");
    await visit(tracker, "/areas/llf/tracker");
    await tracker.getByLabel("Status").selectOption({ label: "Completed" });
    await tracker.getByRole("button", { name: "Apply filters" }).click();
    await tracker.waitForURL(/status=completed/);
    await tracker.waitForLoadState("networkidle");
    await expectAccessible(tracker);
    const completed = tracker.locator("table.govuk-table tbody tr", { hasText: "Sanctuary scheme assessment for case 1." });
    expect(await completed.innerText()).toContain("Completed");
    await chair.close();
  }, 120_000);
});
