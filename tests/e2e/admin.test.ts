import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, linkFromLatestEmail, newContext, signIn, submitForm, visit } from "../support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const ADMIN = "admin@llanfair.example";
const unique = Date.now().toString(36);

describe("area administration", () => {
  it("shows the error summary for an empty agency name, without JavaScript", async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    await signIn(page, ADMIN);
    await visit(page, "/areas/llf/admin/agencies");
    const agenciesBefore = await page.locator("tbody tr").count();
    await visit(page, "/areas/llf/admin/agencies/new");
    await page.getByLabel("Kind of agency").selectOption({ label: "Police" });
    await submitForm(page, "Add agency");
    const summary = page.locator(".govuk-error-summary");
    expect(await summary.innerText()).toContain("Enter a name");
    expect(await page.locator("#agency-name-error").innerText()).toContain("Enter a name");
    await expectAccessible(page);
    await visit(page, "/areas/llf/admin/agencies");
    expect(await page.locator("tbody tr").count()).toBe(agenciesBefore);
    await context.close();
  }, 120_000);

  it("adds an agency, invites a representative for it, and the invitee joins and lands on the panel", async () => {
    const agencyName = `Outreach Service ${unique}`;
    const inviteeEmail = `outreach.rep.${unique}@example.org`;
    const inviteeName = `Olwen Outreach ${unique}`;

    const admin = await newContext(browser);
    const page = await admin.newPage();
    await signIn(page, ADMIN);
    await visit(page, "/areas/llf/admin");
    await expect.poll(() => page.locator("h1").innerText()).toBe("Administration");
    await visit(page, "/areas/llf/admin/agencies");
    await expect.poll(() => page.locator("h1").innerText()).toBe("Agencies");

    await visit(page, "/areas/llf/admin/agencies/new");
    await page.getByLabel("Agency name").fill(agencyName);
    await page.getByLabel("Kind of agency").selectOption({ label: "Specialist domestic abuse service" });
    await page.getByLabel("Secure email address (optional)").fill(`marac@outreach-${unique}.example`);
    await submitForm(page, "Add agency");
    await page.waitForURL("**/areas/llf/admin/agencies");
    expect(await page.locator(".govuk-notification-banner").innerText()).toContain(`${agencyName} has been added.`);
    const row = page.locator("tr", { hasText: agencyName });
    expect(await row.innerText()).toContain("Specialist domestic abuse service");
    await expectAccessible(page);

    await visit(page, "/areas/llf/admin/users/invite");
    await page.getByLabel("Full name").fill(inviteeName);
    await page.getByLabel("Email address").fill(inviteeEmail);
    await page.getByLabel("Role").selectOption({ label: "Agency representative" });
    await page.getByLabel("Agency", { exact: true }).selectOption({ label: agencyName });
    await submitForm(page, "Send invitation");
    await page.waitForURL("**/areas/llf/admin/users");
    expect(await page.locator(".govuk-notification-banner").innerText()).toContain(`An invitation has been sent to ${inviteeEmail}.`);
    expect(await page.locator("table", { hasText: "Pending invitations" }).innerText()).toContain(inviteeEmail);
    await expectAccessible(page);
    await admin.close();

    const link = await linkFromLatestEmail(inviteeEmail);
    expect(link).toMatch(/^\/invitations\/[a-z2-7]{32}$/);
    const invitee = await newContext(browser);
    const join = await invitee.newPage();
    await visit(join, link);
    await expect.poll(() => join.locator("h1").innerText()).toBe("Join Llanfair MARAC");
    expect(await join.locator("main").innerText()).toContain(`as Agency representative for ${agencyName}`);
    expect(await join.getByLabel("Full name").inputValue()).toBe(inviteeName);

    // Too short a password is refused on the page, then a good one is accepted.
    await join.getByLabel("Create a password").fill("too short");
    await join.getByLabel("Confirm your password").fill("too short");
    await join.getByRole("button", { name: "Create account" }).click();
    await join.locator(".govuk-error-summary").waitFor();
    expect(await join.locator(".govuk-error-summary").innerText()).toContain("Your password must be at least 12 characters");
    await expectAccessible(join);

    await join.getByLabel("Create a password").fill("outreach rep passphrase");
    await join.getByLabel("Confirm your password").fill("outreach rep passphrase");
    await submitForm(join, "Create account");
    await join.waitForURL("**/areas/llf");
    await expect.poll(() => join.locator("h1").innerText()).toBe("Llanfair MARAC");
    expect(await join.locator(".govuk-caption-l").innerText()).toBe("Agency representative");
    expect(await join.locator("main").innerText()).toContain(`Agency: ${agencyName}`);
    expect(await join.getByText(`Signed in as ${inviteeName}`).count()).toBe(1);
    await expectAccessible(join);

    // The link works once.
    await visit(join, link);
    await expect.poll(() => join.locator("h1").innerText()).toBe("This invitation link is no longer valid");
    await invitee.close();
    // A long journey through nine pages, each checked with axe.
  }, 240_000);
});
