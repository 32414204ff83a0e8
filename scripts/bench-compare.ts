// npm run bench:compare -- --page agencyActions --base REF [--ref REF] [--requests 400] [--skip-build]
// Two builds of the app in one process, handling the same page's requests in turn (one of each, then
// the next pair, the order swapped every pair), each request's CPU measured on its own. On a shared
// machine the CPU a view costs drifts by more than most changes between runs; within a pair both
// builds see the same machine, so the paired difference shows a change of a few percent (finding 38).
// --base is the build to compare against; the candidate is --ref, or the working tree without it.
// The pairs are taken in --rounds separate processes (3 by default), each loading the two builds in
// the other order from the one before: what V8 makes of shared code (React, the router) can differ
// from one process to the next by more than the interval of one process's pairs says.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadBuild, prepareBenchBuild } from "./bench/app";
import { createCapturingApp } from "./bench/capture";
import { comparePaired, summariseRounds, type PairedComparison } from "./bench/stats";
import { inProcessTargets, pageToMeasure, requestPage } from "./bench/in-process";
import { PAGES, type PageKey } from "./bench/targets";

/** Builds both (unless --skip-build and built), runs the rounds as child processes, and prints each round and the summary. */
function orchestrate(values: { page: string; base: string; ref?: string; requests: string; rounds: string; "skip-build"?: boolean }) {
  for (const ref of [values.base, values.ref]) {
    const { dataDir } = prepareBenchBuild(ref, values["skip-build"] ?? false);
    rmSync(dataDir, { recursive: true, force: true });
  }
  const rounds = Math.max(1, Number(values.rounds));
  const results: { cpu: PairedComparison; wall: PairedComparison }[] = [];
  const name = (ref: string | undefined) => ref ?? "the working tree";
  const sign = (x: number) => (x > 0 ? `+${x}` : `${x}`);
  console.log(`\n${PAGES[values.page as PageKey].label}: ${values.requests} pairs in each of ${rounds} processes; base ${name(values.base)}, candidate ${name(values.ref)}.`);
  for (let i = 0; i < rounds; i++) {
    const first = i % 2 === 0 ? "base" : "candidate";
    const args = ["--import", "tsx", "scripts/bench-compare.ts", "--page", values.page, "--base", values.base, "--requests", values.requests, "--round", first, ...(values.ref ? ["--ref", values.ref] : [])];
    const out = execFileSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    const result = JSON.parse(out.trim().split("\n").pop()!) as { cpu: PairedComparison; wall: PairedComparison };
    results.push(result);
    const d = result.cpu.difference;
    console.log(`  round ${i + 1} (${first} loaded first): ${result.cpu.base.mean.toFixed(2)} → ${result.cpu.candidate.mean.toFixed(2)} ms of CPU a view, ${sign(d.mean)} ms (95 % interval within the round ${sign(d.low)} to ${sign(d.high)}), ${sign(d.percent)} %`);
  }
  const summary = summariseRounds(results.map((r) => r.cpu));
  console.log(`  difference in CPU over the rounds: ${sign(summary.mean)} ms a view (rounds from ${sign(summary.min)} to ${sign(summary.max)}), ${sign(summary.percent)} %`);
  const wall = summariseRounds(results.map((r) => r.wall));
  console.log(`  difference in wall time over the rounds: ${sign(wall.mean)} ms (rounds from ${sign(wall.min)} to ${sign(wall.max)})`);
  return 0;
}

async function main() {
  const { values } = parseArgs({
    options: {
      page: { type: "string", default: "readiness" },
      base: { type: "string" },
      ref: { type: "string" },
      requests: { type: "string", default: "400" },
      rounds: { type: "string", default: "3" },
      "skip-build": { type: "boolean", default: false },
      // Internal: one round in this process, the candidate loaded first when "candidate"; prints JSON.
      round: { type: "string" },
    },
  });
  const measured = pageToMeasure("bench:compare", values.page);
  if (!measured) return 2;
  const { databaseUrl, key } = measured;
  if (!values.base) {
    console.error("--base <git ref> names the build to compare against.");
    return 2;
  }
  if (values.round === undefined) return orchestrate(values as Required<Pick<typeof values, "page" | "base" | "requests" | "rounds">> & { ref?: string; "skip-build"?: boolean });
  const base = prepareBenchBuild(values.base, true);
  const candidate = prepareBenchBuild(values.ref, true);
  const { targets, close } = await inProcessTargets(databaseUrl, key, candidate);
  // Both builds keep the database handle on globalThis: they share the second app's client.
  // Loaded in the order the round asks for; apps[0] is always the base.
  const candidateFirst = values.round === "candidate";
  const loaded = candidateFirst ? [await loadBuild(candidate.buildDir), await loadBuild(base.buildDir)].reverse() : [await loadBuild(base.buildDir), await loadBuild(candidate.buildDir)];
  const apps = loaded.map((build) => createCapturingApp(build, databaseUrl));
  const costs: [number[], number[]] = [[], []];
  const walls: [number[], number[]] = [[], []];
  const one = async (which: 0 | 1, i: number, record: boolean) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    await requestPage(apps[which], targets[i % targets.length]);
    const spent = process.cpuUsage(cpu);
    if (record) {
      costs[which].push((spent.user + spent.system) / 1000);
      walls[which].push(performance.now() - started);
    }
  };
  const pairs = Number(values.requests);
  for (let i = 0; i < 50; i++) for (const which of [0, 1] as const) await one(which, i, false); // warm-up: JIT and caches
  for (let i = 0; i < pairs; i++) {
    const order = i % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const);
    for (const which of order) await one(which, i, true);
  }
  const cpu = comparePaired(costs[0], costs[1]);
  const wall = comparePaired(walls[0], walls[1]);
  console.log(JSON.stringify({ cpu, wall }));
  for (const app of apps) await app.close();
  await close();
  for (const dir of [base.dataDir, candidate.dataDir]) rmSync(dir, { recursive: true, force: true });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
