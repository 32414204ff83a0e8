import type { Browser, Page } from "playwright-core";
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

async function banner(page: Page, text: string | RegExp) {
  await page
    .locator(".govuk-notification-banner", { hasText: text })
    .waitFor({ timeout: 5000 })
    .catch(async () => {
      throw new Error(`no "${text}" banner; the page says: ${await page.locator("main").innerText()}`);
    });
  await expectAccessible(page);
}

async function as(email: string) {
  const context = await newContext(browser);
  const page = await context.newPage();
  await signIn(page, email);
  return { context, page };
}

describe("preparing a meeting: verification and research", () => {
  // The first upcoming meeting is the one tests/e2e/meetings.test.ts reorders, so this flow
  // moves one case to the next meeting still open for listing (the second, unless
  // meeting-room.test.ts has already run it) and prepares that meeting instead.
  let meetingPath: string;
  let reference: string;

  it("lets the coordinator send a list for verification", async () => {
    const { context, page } = await as("coordinator@llanfair.example");
    await visit(page, "/areas/llf/meetings");
    await page.locator("table.govuk-table tbody tr th a").first().click();
    await page.waitForURL(/\/areas\/llf\/meetings\/[0-9a-f-]{36}$/);
    await expectAccessible(page);
    const rows = page.locator("table.govuk-table tbody tr");
    reference = (await rows.last().locator("td").nth(1).innerText()).trim();
    expect(reference).toMatch(/^LLF-/);
    const select = page.getByLabel(`Move to another meeting ${reference}`, { exact: true });
    const targetMeetingId = await select.locator("option").first().getAttribute("value");
    await select.selectOption(targetMeetingId!);
    await submitForm(page, new RegExp(`^Move ${reference}$`));
    await page.waitForLoadState("networkidle");
    await expectAccessible(page);

    meetingPath = `/areas/llf/meetings/${targetMeetingId}`;
    await visit(page, meetingPath);
    expect(await page.locator("main").innerText()).toContain(reference);
    await submitForm(page, "Send list for verification");
    await banner(page, /Sent to \d+ verifier agenc/);
    expect(await page.getByRole("link", { name: "Review corrections" }).count()).toBe(1);
    await context.close();
  });

  it("lets a verifier agency correct a victim's date of birth", async () => {
    const { context, page } = await as("health@llanfair.example");
    await visit(page, "/areas/llf");
    await page.getByRole("link", { name: /^\d+ identity checks? to do$/ }).click();
    await page.waitForURL("**/areas/llf/verification");
    await expectAccessible(page);
    await page.getByRole("link", { name: new RegExp(`^Check identity ${reference} Victim$`) }).click();
    await page.waitForURL(/\/areas\/llf\/verification\/[0-9a-f-]{36}$/);
    await expectAccessible(page);
    await page.getByLabel("We hold different details").check();
    const dobs = page.getByLabel("Dates of birth", { exact: true });
    await dobs.fill("31/02/1985");
    await submitForm(page, "Send answer");
    await page.locator(".govuk-error-summary", { hasText: "Enter each date of birth on its own line" }).waitFor({ timeout: 5000 });
    await expectAccessible(page);
    await page.getByLabel("We hold different details").check();
    await page.getByLabel("Dates of birth", { exact: true }).fill("14/02/1985");
    await submitForm(page, "Send answer");
    await banner(page, "Answer sent");
    await context.close();
  });

  it("lets the coordinator accept the correction and circulate the list", async () => {
    const { context, page } = await as("coordinator@llanfair.example");
    await visit(page, meetingPath);
    await page.getByRole("link", { name: "Review corrections" }).click();
    await page.waitForURL(`**${meetingPath}/corrections`);
    await expectAccessible(page);
    expect(await page.locator("main").innerText()).toContain("1985-02-14");
    await submitForm(page, new RegExp(`^Accept Dates of birth ${reference}`));
    await banner(page, "Correction accepted");
    expect(await page.locator("main").innerText()).toContain("All corrections have been decided");
    await visit(page, meetingPath);
    await submitForm(page, "Mark list circulated");
    await banner(page, "The list is marked as circulated");
    await context.close();
  });

  it("lets an agency submit its research, which the coordinator then reads", async () => {
    const { context, page } = await as("police@llanfair.example");
    await visit(page, "/areas/llf");
    await page.getByRole("navigation").getByRole("link", { name: "Research", exact: true }).click();
    await page.waitForURL("**/areas/llf/research");
    await expectAccessible(page);
    await page.getByRole("link", { name: new RegExp(`^Open ${reference}$`) }).click();
    await page.waitForURL(/\/areas\/llf\/research\/[0-9a-f-]{36}$/);
    await expectAccessible(page);
    await page.getByLabel("Date of entry 1", { exact: true }).fill("03/11/2026");
    await page.getByLabel("Fact 1", { exact: true }).fill("Attended a report of a disturbance at the address");
    await page.getByLabel("Professional opinion and risks identified").fill("Escalating; risk of serious harm");
    await submitForm(page, "Submit research");
    await banner(page, `Research submitted for case ${reference}`);
    await context.close();

    const coordinator = await as("coordinator@llanfair.example");
    await visit(coordinator.page, meetingPath);
    await coordinator.page.getByRole("link", { name: new RegExp(`^Research ${reference}$`) }).click();
    await coordinator.page.waitForURL(/\/research$/);
    await expectAccessible(coordinator.page);
    const text = await coordinator.page.locator("main").innerText();
    expect(text).toContain("Attended a report of a disturbance at the address");
    expect(text).toContain("Escalating; risk of serious harm");
    await coordinator.context.close();
  });
  it("shows verification, research and IDVA contact together on the readiness grid", async () => {
    const idva = await as("idva@llanfair.example");
    await visit(idva.page, "/areas/llf/cases");
    await idva.page.locator("table.govuk-table tbody tr", { hasText: reference }).getByRole("link", { name: `Contact ${reference}` }).click();
    await idva.page.waitForURL(/\/areas\/llf\/cases\/[0-9a-f-]{36}\/contact$/);
    await expectAccessible(idva.page);
    const at = utcToLondon(new Date(Date.now() - 5 * 60_000));
    await idva.page.getByLabel("Date", { exact: true }).fill(at.date);
    await idva.page.getByLabel("Time", { exact: true }).fill(at.time);
    await idva.page.getByLabel("Method").selectOption("phone");
    await idva.page.getByLabel("Spoke to the victim").check();
    await idva.page.getByLabel("Before the meeting").check();
    await submitForm(idva.page, "Log contact attempt");
    await banner(idva.page, "Contact attempt logged");
    await idva.context.close();

    const { context, page } = await as("coordinator@llanfair.example");
    await visit(page, `${meetingPath}/readiness`);
    const row = page.getByRole("region", { name: "Readiness grid (scrolls sideways)" }).locator("tbody tr", { hasText: reference });
    const cells = await row.locator("td").allInnerTexts();
    // Verification was sent (the corrected check is decided; other people's checks may still be open).
    expect(cells[0]).not.toBe("Not sent");
    expect(cells.join(" ")).toContain("Llanfair Police research: submitted");
    expect(cells[cells.length - 1]).toBe("Spoke");
    await context.close();
  });
});
