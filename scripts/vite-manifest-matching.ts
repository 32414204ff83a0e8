import path from "node:path";
import type { Plugin } from "vite";

/**
 * Replaces `text`, which must be in `code` exactly once, with `replacement`; otherwise fails the
 * build with `problem`, naming decision 014, so that a Remix upgrade cannot silently stop a rewrite
 * from applying.
 */
function replaceExactlyOnce(code: string, text: string, replacement: string, problem: string): string {
  const at = code.indexOf(text);
  if (at === -1 || code.indexOf(text, at + 1) !== -1) throw new Error(`${problem}; review decision 014 before upgrading Remix.`);
  return code.slice(0, at) + replacement + code.slice(at + text.length);
}

/** The module of @remix-run/react whose route matching the server build remembers. */
export const FOG_OF_WAR_MODULE = /[\\/]@remix-run[\\/]react[\\/]dist[\\/]esm[\\/]fog-of-war\.js$/;
const ORIGINAL_IMPORT = "import { matchRoutes } from '@remix-run/router';";

/**
 * Rewrites @remix-run/react's fog-of-war module to take `matchRoutes` from
 * app/lib/manifest-matching.server.ts, which remembers the answer per path. Fails the build when
 * the import is not there as expected (a Remix upgrade changed the module), so the change can
 * never silently stop applying. Decision 014.
 */
export function rememberManifestMatching(code: string, replacementModule: string): string {
  return replaceExactlyOnce(
    code,
    ORIGINAL_IMPORT,
    `import { matchRoutesRemembered as matchRoutes } from ${JSON.stringify(replacementModule)};`,
    `@remix-run/react's fog-of-war module no longer imports matchRoutes as "${ORIGINAL_IMPORT}"`,
  );
}

/** The module of @remix-run/react whose `RemixServer` builds the route tree for each render. */
export const SERVER_MODULE = /[\\/]@remix-run[\\/]react[\\/]dist[\\/]esm[\\/]server\.js$/;
const ORIGINAL_ROUTES_CALL = "let routes = createServerRoutes(manifest.routes, routeModules, context.future, context.isSpaMode);";

/**
 * Rewrites `RemixServer` to take the route tree from app/lib/server-routes-remembered.server.ts,
 * which builds it once for the build instead of once a render (finding 45). Fails the build when
 * the call is not there exactly once, as above. Decision 014.
 */
export function rememberServerRoutes(code: string, replacementModule: string): string {
  const rewritten = replaceExactlyOnce(
    code,
    ORIGINAL_ROUTES_CALL,
    "let routes = createServerRoutesRemembered(createServerRoutes, manifest.routes, routeModules, context.future, context.isSpaMode);",
    `@remix-run/react's server module no longer builds its routes as "${ORIGINAL_ROUTES_CALL}"`,
  );
  return `import { createServerRoutesRemembered } from ${JSON.stringify(replacementModule)};\n${rewritten}`;
}

/** The Vite plugin: production server build only (the dev server reloads routes, so it must not remember). */
export function manifestMatchingPlugin(root: string): Plugin {
  const replacement = path.join(root, "app/lib/manifest-matching.server.ts");
  const routesReplacement = path.join(root, "app/lib/server-routes-remembered.server.ts");
  let applied = false;
  let routesApplied = false;
  let serverBuild = false;
  return {
    name: "panel:remember-manifest-matching",
    apply: "build",
    enforce: "pre",
    configResolved(config) {
      serverBuild = Boolean(config.build.ssr);
    },
    transform(code, id, options) {
      if (!options?.ssr) return null;
      const file = id.split("?")[0];
      if (FOG_OF_WAR_MODULE.test(file)) {
        applied = true;
        return { code: rememberManifestMatching(code, replacement), map: null };
      }
      if (SERVER_MODULE.test(file)) {
        routesApplied = true;
        return { code: rememberServerRoutes(code, routesReplacement), map: null };
      }
      return null;
    },
    buildEnd(error) {
      if (!error && serverBuild && (!applied || !routesApplied)) {
        this.error(`The server build did not include @remix-run/react's ${applied ? "server" : "fog-of-war"} module: is @remix-run/react still in ssr.noExternal (decision 014)?`);
      }
    },
  };
}
