import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** One module of the installed @remix-run/react's ES build (e.g. "server.js"), as the server build's rewrites see it: its path and text. */
export function installedRemixReactModule(name: string): { file: string; source: string } {
  const file = createRequire(import.meta.url)
    .resolve("@remix-run/react")
    .replace(/dist[\\/]index\.js$/, `dist/esm/${name}`);
  return { file, source: readFileSync(file, "utf8") };
}
