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

/** Reload the mailbox until a message to `to` is listed (the worker sends within a second or two). */
async function openMailFor(page: Page, to: string) {
  const row = page.locator("tbody tr", { hasText: to });
  await expect
    .poll(
      async () => {
        if ((await row.count()) > 0) return true;
        await page.reload();
        return false;
      },
      { timeout: 20_000, interval: 500 },
    )
    .toBe(true);
  await row.first().getByRole("link").click();
  await page.waitForURL(/\/areas\/llf\/admin\/mailbox\/[0-9a-f-]{36}$/);
}

describe("fortnightly digests", () => {
  it("lets the coordinator preview an agency's digest, send it, and find it in the demo mailbox", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, "coordinator@llanfair.example");
    // The coordinator serves two panels; start from Llanfair's home page.
    await visit(page, "/areas/llf");
    await page.getByRole("link", { name: "Digests" }).click();
    await page.waitForURL("**/areas/llf/digests");
    await expect.poll(() => page.locator("h1").innerText()).toContain("Fortnightly digests");
    await expectAccessible(page);
    const policeRow = page.locator("tbody tr", { hasText: "Llanfair Police" });
    expect(await policeRow.innerText()).toContain("Full digest");
    expect(await page.locator("tbody tr", { hasText: "Llanfair Women's Aid" }).first().innerText()).toContain("Sign-in notice only");

    await page.getByRole("link", { name: "Preview the digest for Llanfair Police" }).click();
    await page.waitForURL(/\/areas\/llf\/digests\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.locator("h1").innerText()).toBe("Digest for Llanfair Police");
    await expectAccessible(page);
    const text = await page.getByTestId("digest-text").innerText();
    // The police's overdue action from the last meeting, with the case reference and initials only.
    expect(text).toContain("Overdue actions (2)");
    expect(text).toMatch(/LLF-\d{4}-\d{4} \(B\.R\.\) Add a warning marker to the address/);
    expect(text).toContain("/areas/llf/actions/");
    expect(text).not.toContain("Bethan");
    expect(text).not.toContain("Rowlands");
    expect(text).not.toContain("1987-07-17");

    await submitForm(page, "Send the digest to Llanfair Police now");
    await page.waitForURL("**/areas/llf/digests");
    await expect.poll(() => page.locator(".govuk-notification-banner").innerText()).toContain("Digest for Llanfair Police queued");
    await expectAccessible(page);

    await page.getByRole("link", { name: "See what was sent in the demo mailbox" }).click();
    await page.waitForURL("**/areas/llf/admin/mailbox");
    await expectAccessible(page);
    await openMailFor(page, "marac@police.llanfair.example");
    await expect.poll(() => page.locator("h1").innerText()).toMatch(/^Panel: your update before the meeting on /);
    await expectAccessible(page);
    const body = await page.getByTestId("email-text").innerText();
    expect(body).toContain("Update for Llanfair Police");
    expect(body).toMatch(/LLF-\d{4}-\d{4} \(B\.R\.\) Add a warning marker/);
    expect(body).not.toContain("Rowlands");
    expect(await page.locator("main").innerText()).toContain("marac@police.llanfair.example");

    // Action follow-up: the email's link opens the action's update form once the police sign in.
    const actionPath = /\/areas\/llf\/actions\/[0-9a-f-]{36}/.exec(body)![0];
    const police = await newContext(browser);
    const policePage = await police.newPage();
    await policePage.goto(actionPath);
    await policePage.waitForURL(/\/sign-in\?redirectTo=/);
    await policePage.getByLabel("Email address").fill("police@llanfair.example");
    await policePage.getByLabel("Password", { exact: true }).fill("demo-panel-2026");
    await submitForm(policePage, "Sign in");
    await policePage.waitForURL(`**${actionPath}`);
    await expect.poll(() => policePage.locator("h1").innerText()).toMatch(/^Action for LLF-\d{4}-\d{4}$/);
    expect(await policePage.locator("main").innerText()).toContain("Add a warning marker to the address");
    await policePage.getByRole("button", { name: "Save update" }).waitFor();
    await expectAccessible(policePage);
    await police.close();

    // The preview now says it has gone, and the history shows it sent.
    await visit(page, "/areas/llf/digests");
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator("tbody tr", { hasText: "marac@police.llanfair.example" }).last().innerText();
        },
        { timeout: 15_000, interval: 500 },
      )
      .toContain("Sent");
    await context.close();
  });

  it("sends the rest without JavaScript; an address off the accredited list gets only the sign-in notice", async () => {
    const context = await newContext(browser, { javaScript: false });
    const page = await context.newPage();
    await signIn(page, "coordinator@llanfair.example");
    await visit(page, "/areas/llf/digests");
    await expectAccessible(page);
    await page.getByRole("button", { name: /^Send digests to \d+ agencies now$/ }).click();
    await page.waitForURL("**/areas/llf/digests");
    expect(await page.locator(".govuk-notification-banner").innerText()).toMatch(/Digests queued for \d+ agencies/);
    expect(await page.locator("main").innerText()).toContain("Every agency with a secure email address has this period's digest.");
    await expectAccessible(page);

    await visit(page, "/areas/llf/admin/mailbox");
    await openMailFor(page, "marac@llanfairwa.example");
    const body = await page.getByTestId("email-text").innerText();
    expect(body).toContain("not on the panel's list of secure email domains");
    expect(body).not.toMatch(/LLF-\d{4}-\d{4}/);
    expect(body).not.toContain("warning marker");
    await expectAccessible(page);
    await context.close();
  });

  it("shows the admin every email's delivery on the outgoing-email page, and keeps agencies out", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, "admin@llanfair.example");
    await visit(page, "/areas/llf/admin");
    await page.getByRole("link", { name: "Outgoing email" }).click();
    await page.waitForURL("**/areas/llf/admin/outbox");
    await expect.poll(() => page.locator("h1").innerText()).toBe("Outgoing email");
    await expectAccessible(page);
    expect(await page.locator("tbody").innerText()).toContain("marac@police.llanfair.example");
    await page.getByRole("link", { name: /^Sent \(\d+\)$/ }).click();
    await page.waitForURL("**/areas/llf/admin/outbox?status=sent");
    await expectAccessible(page);
    await context.close();

    const rep = await newContext(browser);
    const repPage = await rep.newPage();
    await signIn(repPage, "police@llanfair.example");
    expect((await visit(repPage, "/areas/llf/digests"))?.status()).toBe(403);
    expect((await visit(repPage, "/areas/llf/admin/mailbox"))?.status()).toBe(403);
    await rep.close();
  });
});
