import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * What a production entry point ends up with: NODE_ENV, and which build of React DOM's server
 * renderer a module loaded after server/production-mode gets. Run in a fresh process, since
 * modules choose their build once, when they are first loaded.
 */
function probe(env: Record<string, string | undefined>, args: string[] = []) {
  const code = [
    'import "./server/production-mode.ts";',
    'import { createRequire } from "node:module";',
    "const require = createRequire(import.meta.url);",
    'require("react-dom/server");',
    'const loaded = Object.keys(require.cache).find((k) => /react-dom-server\\.node\\.(production|development)/.test(k)) ?? "";',
    "console.log(JSON.stringify({ nodeEnv: process.env.NODE_ENV ?? null, reactDom: /production/.test(loaded) ? 'production' : 'development' }));",
  ].join("\n");
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code, "--", ...args], { env: childEnv, encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!) as { nodeEnv: string | null; reactDom: string };
}

describe("production entry points", () => {
  it("run React's production build when NODE_ENV is not set, as `npm start` is run", () => {
    expect(probe({ NODE_ENV: undefined })).toEqual({ nodeEnv: "production", reactDom: "production" });
  });

  it("keep a NODE_ENV that is set, and leave development to `--dev`", () => {
    expect(probe({ NODE_ENV: "test" })).toEqual({ nodeEnv: "test", reactDom: "development" });
    expect(probe({ NODE_ENV: undefined }, ["--dev"])).toEqual({ nodeEnv: null, reactDom: "development" });
  });

  it("load server/production-mode before anything else", () => {
    for (const file of ["server/index.ts", "server/mail-thread.ts", "scripts/worker.ts", "scripts/digest.ts", "scripts/bench/render-floor-server.ts"]) {
      const firstImport = readFileSync(file, "utf8").match(/^import .*$/m)?.[0];
      expect(firstImport, file).toMatch(/^import "(\.\/|(\.\.\/)+server\/)production-mode";$/);
    }
  });
});
