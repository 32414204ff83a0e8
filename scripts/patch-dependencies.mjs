// The project's edits to installed packages, applied after every `npm ci` / `npm install`
// (package.json's postinstall). Each names the exact version it was written for and the exact
// text it replaces: on any other version, or if the text is not there once, it stops the install
// with a message, so an edit can never silently stop applying. Running it again changes nothing.
// Decision 021.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const MARKER = "/* panel: route matching remembered (decision 021) */";

/**
 * @remix-run/router's CommonJS build, which Node loads (through @remix-run/server-runtime and
 * react-router) and the browser bundle does not (Vite takes the ES module build). Every request
 * matched its URL against the app's routes two or three times, and each time flattened and ranked
 * every route and compiled route patterns into regular expressions again (docs/performance.md,
 * finding 35). Patterns now compile once (up to 1,000 kept), and a route tree's ranked branches are kept for as long
 * as the tree lives and has as many routes as when they were ranked.
 */
export const ROUTER_PATCH = {
  packageName: "@remix-run/router",
  version: "1.23.3",
  file: "dist/router.cjs.js",
  edits: [
    {
      find: `  let branches = flattenRoutes(routes);
  rankRouteBranches(branches);
  let matches = null;`,
      replace: `  ${MARKER}
  let branches = rankedBranchesRemembered(routes);
  let matches = null;`,
    },
    {
      find: `function flattenRoutes(routes, branches, parentsMeta, parentPath) {`,
      replace: `${MARKER}
const rememberedBranches = new WeakMap();
function countRoutes(routes) {
  let count = routes.length;
  for (const route of routes) if (route.children) count += countRoutes(route.children);
  return count;
}
function rankedBranchesRemembered(routes) {
  const count = countRoutes(routes);
  const remembered = rememberedBranches.get(routes);
  if (remembered && remembered.count === count) return remembered.branches;
  const branches = flattenRoutes(routes);
  rankRouteBranches(branches);
  rememberedBranches.set(routes, { count, branches });
  return branches;
}
function flattenRoutes(routes, branches, parentsMeta, parentPath) {`,
    },
    {
      find: `function compilePath(path, caseSensitive, end) {
  if (caseSensitive === void 0) {
    caseSensitive = false;
  }
  if (end === void 0) {
    end = true;
  }
`,
      replace: `${MARKER}
const compiledPaths = new Map();
function compilePath(path, caseSensitive, end) {
  if (caseSensitive === void 0) {
    caseSensitive = false;
  }
  if (end === void 0) {
    end = true;
  }
  const key = (caseSensitive ? "c" : "i") + (end ? "e" : "p") + path;
  let compiled = compiledPaths.get(key);
  if (compiled === undefined) {
    compiled = compilePathAfresh(path, caseSensitive, end);
    // The app's route patterns are a few dozen; a caller matching made-up patterns cannot grow this without bound.
    if (compiledPaths.size >= 1000) compiledPaths.clear();
    compiledPaths.set(key, compiled);
  }
  return compiled;
}
function compilePathAfresh(path, caseSensitive, end) {
`,
    },
  ],
};

export const PATCHES = [ROUTER_PATCH];

/** The patched text of one file, or the same text if it already carries the patch. Throws when an edit's text is not there exactly once. */
export function applyEdits(code, patch) {
  if (code.includes(MARKER)) return code;
  let result = code;
  for (const { find, replace } of patch.edits) {
    const at = result.indexOf(find);
    if (at === -1 || result.indexOf(find, at + 1) !== -1) {
      throw new Error(
        `${patch.packageName} ${patch.version}: ${patch.file} does not contain the text to replace exactly once:\n${find.split("\n")[0]}\nReview decision 021 before changing this package.`,
      );
    }
    result = result.slice(0, at) + replace + result.slice(at + find.length);
  }
  return result;
}

/** Applies one patch to the installed package under `nodeModules`; says whether the file changed. Throws on another version. */
export function applyPatch(nodeModules, patch) {
  const packageDir = path.join(nodeModules, patch.packageName);
  const { version } = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8"));
  if (version !== patch.version) {
    throw new Error(`${patch.packageName} is ${version}, but its patch was written for ${patch.version}. Review decision 021 and the patch in scripts/patch-dependencies.mjs.`);
  }
  const file = path.join(packageDir, patch.file);
  const code = readFileSync(file, "utf8");
  const patched = applyEdits(code, patch);
  if (patched === code) return false;
  writeFileSync(file, patched);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const nodeModules = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../node_modules");
  try {
    for (const patch of PATCHES) {
      const changed = applyPatch(nodeModules, patch);
      console.log(`${patch.packageName} ${patch.version}: ${changed ? "patched" : "already patched"} (decision 021).`);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
