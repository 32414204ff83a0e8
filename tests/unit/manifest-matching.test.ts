import { matchRoutes, type AgnosticRouteObject } from "@remix-run/router";
import { describe, expect, it } from "vitest";
import { matchRoutesRemembered, REMEMBERED_PATHS, rememberedPaths } from "~/lib/manifest-matching.server";
import { FOG_OF_WAR_MODULE, rememberManifestMatching } from "../../scripts/vite-manifest-matching";
import { installedRemixReactModule } from "../support/installed-remix-react";

const routes: AgnosticRouteObject[] = [
  {
    id: "root",
    path: "/",
    children: [
      { id: "home", index: true },
      {
        id: "area",
        path: "areas/:area",
        children: [
          { id: "area-home", index: true },
          { id: "meeting", path: "meetings/:meetingId", children: [{ id: "run", path: "run/:meetingCaseId" }] },
        ],
      },
    ],
  },
];
const ids = (matches: ReturnType<typeof matchRoutes>) => matches?.map((m) => m.route.id) ?? null;

describe("matchRoutesRemembered", () => {
  it("answers as matchRoutes does, for paths that match and paths that do not", () => {
    for (const path of ["/", "/areas/llf", "/areas/llf/meetings/m1", "/areas/llf/meetings/m1/run/c1", "/nowhere/at/all"]) {
      const remembered = matchRoutesRemembered(routes, path);
      expect(ids(remembered), path).toEqual(ids(matchRoutes(routes, path)));
      expect(remembered?.map((m) => m.params), path).toEqual(matchRoutes(routes, path)?.map((m) => m.params));
    }
    expect(ids(matchRoutesRemembered(routes, "/areas/llf/meetings/m1/run/c1"))).toEqual(["root", "area", "meeting", "run"]);
    expect(matchRoutesRemembered(routes, "/nowhere/at/all")).toBeNull();
  });

  it("remembers an answer per path (and per basename) rather than matching again", () => {
    const first = matchRoutesRemembered(routes, "/areas/abc/meetings/m9");
    expect(matchRoutesRemembered(routes, "/areas/abc/meetings/m9")).toBe(first);
    expect(matchRoutesRemembered(routes, "/areas/abd/meetings/m9")).not.toBe(first);
    expect(ids(matchRoutesRemembered(routes, "/panel/areas/abc", "/panel"))).toEqual(["root", "area", "area-home"]);
    expect(matchRoutesRemembered(routes, "/panel/areas/abc")).toBeNull();
  });

  it("keeps at most a fixed number of paths, dropping the least recently used", () => {
    const kept = matchRoutesRemembered(routes, "/areas/kept");
    for (let i = 0; i < REMEMBERED_PATHS + 50; i++) {
      matchRoutesRemembered(routes, `/areas/a${i}`);
      // Used again and again, so never the oldest.
      if (i % 100 === 0) expect(matchRoutesRemembered(routes, "/areas/kept")).toBe(kept);
    }
    expect(rememberedPaths()).toBe(REMEMBERED_PATHS);
    expect(matchRoutesRemembered(routes, "/areas/kept")).toBe(kept);
    const dropped = matchRoutes(routes, "/areas/a0");
    expect(ids(matchRoutesRemembered(routes, "/areas/a0"))).toEqual(ids(dropped));
  });
});

describe("the server build's rewrite of @remix-run/react's fog-of-war module", () => {
  const { file, source } = installedRemixReactModule("fog-of-war.js");

  it("applies to the installed module, and makes it take matchRoutes from the remembering module", () => {
    expect(FOG_OF_WAR_MODULE.test(file)).toBe(true);
    const rewritten = rememberManifestMatching(source, "/app/lib/manifest-matching.server.ts");
    expect(rewritten).toContain('import { matchRoutesRemembered as matchRoutes } from "/app/lib/manifest-matching.server.ts";');
    expect(rewritten).not.toContain("from '@remix-run/router'");
    // Nothing else changes: the module still matches every parent path of the URL.
    expect(rewritten.replace(/^import \{ matchRoutesRemembered.*$/m, "")).toBe(source.replace(/^import \{ matchRoutes \} from '@remix-run\/router';$/m, ""));
    expect(rewritten).toContain("matchRoutes(router.routes, path, router.basename)");
  });

  it("fails the build, naming the decision, when the module no longer imports matchRoutes as expected", () => {
    expect(() => rememberManifestMatching(source.replace("import { matchRoutes } from '@remix-run/router';", "import { matchRoutes } from 'react-router';"), "/x.ts")).toThrow(/decision 014/);
  });
});
