import type { MouseEvent } from "react";

type Navigate = (to: string, options: { replace: boolean }) => void;

let navigateInApp: Navigate | null = null;

/**
 * Set by the root layout once the page has hydrated (and cleared when it unmounts): from then on
 * `AppLink`s open pages in place, as Remix's `Link` does, and before it (or without JavaScript)
 * they are plain links. One navigator for the whole page instead of the router hooks every
 * `Link` runs as it renders (docs/performance.md, finding 39; decision 023).
 */
export function setInAppNavigation(navigate: Navigate | null) {
  navigateInApp = navigate;
}

/** What `followInApp` looks at of a click, so the rule can be tested without a DOM. */
export interface LinkClick {
  button: number;
  defaultPrevented: boolean;
  metaKey: boolean;
  altKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  currentTarget: { getAttribute(name: string): string | null; hasAttribute(name: string): boolean };
}

/**
 * The path a click should open in place, or null when the browser should follow it itself: a
 * button other than the main one, a modifier key (new tab, new window, download), another target,
 * a download, a link out of the app or to a part of this page.
 */
export function inAppPath(click: LinkClick): string | null {
  if (click.defaultPrevented || click.button !== 0 || click.metaKey || click.altKey || click.ctrlKey || click.shiftKey) return null;
  const link = click.currentTarget;
  const target = link.getAttribute("target");
  if ((target && target !== "_self") || link.hasAttribute("download")) return null;
  const href = link.getAttribute("href");
  // A path from the app's root; "//host" and "/\\host" are other sites to a browser.
  if (!href || !href.startsWith("/") || href.startsWith("//") || href.startsWith("/\\")) return null;
  return href;
}

/** The click handler of every `AppLink`. */
export function followInApp(event: MouseEvent<HTMLAnchorElement>) {
  const navigate = navigateInApp;
  if (!navigate) return;
  const path = inAppPath(event);
  if (path === null) return;
  event.preventDefault();
  // As Remix's Link: a link to the page already shown replaces its history entry.
  const here = `${window.location.pathname}${window.location.search}${window.location.hash}`;
  navigate(path, { replace: path === here });
}
