import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { createStaticHandler } from "@remix-run/router";
import { describe, expect, it, vi } from "vitest";
import { createServerRoutesRemembered } from "~/lib/server-routes-remembered.server";
import { applyEdits, STATIC_ROUTER_PATCH } from "../../scripts/patch-dependencies.mjs";
import { rememberServerRoutes, SERVER_MODULE } from "../../scripts/vite-manifest-matching";
import { installedRemixReactModule } from "../support/installed-remix-react";

// A manifest and route modules shaped like a Remix build's (ids, parents, paths).
const manifest = {
  root: { id: "root", path: "" },
  "routes/areas.$area": { id: "routes/areas.$area", parentId: "root", path: "areas/:area" },
  "routes/areas.$area.actions._index": { id: "routes/areas.$area.actions._index", parentId: "routes/areas.$area", path: "actions", index: true },
};
const modules = () => ({ root: { default: () => null }, "routes/areas.$area": { default: () => null }, "routes/areas.$area.actions._index": { default: () => null } });
const future = { v3_singleFetch: true };

describe("createServerRoutesRemembered (finding 45)", () => {
  it("builds the route tree once for the same manifest, modules and flags, though Remix gives a new module table each render", () => {
    const shared = modules();
    const create = vi.fn(() => [{ id: "root" }]);
    const first = createServerRoutesRemembered(create, manifest, { ...shared }, future, false);
    const second = createServerRoutesRemembered(create, manifest, { ...shared }, future, false);
    expect(second).toBe(first);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it("builds it again when a route's module, the flags or the manifest differ", () => {
    const shared = modules();
    const localManifest = { ...manifest };
    const create = vi.fn(() => [{ id: "root" }]);
    const first = createServerRoutesRemembered(create, localManifest, shared, future, false);
    const otherModule = createServerRoutesRemembered(create, localManifest, { ...shared, root: { default: () => null } }, future, false);
    expect(otherModule).not.toBe(first);
    expect(createServerRoutesRemembered(create, localManifest, { ...shared }, future, true)).not.toBe(otherModule);
    expect(createServerRoutesRemembered(create, localManifest, { ...shared }, { ...future }, true)).not.toBe(otherModule);
    expect(createServerRoutesRemembered(create, { ...localManifest }, { ...shared }, future, false)).not.toBe(first);
    expect(create).toHaveBeenCalledTimes(5);
  });
});

describe("the server build's rewrite of @remix-run/react's server module", () => {
  const { file, source } = installedRemixReactModule("server.js");

  it("applies to the installed module: RemixServer takes its route tree from the remembering module, and nothing else changes", () => {
    expect(SERVER_MODULE.test(file)).toBe(true);
    const rewritten = rememberServerRoutes(source, "/app/lib/server-routes-remembered.server.ts");
    expect(rewritten.startsWith('import { createServerRoutesRemembered } from "/app/lib/server-routes-remembered.server.ts";\n')).toBe(true);
    expect(rewritten).toContain("let routes = createServerRoutesRemembered(createServerRoutes, manifest.routes, routeModules, context.future, context.isSpaMode);");
    const back = rewritten
      .replace(/^import \{ createServerRoutesRemembered \}.*\n/, "")
      .replace("createServerRoutesRemembered(createServerRoutes, ", "createServerRoutes(");
    expect(back).toBe(source);
  });

  it("fails the build, naming the decision, when RemixServer no longer builds its routes as expected", () => {
    const changed = source.replace("createServerRoutes(manifest.routes, routeModules, context.future, context.isSpaMode)", "createServerRoutes(manifest.routes, routeModules, context.future)");
    expect(() => rememberServerRoutes(changed, "/x.ts")).toThrow(/decision 014/);
  });
});

describe("react-router-dom's createStaticRouter as Node loads it (decision 021)", async () => {
  const require = createRequire(import.meta.url);
  const serverFile = path.join(path.dirname(require.resolve("react-router-dom")), "..", STATIC_ROUTER_PATCH.file);
  const { createStaticRouter } = (await import(serverFile)) as typeof import("react-router-dom/server");

  it("carries the patch: applying it again changes nothing", () => {
    const installed = readFileSync(serverFile, "utf8");
    expect(installed).toContain("static router's data routes remembered (decision 021)");
    expect(applyEdits(installed, STATIC_ROUTER_PATCH)).toBe(installed);
  });

  const tree = () => [{ id: "root", path: "/", children: [{ id: "area", path: "areas/:area", children: [{ id: "actions", path: "actions" }] }] }];
  async function contextFor(routes: ReturnType<typeof tree>, url: string) {
    const context = await createStaticHandler(routes).query(new Request(`http://localhost${url}`));
    if (context instanceof Response) throw new Error("unexpected response");
    return context;
  }

  it("gives the same data routes to every render of the same tree, each with its own state and matches", async () => {
    const routes = tree();
    const one = createStaticRouter(routes, await contextFor(routes, "/areas/ab/actions"));
    const two = createStaticRouter(routes, await contextFor(routes, "/areas/cd"));
    expect(two.routes).toBe(one.routes);
    expect(one.state.matches.map((m) => [m.route.id, m.params.area])).toEqual([
      ["root", "ab"],
      ["area", "ab"],
      ["actions", "ab"],
    ]);
    expect(two.state.matches.map((m) => [m.route.id, m.params.area])).toEqual([
      ["root", "cd"],
      ["area", "cd"],
    ]);
    // The matches point at the data routes, as before the patch.
    expect(one.state.matches[2].route).toBe(one.routes[0].children![0].children![0]);
  });

  it("converts a new tree, or a tree with a route added, afresh", async () => {
    const routes = tree();
    const first = createStaticRouter(routes, await contextFor(routes, "/areas/ab"));
    expect(createStaticRouter(tree(), await contextFor(tree(), "/areas/ab")).routes).not.toBe(first.routes);
    routes[0].children[0].children.push({ id: "tracker", path: "tracker" });
    const grown = createStaticRouter(routes, await contextFor(routes, "/areas/ab/tracker"));
    expect(grown.routes).not.toBe(first.routes);
    expect(grown.state.matches.map((m) => m.route.id)).toEqual(["root", "area", "tracker"]);
  });
});
