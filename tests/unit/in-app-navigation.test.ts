import { afterEach, describe, expect, it, vi } from "vitest";
import { followInApp, inAppPath, setInAppNavigation, type LinkClick } from "~/lib/in-app-navigation";

function click(overrides: Partial<Omit<LinkClick, "currentTarget">> = {}, attributes: Record<string, string> = { href: "/areas/llf/actions" }) {
  return {
    button: 0,
    defaultPrevented: false,
    metaKey: false,
    altKey: false,
    ctrlKey: false,
    shiftKey: false,
    ...overrides,
    currentTarget: { getAttribute: (name: string) => attributes[name] ?? null, hasAttribute: (name: string) => name in attributes },
    preventDefault: vi.fn(),
  };
}

afterEach(() => {
  setInAppNavigation(null);
  vi.unstubAllGlobals();
});

describe("inAppPath", () => {
  it("opens a plain click on a link into the app in place", () => {
    expect(inAppPath(click())).toBe("/areas/llf/actions");
    expect(inAppPath(click({}, { href: "/areas/llf/tracker?overdue=on", target: "_self" }))).toBe("/areas/llf/tracker?overdue=on");
  });

  it("leaves the browser to follow other buttons, modifier keys, other targets and downloads", () => {
    expect(inAppPath(click({ button: 1 }))).toBeNull();
    for (const key of ["metaKey", "altKey", "ctrlKey", "shiftKey"] as const) expect(inAppPath(click({ [key]: true }))).toBeNull();
    expect(inAppPath(click({ defaultPrevented: true }))).toBeNull();
    expect(inAppPath(click({}, { href: "/areas/llf/actions", target: "_blank" }))).toBeNull();
    expect(inAppPath(click({}, { href: "/areas/llf/tracker.csv", download: "" }))).toBeNull();
  });

  it("leaves links out of the app, to this page's parts and without an address to the browser", () => {
    expect(inAppPath(click({}, { href: "https://www.gov.uk/" }))).toBeNull();
    expect(inAppPath(click({}, { href: "//evil.example/x" }))).toBeNull();
    expect(inAppPath(click({}, { href: "/\\evil.example/x" }))).toBeNull();
    expect(inAppPath(click({}, { href: "#main-content" }))).toBeNull();
    expect(inAppPath(click({}, {}))).toBeNull();
  });
});

describe("followInApp", () => {
  it("does nothing until the page has hydrated, so the browser follows the link", () => {
    const event = click();
    followInApp(event as never);
    expect(event.preventDefault).not.toHaveBeenCalled();
  });

  it("navigates in place once hydrated, replacing the entry when the link is to the page shown", () => {
    vi.stubGlobal("window", { location: { pathname: "/areas/llf/actions", search: "", hash: "" } });
    const navigate = vi.fn();
    setInAppNavigation(navigate);
    const away = click({}, { href: "/areas/llf/tracker" });
    followInApp(away as never);
    expect(away.preventDefault).toHaveBeenCalledOnce();
    expect(navigate).toHaveBeenLastCalledWith("/areas/llf/tracker", { replace: false });
    followInApp(click() as never);
    expect(navigate).toHaveBeenLastCalledWith("/areas/llf/actions", { replace: true });
    const newTab = click({ ctrlKey: true });
    followInApp(newTab as never);
    expect(newTab.preventDefault).not.toHaveBeenCalled();
    expect(navigate).toHaveBeenCalledTimes(2);
  });
});
