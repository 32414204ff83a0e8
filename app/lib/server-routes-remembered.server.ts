/**
 * Remix's `createServerRoutes`, remembered for the build, for the server render's route tree.
 *
 * Every document Remix renders (`RemixServer`) built the app's whole route tree afresh from the
 * build's manifest: one object for each of its routes, a loader stub and components each. React
 * Router then converted that new tree into data routes, and flattened and ranked it to match the
 * URL, because a new tree is never one it has seen (docs/performance.md, finding 45). The manifest,
 * the route modules and the future flags are the build's own and never change while it runs, so
 * neither does the tree: this keeps it, and builds it again only if one of them is not the same.
 *
 * Only the production server build uses it, through a build step in vite.config.ts (decision 014).
 */
type RouteTree = unknown[];
type Manifest = Record<string, unknown>;
type RouteModules = Record<string, unknown>;

interface Remembered {
  routeModules: RouteModules;
  future: unknown;
  isSpaMode: boolean;
  routes: RouteTree;
}

const rememberedByManifest = new WeakMap<Manifest, Remembered>();

/** Whether two route-module tables hold the same module for every route of the manifest. */
function sameModules(manifest: Manifest, a: RouteModules, b: RouteModules) {
  for (const id in manifest) if (a[id] !== b[id]) return false;
  return true;
}

export function createServerRoutesRemembered<T extends RouteTree>(
  create: (manifest: Manifest, routeModules: RouteModules, future: unknown, isSpaMode: boolean) => T,
  manifest: Manifest,
  routeModules: RouteModules,
  future: unknown,
  isSpaMode: boolean,
): T {
  const remembered = rememberedByManifest.get(manifest);
  if (remembered && remembered.future === future && remembered.isSpaMode === isSpaMode && sameModules(manifest, remembered.routeModules, routeModules)) {
    return remembered.routes as T;
  }
  const routes = create(manifest, routeModules, future, isSpaMode);
  // A copy: Remix makes the table afresh for every request, and the copy is what the next one is compared with.
  rememberedByManifest.set(manifest, { routeModules: { ...routeModules }, future, isSpaMode, routes });
  return routes;
}
