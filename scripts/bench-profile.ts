// npm run bench:profile -- --page readiness [--requests 200] [--ref REF] [--skip-build] [--out bench/readiness.cpuprofile]
// Where a page's server time goes: the production build handles the page's requests in this
// process (as the bench's floor capture does, one at a time) under the V8 CPU profiler. Prints
// self time by package and the functions that take the most, and writes the .cpuprofile
// (open it in Chrome's DevTools, Performance tab). Needs the database of npm run bench:seed.
import { Session } from "node:inspector/promises";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadBuild, prepareBenchBuild } from "./bench/app";
import { createCapturingApp } from "./bench/capture";
import { inProcessTargets, pageToMeasure, requestPage } from "./bench/in-process";
import { PAGES } from "./bench/targets";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per profile node, summed by package (node_modules/<name>, the app's own code, node internals) and by function. */
function summariseProfile(profile: Profile) {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const micros = self.get(node.id) ?? 0;
    if (micros === 0) continue;
    total += micros;
    const { url, functionName, lineNumber } = node.callFrame;
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
    const fn = `${functionName || "(anonymous)"} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ""}`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
  }
  const top = (m: Map<string, number>, n: number) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return { totalMs: total / 1000, packages: top(byPackage, 20), functions: top(byFunction, 30) };
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  if (url.startsWith("node:")) return "node internals";
  if (/\/build\/server\/|bench-build/.test(url)) return "the app (server build)";
  return "other";
}

function shortUrl(url: string) {
  const match = /node_modules\/(.*)$/.exec(url);
  if (match) return match[1];
  return url.replace(/^file:\/\/.*?\/(bench-build-[^/]+|build)\//, "$1/");
}

async function main() {
  const { values } = parseArgs({
    options: {
      page: { type: "string", default: "readiness" },
      requests: { type: "string", default: "200" },
      ref: { type: "string" },
      "skip-build": { type: "boolean", default: false },
      out: { type: "string" },
    },
  });
  const measured = pageToMeasure("bench:profile", values.page);
  if (!measured) return 2;
  const { databaseUrl, key } = measured;
  const { buildDir, dataDir } = prepareBenchBuild(values.ref, values["skip-build"]);
  const { targets, close } = await inProcessTargets(databaseUrl, key, { buildDir, dataDir });
  const app = createCapturingApp(await loadBuild(buildDir), databaseUrl);
  const requests = Number(values.requests);
  const run = async (n: number) => {
    for (let i = 0; i < n; i++) await requestPage(app, targets[i % targets.length]);
  };
  await run(50); // warm-up: JIT and caches as in steady state
  // The app's CPU per request without the profiler: user and system time of this process (the
  // app and its database client; PostgreSQL's own work is not in it). Steadier than wall time on a
  // shared machine, so two builds can be compared by it.
  const cpuBefore = process.cpuUsage();
  const unprofiledStart = performance.now();
  await run(requests);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPerRequest = (cpu.user + cpu.system) / 1000 / requests;
  const wallPerRequest = (performance.now() - unprofiledStart) / requests;
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  const started = performance.now();
  await run(requests);
  const elapsed = performance.now() - started;
  const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: Profile };
  session.disconnect();
  const out = values.out ?? path.join("bench", `${key}.cpuprofile`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(profile));

  const summary = summariseProfile(profile);
  const perRequest = (ms: number) => (ms / requests).toFixed(2);
  console.log(`\n${PAGES[key].label}, ${requests} requests one at a time:`);
  console.log(`  without the profiler: ${wallPerRequest.toFixed(2)} ms each, of which ${cpuPerRequest.toFixed(2)} ms of this process's CPU`);
  console.log(`  under the profiler: ${perRequest(elapsed)} ms each (CPU sampled: ${perRequest(summary.totalMs)} ms each, idle included)`);
  console.log("\nSelf time by package, ms per request:");
  for (const [name, micros] of summary.packages) console.log(`  ${perRequest(micros / 1000).padStart(7)}  ${name}`);
  console.log("\nFunctions with the most self time, ms per request:");
  for (const [name, micros] of summary.functions) console.log(`  ${perRequest(micros / 1000).padStart(7)}  ${name}`);
  console.log(`\nProfile written to ${out}.`);
  await app.close();
  await close();
  rmSync(dataDir, { recursive: true, force: true });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
