import type { ServerBuild } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { rememberLoaders } from "../../scripts/bench/render-floor";

type LoaderArgs = Parameters<NonNullable<ServerBuild["routes"][string]["module"]["loader"]>>[0];

function fakeBuild(calls: string[]) {
  const route = (id: string, loader?: (args: LoaderArgs) => unknown) => ({ id, path: id, module: { default: () => null, ...(loader ? { loader } : {}) } });
  return {
    assets: { version: "1" },
    routes: {
      root: route("root", ({ request }) => {
        calls.push(`root ${request.url}`);
        return { user: request.headers.get("cookie"), at: calls.length };
      }),
      page: route("page", ({ request }) => {
        calls.push(`page ${request.url}`);
        return new URL(request.url).pathname === "/gone" ? new Response(null, { status: 302, headers: { location: "/" } }) : { rows: [calls.length] };
      }),
      plain: route("plain"),
    },
  } as unknown as ServerBuild;
}

const args = (url: string, cookie: string) => ({ request: new Request(url, { headers: { cookie } }), params: {}, context: {} }) as unknown as LoaderArgs;
const load = (build: ServerBuild, id: string, url: string, cookie: string) => build.routes[id].module.loader!(args(url, cookie));

describe("rememberLoaders (the benchmark's render floor)", () => {
  it("runs a route's loader once for a URL and cookie, then answers from memory", async () => {
    const calls: string[] = [];
    const build = rememberLoaders(fakeBuild(calls));
    const first = await load(build, "root", "http://x/a", "s=1");
    expect(first).toEqual({ user: "s=1", at: 1 });
    expect(await load(build, "root", "http://x/a", "s=1")).toBe(first);
    expect(calls).toEqual(["root http://x/a"]);
  });

  it("keeps each route, URL and cookie apart", async () => {
    const calls: string[] = [];
    const build = rememberLoaders(fakeBuild(calls));
    expect(await load(build, "root", "http://x/a", "s=1")).toEqual({ user: "s=1", at: 1 });
    expect(await load(build, "root", "http://x/a", "s=2")).toEqual({ user: "s=2", at: 2 });
    expect(await load(build, "root", "http://x/b", "s=1")).toEqual({ user: "s=1", at: 3 });
    expect(await load(build, "page", "http://x/a", "s=1")).toEqual({ rows: [4] });
    expect(calls).toHaveLength(4);
  });

  it("never remembers a Response", async () => {
    const calls: string[] = [];
    const build = rememberLoaders(fakeBuild(calls));
    expect(((await load(build, "page", "http://x/gone", "s=1")) as Response).status).toBe(302);
    expect(((await load(build, "page", "http://x/gone", "s=1")) as Response).status).toBe(302);
    expect(calls).toEqual(["page http://x/gone", "page http://x/gone"]);
  });

  it("keeps routes without a loader, and the build it was given, as they were", () => {
    const original = fakeBuild([]);
    const build = rememberLoaders(original);
    expect(build.routes.plain).toBe(original.routes.plain);
    expect(build.routes.root).not.toBe(original.routes.root);
    expect(build.routes.root.module.default).toBe(original.routes.root.module.default);
    expect(build.assets).toBe(original.assets);
  });
});
