import type { EntryContext } from "@remix-run/node";
import { createStaticHandler } from "@remix-run/router";
import { Suspense, type ComponentType } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import handleRequest from "~/entry.server";

/** A one-route app as Remix hands it to the document renderer, rendering `Page`. */
async function contextFor(Page: ComponentType): Promise<EntryContext> {
  const handler = createStaticHandler([{ id: "root", path: "/", loader: () => null }]);
  const staticHandlerContext = await handler.query(new Request("http://127.0.0.1/"));
  if (staticHandlerContext instanceof Response) throw new Error("expected a render context");
  return {
    manifest: {
      routes: { root: { id: "root", path: "/", hasLoader: true, hasAction: false, hasClientLoader: false, hasClientAction: false, hasErrorBoundary: false, module: "/root.js", imports: [] } },
      entry: { module: "/entry.js", imports: [] },
      url: "/manifest.js",
      version: "test",
    },
    routeModules: { root: { default: Page } },
    staticHandlerContext,
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_lazyRouteDiscovery: true, v3_singleFetch: true },
    isSpaMode: false,
    serverHandoffString: "{}",
    serializeError: (error: Error) => ({ message: error.message }),
    renderMeta: {},
  } as unknown as EntryContext;
}

const pendingTimers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;

afterEach(() => {
  vi.useRealTimers();
});

describe("the document renderer (app/entry.server.tsx)", () => {
  it("leaves no timer behind once a page is rendered in full", async () => {
    const context = await contextFor(() => <p>Rendered in full</p>);
    const before = pendingTimers();
    const response = (await handleRequest(new Request("http://127.0.0.1/"), 200, new Headers(), context, { cspNonce: "n" } as never)) as Response;
    const html = await response.text();
    expect(html).toContain("Rendered in full");
    expect(response.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    // The abort timer held the request's render and loader data for 5 s after the response (finding 38).
    expect(pendingTimers()).toBe(before);
  });

  it("answers a crawler once everything is rendered, and leaves no timer behind either", async () => {
    const context = await contextFor(() => <p>Rendered for a crawler</p>);
    const before = pendingTimers();
    const request = new Request("http://127.0.0.1/", { headers: { "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" } });
    const response = (await handleRequest(request, 200, new Headers(), context, { cspNonce: "n" } as never)) as Response;
    expect(await response.text()).toContain("Rendered for a crawler");
    expect(pendingTimers()).toBe(before);
  });

  it("still aborts a render that has not finished after the delay", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const never = new Promise<never>(() => {});
    function Waits(): never {
      throw never;
    }
    const context = await contextFor(() => (
      <div>
        <p>Shell</p>
        <Suspense fallback={<p>Loading</p>}>
          <Waits />
        </Suspense>
      </div>
    ));
    const response = (await handleRequest(new Request("http://127.0.0.1/"), 200, new Headers(), context, { cspNonce: "n" } as never)) as Response;
    let finished = false;
    const body = response.text().then((text) => {
      finished = true;
      return text;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(false);
    vi.advanceTimersByTime(5_000);
    const html = await body;
    expect(html).toContain("Shell");
    expect(html).toContain("Loading");
    // Logged as a render error, as any abort after the shell is.
    expect(String(logged.mock.calls[0]?.[0])).toMatch(/aborted/);
    logged.mockRestore();
  });
});
