import path from "node:path";
import { pathToFileURL } from "node:url";
import { getSharedDbHandle, type DbHandle } from "../db/client";

/** Output of a script; tests pass their own to capture it. */
export interface ScriptOutput {
  log: (line: string) => void;
  error: (line: string) => void;
}

export const consoleOutput: ScriptOutput = { log: (line) => console.log(line), error: (line) => console.error(line) };

/** Where the scripts' database is, without any password. */
export function describeDatabase(handle: DbHandle): string {
  if (handle.driver === "pglite") return `the embedded PGlite database in ${process.env.PGLITE_DIR || path.join("data", "pglite")}`;
  const url = new URL(process.env.DATABASE_URL ?? "postgres://unknown");
  return `PostgreSQL database "${url.pathname.replace(/^\//, "")}" on ${url.hostname}${url.port ? `:${url.port}` : ""}`;
}

/**
 * Run `main` when this module is the script node was started with (not when a
 * test imports it), then close the database and exit with main's code.
 */
export function runWhenMain(moduleUrl: string, main: () => Promise<number>) {
  const started = process.argv[1] ? pathToFileURL(path.resolve(process.argv[1])).href : "";
  if (started !== moduleUrl) return;
  void (async () => {
    let code = 1;
    try {
      code = await main();
    } catch (error) {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    } finally {
      await getSharedDbHandle().close().catch(() => {});
    }
    process.exit(code);
  })();
}
