#!/usr/bin/env node
// Type-checks the project (tsc, unused names included), then runs every test (unit,
// integration, end-to-end) and ends with a plain "N passed, N failed" line. Uses DATABASE_URL
// when set, otherwise PGlite. A type error fails the run as a failed test does.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

mkdirSync(".cache", { recursive: true });
const report = ".cache/vitest-report.json";
rmSync(report, { force: true });
// Only for the whole suite: a run of chosen files (arguments given) skips the type check.
const typecheck = process.argv.length > 2 ? { status: 0 } : spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "--noEmit", "-p", "."], { stdio: "inherit", env: process.env });
if (typecheck.status !== 0) console.log("\nThe type check failed (above); the tests run anyway.\n");
const args = ["node_modules/vitest/vitest.mjs", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)];
const run = spawnSync(process.execPath, args, { stdio: "inherit", env: process.env });
let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const result = JSON.parse(readFileSync(report, "utf8"));
  passed = result.numPassedTests ?? 0;
  failed = (result.numFailedTests ?? 0) + (result.numTodoTests ?? 0) + (result.numPendingTests ?? 0);
}
console.log(`\n${passed} passed, ${failed} failed${typecheck.status === 0 ? "" : "; the type check failed"}`);
process.exit(typecheck.status === 0 && run.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
