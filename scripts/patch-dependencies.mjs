// The project's edits to installed packages, applied after every `npm ci` / `npm install`
// (package.json's postinstall). Each names the exact version it was written for and the exact
// text it replaces: on any other version, or if the text is not there once, it stops the install
// with a message, so an edit can never silently stop applying. Running it again changes nothing.
// Decisions 021 and 025.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const MARKER = "/* panel: route matching remembered, whole paths first (decision 021) */";

// Both route patches keep what they computed for a route tree while it has as many routes as then;
// each installed file gets its own copy of this function.
const COUNT_ROUTES = `function countRoutes(routes) {
  let count = routes.length;
  for (const route of routes) if (route.children) count += countRoutes(route.children);
  return count;
}`;

/**
 * @remix-run/router's CommonJS build, which Node loads (through @remix-run/server-runtime and
 * react-router) and the browser bundle does not (Vite takes the ES module build). Every request
 * matched its URL against the app's routes two or three times, and each time flattened and ranked
 * every route and compiled route patterns into regular expressions again (docs/performance.md,
 * finding 35). Patterns now compile once (up to 1,000 kept), and a route tree's ranked branches are kept for as long
 * as the tree lives and has as many routes as when they were ranked. Each branch of plain paths is
 * first tested with one pattern for its whole path, so the branches that cannot match are passed
 * over without matching their routes one by one (finding 44).
 */
export const ROUTER_PATCH = {
  packageName: "@remix-run/router",
  version: "1.23.3",
  file: "dist/router.cjs.js",
  marker: MARKER,
  // What an earlier version of this edit left in the file: such a file is installed afresh, not edited again.
  previousMarkers: ["/* panel: route matching remembered (decision 021) */"],
  decision: "decision 021",
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
${COUNT_ROUTES}
function rankedBranchesRemembered(routes) {
  const count = countRoutes(routes);
  const remembered = rememberedBranches.get(routes);
  if (remembered && remembered.count === count) return remembered.branches;
  const branches = flattenRoutes(routes);
  rankRouteBranches(branches);
  for (const branch of branches) branch.wholePath = wholePathPattern(branch);
  rememberedBranches.set(routes, { count, branches });
  return branches;
}
// A route path of plain segments: literals, and parameters that are a whole segment; no optional
// segment, no splat, no slash at either end.
const PLAIN_PATH = /^(?:(?:[^/:*?]+|:[\\w-]+)(?:\\/(?:[^/:*?]+|:[\\w-]+))*)?$/;
// When every route of a branch has a plain path, the branch can match only a pathname that its
// whole path, as one pattern and ignoring case, matches to the end: that one test rules out a
// branch before it is matched route by route. Otherwise null: the branch is always matched in full.
function wholePathPattern(branch) {
  for (const meta of branch.routesMeta) if (!PLAIN_PATH.test(meta.relativePath)) return null;
  return compilePath(branch.path, false, true)[0];
}
function flattenRoutes(routes, branches, parentsMeta, parentPath) {`,
    },
    {
      find: `    matches = matchRouteBranch(branches[i], decoded, allowPartial);`,
      replace: `    ${MARKER}
    if (!allowPartial && branches[i].wholePath && !branches[i].wholePath.test(decoded)) continue;
    matches = matchRouteBranch(branches[i], decoded, allowPartial);`,
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

const REACT_MARKER = "/* panel: text encoded once a chunk (decision 025) */";

/**
 * react-dom's server renderer for Node, production build (what the app renders pages with; the
 * development build, which Vite's dev server and the unit tests use, is not touched). React 18.3
 * turned every piece of markup it wrote (a tag's name, an attribute, a text, often a few bytes)
 * into bytes on its own: one `TextEncoder.encodeInto` call and one new typed-array view each, some
 * thousands a page; its fixed pieces were bytes from the start. Now every piece is text, added to
 * one string, and the string is encoded when it reaches 2,048 characters and when React finishes
 * a flush, where React wrote out its 2 KB byte buffer before. The bytes are the same, in the same
 * order and by the end of the same flushes, but for the NUL bytes React 18.3.1 wrote where a
 * character fell on the end of its buffer (React issue 31134; docs/performance.md, finding 43).
 */
export const REACT_DOM_SERVER_PATCH = {
  packageName: "react-dom",
  version: "18.3.1",
  file: "cjs/react-dom-server.node.production.min.js",
  marker: REACT_MARKER,
  decision: "decision 025",
  edits: [
    {
      find: `function r(a,b){if("string"===typeof b){if(0!==b.length)if(2048<3*b.length)0<l&&(t(a,k.subarray(0,l)),k=new Uint8Array(2048),l=0),t(a,u.encode(b));else{var c=k;0<l&&(c=k.subarray(l));c=u.encodeInto(b,c);var d=c.read;l+=c.written;d<b.length&&(t(a,k),k=new Uint8Array(2048),l=u.encodeInto(b.slice(d),k).written);2048===l&&(t(a,k),k=new Uint8Array(2048),l=0)}}else 0!==b.byteLength&&(2048<b.byteLength?(0<l&&(t(a,k.subarray(0,l)),k=new Uint8Array(2048),l=0),t(a,b)):(c=k.length-l,c<b.byteLength&&(0===c?t(a,
k):(k.set(b.subarray(0,c),l),l+=c,t(a,k),b=b.subarray(c)),k=new Uint8Array(2048),l=0),k.set(b,l),l+=b.byteLength,2048===l&&(t(a,k),k=new Uint8Array(2048),l=0)))}function t(a,b){a=a.write(b);q=q&&a}function w(a,b){r(a,b);return q}function ca(a){k&&0<l&&a.write(k.subarray(0,l));k=null;l=0;q=!0}var u=new aa.TextEncoder;function x(a){return u.encode(a)}`,
      replace: `${REACT_MARKER}
var pendingText="";
function writePendingText(a){0<pendingText.length&&(t(a,Buffer.from(pendingText,"utf8")),pendingText="")}
function r(a,b){if("string"!==typeof b){writePendingText(a);0!==b.byteLength&&t(a,b);return}pendingText+=b;2048<=pendingText.length&&writePendingText(a)}
function t(a,b){a=a.write(b);q=q&&a}function w(a,b){r(a,b);return q}function ca(a){0<pendingText.length&&a.write(Buffer.from(pendingText,"utf8"));pendingText="";k=null;l=0;q=!0}var u=new aa.TextEncoder;function x(a){return a}`,
    },
  ],
};

const STATIC_ROUTER_MARKER = "/* panel: static router's data routes remembered (decision 021) */";

/**
 * react-router-dom's `createStaticRouter` (the ES module build, which Remix's server render
 * imports) converted the route tree it was given into data routes on every render. The server
 * build now gives it the same tree every time (app/lib/server-routes-remembered.server.ts), so the
 * data routes, and their ranking for matching (above), are kept per tree while it lives and has as
 * many routes as when it was converted. A static router never changes its routes: its navigation
 * and route-patching methods throw (finding 45).
 */
export const STATIC_ROUTER_PATCH = {
  packageName: "react-router-dom",
  version: "6.30.4",
  file: "server.mjs",
  marker: STATIC_ROUTER_MARKER,
  decision: "decision 021",
  edits: [
    {
      find: `function createStaticRouter(routes, context, opts = {}) {
  let manifest = {};
  let dataRoutes = UNSAFE_convertRoutesToDataRoutes(routes, UNSAFE_mapRouteProperties, undefined, manifest);`,
      replace: `${STATIC_ROUTER_MARKER}
const rememberedDataRoutes = new WeakMap();
${COUNT_ROUTES}
function staticDataRoutes(routes) {
  const count = countRoutes(routes);
  let remembered = rememberedDataRoutes.get(routes);
  if (!remembered || remembered.count !== count) {
    const manifest = {};
    remembered = { count, manifest, dataRoutes: UNSAFE_convertRoutesToDataRoutes(routes, UNSAFE_mapRouteProperties, undefined, manifest) };
    rememberedDataRoutes.set(routes, remembered);
  }
  return remembered;
}
function createStaticRouter(routes, context, opts = {}) {
  let { manifest, dataRoutes } = staticDataRoutes(routes);`,
    },
  ],
};

export const PATCHES = [ROUTER_PATCH, REACT_DOM_SERVER_PATCH, STATIC_ROUTER_PATCH];

/** The patched text of one file, or the same text if it already carries the patch. Throws when an edit's text is not there exactly once. */
export function applyEdits(code, patch) {
  if (code.includes(patch.marker)) return code;
  if (patch.previousMarkers?.some((marker) => code.includes(marker))) {
    throw new Error(`${patch.packageName} ${patch.version}: ${patch.file} carries an earlier version of the project's edit. Install it afresh (npm ci) so that the current one applies (${patch.decision}).`);
  }
  let result = code;
  for (const { find, replace } of patch.edits) {
    const at = result.indexOf(find);
    if (at === -1 || result.indexOf(find, at + 1) !== -1) {
      throw new Error(
        `${patch.packageName} ${patch.version}: ${patch.file} does not contain the text to replace exactly once:\n${find.split("\n")[0]}\nReview ${patch.decision} before changing this package.`,
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
    throw new Error(`${patch.packageName} is ${version}, but its patch was written for ${patch.version}. Review ${patch.decision} and the patch in scripts/patch-dependencies.mjs.`);
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
      console.log(`${patch.packageName} ${patch.version}: ${changed ? "patched" : "already patched"} (${patch.decision}).`);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
