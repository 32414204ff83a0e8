import { matchRoutes } from "@remix-run/router";
import { rememberedAnswers } from "./remembered";

/**
 * Remix's `matchRoutes`, remembered per path, for the server render's initial route manifest.
 *
 * With lazy route discovery, every document Remix renders lists the routes for its URL and for each
 * of the URL's parents (`getPartialManifest`). Each of those is a full `matchRoutes`: flatten and
 * rank every route of the app, then compile route patterns into regular expressions until one
 * fits. A case page's URL has six parents, so about 2 ms of every page view went on matching the
 * same paths against the same routes (docs/performance.md, finding 17). The routes are fixed for a
 * build, so what a path matches is too; this keeps the answers for the most recent paths.
 *
 * Only the server build uses it, through a build step in vite.config.ts (decision 014).
 */
export const REMEMBERED_PATHS = 2000;

const remembered = rememberedAnswers<string, ReturnType<typeof matchRoutes>>(REMEMBERED_PATHS);

export function matchRoutesRemembered(...args: Parameters<typeof matchRoutes>): ReturnType<typeof matchRoutes> {
  const [routes, location, basename] = args;
  if (typeof location !== "string") return matchRoutes(routes, location, basename);
  return remembered.get(`${basename ?? ""}\u0000${location}`, () => matchRoutes(routes, location, basename));
}

/** How many paths are remembered (for tests). */
export function rememberedPaths() {
  return remembered.size;
}
