import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Installed packages made up for the tests of scripts/patch-dependencies.mjs: each a `node_modules`
 * folder of its own, in the system's temporary folder, holding one package's package.json (at the
 * version given) and the one file its edit changes. `removeAll` deletes every folder made.
 */
export function fakeInstalls() {
  const dirs: string[] = [];
  return {
    install(patch: { packageName: string; file: string }, version: string, code: string) {
      const nodeModules = mkdtempSync(path.join(tmpdir(), "panel-patch-"));
      dirs.push(nodeModules);
      const dir = path.join(nodeModules, patch.packageName);
      const file = path.join(dir, patch.file);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: patch.packageName, version }));
      writeFileSync(file, code);
      return { nodeModules, file };
    },
    removeAll() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
