import path from "node:path";
import type { Plugin } from "vite";

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
  const at = code.indexOf(ORIGINAL_IMPORT);
  if (at === -1 || code.indexOf(ORIGINAL_IMPORT, at + 1) !== -1) {
    throw new Error(`@remix-run/react's fog-of-war module no longer imports matchRoutes as "${ORIGINAL_IMPORT}"; review decision 014 before upgrading Remix.`);
  }
  return code.replace(ORIGINAL_IMPORT, `import { matchRoutesRemembered as matchRoutes } from ${JSON.stringify(replacementModule)};`);
}

/** The Vite plugin: production server build only (the dev server reloads routes, so it must not remember). */
export function manifestMatchingPlugin(root: string): Plugin {
  const replacement = path.join(root, "app/lib/manifest-matching.server.ts");
  let applied = false;
  let serverBuild = false;
  return {
    name: "panel:remember-manifest-matching",
    apply: "build",
    enforce: "pre",
    configResolved(config) {
      serverBuild = Boolean(config.build.ssr);
    },
    transform(code, id, options) {
      if (!options?.ssr || !FOG_OF_WAR_MODULE.test(id.split("?")[0])) return null;
      applied = true;
      return { code: rememberManifestMatching(code, replacement), map: null };
    },
    buildEnd(error) {
      if (!error && serverBuild && !applied) {
        this.error("The server build did not include @remix-run/react's fog-of-war module: is @remix-run/react still in ssr.noExternal (decision 014)?");
      }
    },
  };
}
