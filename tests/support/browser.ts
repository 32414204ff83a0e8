import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect, inject } from "vitest";

/** axe-core itself, evaluated in the page through the DevTools protocol (not subject to the page's CSP). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Run axe on a page's document. Our pages have no frames, so axe runs once in
 * the page itself: @axe-core/playwright's default opens a second page per check
 * to merge frame results, which doubled the cost of every check.
 */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === "object");
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const results = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return results.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.map(String) })) }));
  }, WCAG_TAGS);
}

interface RouterState {
  navigation: { state: string };
  revalidation: string;
  fetchers: Map<string, { state: string }>;
}

/**
 * After a client-side navigation or form submission, the address and history
 * entry change before React has put the new page on screen. Wait until Remix's
 * router has nothing in flight (no navigation, revalidation or fetcher) and the
 * body names the current history entry as the one it was last rendered for (the
 * root layout sets it after each commit), so the check, and whatever the test
 * reads next, sees the new page and not the old one. Before hydration the page
 * is the server's, for this address.
 */
async function waitForRender(page: Page) {
  if (withoutJavaScript.has(page.context())) return;
  await page.waitForFunction(() => {
    const router = (window as unknown as { __remixRouter?: { state: RouterState } }).__remixRouter;
    if (router) {
      const { navigation, revalidation, fetchers } = router.state;
      if (navigation.state !== "idle" || revalidation !== "idle") return false;
      for (const fetcher of fetchers.values()) if (fetcher.state !== "idle") return false;
    }
    const rendered = document.body?.dataset.renderedKey;
    const current = (history.state as { key?: string } | null)?.key ?? "default";
    return rendered === undefined || rendered === current;
  });
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const DEMO_PASSWORD = "demo-panel-2026";

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A browser context with JavaScript on or off (every page must work without it). */
const withoutJavaScript = new WeakSet<BrowserContext>();

export async function newContext(browser: Browser, options: { javaScript?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: inject("baseURL"), javaScriptEnabled: options.javaScript ?? true });
  if (options.javaScript === false) withoutJavaScript.add(context);
  return context;
}

/** The WCAG 2.2 A/AA violations axe finds on the current page, one line each ("rule: help (targets)"). */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await waitForRender(page);
  let target = page;
  let scratch: BrowserContext | undefined;
  if (withoutJavaScript.has(page.context())) {
    // axe needs JavaScript: check a script-free copy of exactly what this page shows.
    const html = (await page.content())
      .replace(/<script\b[\s\S]*?<\/script>/gi, "")
      .replace(/<head>/i, `<head><base href="${page.url()}">`);
    scratch = await page.context().browser()!.newContext({ baseURL: inject("baseURL") });
    target = await scratch.newPage();
    await target.setContent(html, { waitUntil: "load" });
  }
  try {
    const violations = await axeViolations(target);
    return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  } finally {
    await scratch?.close();
  }
}

/** Fail on any WCAG 2.2 A/AA violation axe finds on the current page. */
export async function expectAccessible(page: Page) {
  expect(await accessibilityViolations(page), `axe violations on ${page.url()}`).toEqual([]);
}

/** Go to a page and check it with axe. */
export async function visit(page: Page, url: string) {
  const response = await page.goto(url);
  await expectAccessible(page);
  return response;
}

/** Sign in through the form. `check: false` skips axe, for repeats of a page already checked. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD, options: { check?: boolean } = {}) {
  const check = options.check ?? true;
  await (check ? visit(page, "/sign-in") : page.goto("/sign-in"));
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await submitForm(page, "Sign in");
  if (check) await expectAccessible(page);
}

/** Emails written by the offline mail transport, newest last, as raw text. */
export function readMailbox(): { file: string; raw: string }[] {
  const dir = inject("mailDir");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".eml"))
    .sort()
    .map((f) => ({ file: f, raw: readFileSync(path.join(dir, f), "utf8") }));
}

/**
 * The first link to this app in the newest email sent to `to`. Emails go through
 * the outbox, so this waits (up to 15 s) for the worker to deliver it.
 */
export async function linkFromLatestEmail(to: string, options: { after?: number } = {}): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const mail = readMailbox()
      .slice(options.after ?? 0)
      .filter((m) => m.raw.includes(`To: ${to}`))
      .pop();
    if (mail) {
      const unfolded = mail.raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
      const match = /https?:\/\/127\.0\.0\.1:\d+\/[^\s"<>]+/.exec(unfolded);
      if (!match) throw new Error(`no link in email to ${to}`);
      return new URL(match[0]).pathname;
    }
    if (Date.now() > deadline) throw new Error(`no email to ${to}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Press a form's submit button and wait until the result has loaded, whether
 * the browser navigates (no JavaScript) or Remix fetches (JavaScript).
 */
export async function submitForm(page: Page, buttonName: string | RegExp) {
  const response = page.waitForResponse((r) => r.request().method() === "POST");
  await page.getByRole("button", { name: buttonName }).click();
  await response;
  await page.waitForLoadState("networkidle");
  await waitForRender(page);
}
