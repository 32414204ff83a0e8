import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { applyEdits, applyPatch, ROUTER_PATCH } from "../../scripts/patch-dependencies.mjs";
import { fakeInstalls } from "../support/fake-install";

type Router = typeof import("@remix-run/router");
type Routes = Parameters<Router["matchRoutes"]>[0];

const routerDir = path.resolve("node_modules/@remix-run/router");
// What Node loads (patched) and the ES module build the browser bundle takes (as published).
const patched = createRequire(import.meta.url)(path.join(routerDir, ROUTER_PATCH.file)) as Router;
const published = (await import(pathToFileURL(path.join(routerDir, "dist/router.js")).href)) as Router;

/** A route tree shaped like the app's: layouts, index routes, dynamic, optional and splat segments, a case-sensitive path. */
function appLikeRoutes(): Routes {
  return [
    {
      id: "root",
      path: "/",
      children: [
        { id: "home", index: true },
        { id: "sign-in", path: "sign-in" },
        { id: "healthz", path: "healthz" },
        { id: "language", path: "language/:code?" },
        { id: "Exact", path: "Exact-Case", caseSensitive: true },
        {
          id: "area",
          path: "areas/:area",
          children: [
            { id: "area-home", index: true },
            { id: "actions", path: "actions" },
            { id: "action", path: "actions/:actionId" },
            { id: "tracker", path: "tracker" },
            { id: "tracker-csv", path: "tracker.csv" },
            { id: "meeting", path: "meetings/:meetingId", children: [{ id: "meeting-home", index: true }, { id: "readiness", path: "readiness" }, { id: "run", path: "run/:meetingCaseId" }] },
          ],
        },
        { id: "splat", path: "*" },
      ],
    },
  ];
}

const PATHS = [
  "/",
  "/sign-in",
  "/sign-in/",
  "/SIGN-IN",
  "/healthz",
  "/language",
  "/language/cy",
  "/exact-case",
  "/Exact-Case",
  "/areas/llf",
  "/areas/llf/actions",
  "/areas/llf/actions/0b1c",
  "/areas/llf/tracker.csv",
  "/areas/llf/meetings/m1",
  "/areas/llf/meetings/m1/readiness",
  "/areas/llf/meetings/m1/run/c%2F1",
  "/areas/llf/meetings/m1/run/c1/extra",
  "/nowhere/at/all",
];

const summary = (matches: ReturnType<Router["matchRoutes"]>) => matches?.map((m) => ({ id: m.route.id, params: m.params, pathname: m.pathname, base: m.pathnameBase })) ?? null;

describe("@remix-run/router as Node loads it (decision 021)", () => {
  it("carries the patch: applying it again changes nothing", () => {
    const installed = readFileSync(path.join(routerDir, ROUTER_PATCH.file), "utf8");
    expect(installed).toContain("route matching remembered, whole paths first (decision 021)");
    expect(applyEdits(installed, ROUTER_PATCH)).toBe(installed);
  });

  it("matches every path as the published router does, the first time and again", () => {
    const routes = appLikeRoutes();
    const expected = PATHS.map((p) => summary(published.matchRoutes(appLikeRoutes(), p)));
    expect(expected.filter((m) => m === null)).toHaveLength(0); // the splat route takes what nothing else does
    expect(PATHS.map((p) => summary(patched.matchRoutes(routes, p)))).toEqual(expected);
    expect(PATHS.map((p) => summary(patched.matchRoutes(routes, p)))).toEqual(expected);
    expect(summary(patched.matchRoutes(routes, "/areas/llf/meetings/m1/run/c1"))?.map((m) => m.id)).toEqual(["root", "area", "meeting", "run"]);
    expect(summary(patched.matchRoutes(routes, "/exact-case"))?.map((m) => m.id)).toEqual(["root", "splat"]);
  });

  it("answers matchPath as the published router does, for each kind of pattern", () => {
    const cases: [Parameters<Router["matchPath"]>[0], string][] = [
      ["/areas/:area", "/areas/llf"],
      ["/areas/:area", "/Areas/llf/"],
      [{ path: "/areas/:area", caseSensitive: true, end: true }, "/Areas/llf"],
      [{ path: "/areas/:area", end: false }, "/areas/llf/actions"],
      [{ path: "/areas/:area", end: true }, "/areas/llf/actions"],
      ["/files/*", "/files/a/b.pdf"],
      ["/language/:code?", "/language"],
    ];
    for (const [pattern, pathname] of cases) {
      for (let round = 0; round < 2; round++) expect(patched.matchPath(pattern, pathname), JSON.stringify([pattern, pathname, round])).toEqual(published.matchPath(pattern, pathname));
    }
  });

  it("compiles no pattern again once a route tree has been matched", () => {
    const routes = appLikeRoutes();
    for (const p of PATHS) patched.matchRoutes(routes, p);
    const Original = globalThis.RegExp;
    let constructed = 0;
    globalThis.RegExp = new Proxy(Original, {
      construct(target, args) {
        constructed++;
        return Reflect.construct(target, args);
      },
    });
    try {
      for (const p of PATHS) patched.matchRoutes(routes, p);
      // A new tree of the same routes (as each render builds) still reuses the compiled patterns.
      for (const p of PATHS) patched.matchRoutes(appLikeRoutes(), p);
    } finally {
      globalThis.RegExp = Original;
    }
    expect(constructed).toBe(0);
  });

  it("matches as the published router does on random route trees and random paths, case, slashes and encoding included", () => {
    // sfc32-like small generator: deterministic, so a failure names its seed.
    let state = 0x9e3779b9;
    const random = () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    const literals = ["areas", "meetings", "run", "actions", "tracker.csv", "a", "A", "b-c", "x_y", "%20", "ŵ"] as const;
    const segment = () => (random() < 0.3 ? `:p${Math.floor(random() * 4)}` : pick(literals));
    const pathOf = (n: number) => Array.from({ length: n }, segment).join("/");
    let ids = 0;
    function tree(depth: number): Routes {
      return Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
        const id = `r${ids++}`;
        const kind = random();
        // Mostly plain paths; some layouts without a path, index routes, optional segments, splats, slashes at an end, case-sensitive ones.
        if (kind < 0.1) return { id, index: true };
        if (kind < 0.18 && depth < 3) return { id, children: tree(depth + 1) };
        const path =
          kind < 0.22 ? `${pathOf(1)}/:opt?` : kind < 0.26 ? `${pathOf(1)}/*` : kind < 0.28 ? "*" : kind < 0.3 ? `${pathOf(1)}/` : kind < 0.32 ? "" : pathOf(1 + Math.floor(random() * 3));
        return { id, path, caseSensitive: random() < 0.1 || undefined, children: depth < 3 && random() < 0.4 ? tree(depth + 1) : undefined };
      });
    }
    const pathSegment = () => (random() < 0.6 ? pick(literals) : pick(["AREAS", "Run", "v1", "%2F", "x%20y", "", "ŵ", "b-c"]));
    // Paths made from the tree's own routes (so that most of them match something), then altered: case, slashes, segments added or dropped.
    function routePaths(routes: Routes, prefix: string, out: string[]) {
      for (const route of routes) {
        const path = (route.path ?? "")
          .split("/")
          .map((part) => (part === "*" ? Array.from({ length: Math.floor(random() * 3) }, pathSegment).join("/") : part.startsWith(":") ? (part.endsWith("?") && random() < 0.5 ? "" : pick(["v1", "ŵ", "a", "x%20y"])) : part))
          .join("/");
        const full = `${prefix}/${path}`;
        out.push(full);
        if (route.children) routePaths(route.children, full, out);
      }
      return out;
    }
    const alter = (pathname: string) => {
      const roll = random();
      if (roll < 0.4) return pathname;
      if (roll < 0.5) return pathname.toUpperCase();
      if (roll < 0.6) return pathname.replace("/", "//");
      if (roll < 0.7) return `${pathname}/`;
      if (roll < 0.8) return `${pathname}/${pathSegment()}`;
      if (roll < 0.9) return pathname.split("/").slice(0, -1).join("/") || "/";
      return `/${Array.from({ length: Math.floor(random() * 6) }, pathSegment).join("/")}`;
    };
    let compared = 0;
    let matched = 0;
    for (let t = 0; t < 150; t++) {
      const routes = tree(0);
      for (const pathname of routePaths(routes, "", []).map(alter)) {
        const expected = summary(published.matchRoutes(routes, pathname));
        expect(summary(patched.matchRoutes(routes, pathname)), `tree ${t}, ${pathname}`).toEqual(expected);
        compared++;
        if (expected !== null) matched++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(matched).toBeGreaterThan(compared / 3);
  });

  it("sees a route added to a tree it has already ranked", () => {
    const routes = appLikeRoutes();
    expect(summary(patched.matchRoutes(routes, "/areas/llf/audit"))?.map((m) => m.id)).toEqual(["root", "splat"]);
    const area = routes[0].children!.find((r) => r.id === "area")!;
    area.children!.push({ id: "audit", path: "audit" });
    expect(summary(patched.matchRoutes(routes, "/areas/llf/audit"))?.map((m) => m.id)).toEqual(["root", "area", "audit"]);
    expect(summary(patched.matchRoutes(routes, "/areas/llf/audit"))).toEqual(summary(published.matchRoutes(routes, "/areas/llf/audit")));
  });
});

describe("scripts/patch-dependencies.mjs", () => {
  const installs = fakeInstalls();
  afterAll(() => installs.removeAll());
  const fakeInstall = (version: string, code: string) => installs.install(ROUTER_PATCH, version, code);
  const original = ROUTER_PATCH.edits.map((e) => e.find).join("\n/* between */\n");

  it("applies every edit once to the version it was written for, and then leaves the file alone", () => {
    const { nodeModules, file } = fakeInstall(ROUTER_PATCH.version, original);
    expect(applyPatch(nodeModules, ROUTER_PATCH)).toBe(true);
    const once = readFileSync(file, "utf8");
    for (const { replace } of ROUTER_PATCH.edits) expect(once).toContain(replace);
    expect(applyPatch(nodeModules, ROUTER_PATCH)).toBe(false);
    expect(readFileSync(file, "utf8")).toBe(once);
  });

  it("refuses another version of the package, and leaves it as it was", () => {
    const { nodeModules, file } = fakeInstall("1.24.0", original);
    expect(() => applyPatch(nodeModules, ROUTER_PATCH)).toThrow(/is 1\.24\.0, but its patch was written for 1\.23\.3.*decision 021/);
    expect(readFileSync(file, "utf8")).toBe(original);
  });

  it("asks for a fresh install of a file that carries an earlier version of the edit", () => {
    const earlier = `${original}\n/* panel: route matching remembered (decision 021) */`;
    expect(() => applyEdits(earlier, ROUTER_PATCH)).toThrow(/carries an earlier version of the project's edit\. Install it afresh \(npm ci\)/);
  });

  it("refuses a file in which the text to replace is missing or appears twice", () => {
    const missing = original.replace("rankRouteBranches(branches);", "rankBranches(branches);");
    expect(() => applyEdits(missing, ROUTER_PATCH)).toThrow(/does not contain the text to replace exactly once:\n {2}let branches = flattenRoutes\(routes\);/);
    const twice = `${original}\n${ROUTER_PATCH.edits.find((e) => e.find.startsWith("function compilePath"))!.find}`;
    expect(() => applyEdits(twice, ROUTER_PATCH)).toThrow(/function compilePath\(path, caseSensitive, end\) \{/);
  });
});
