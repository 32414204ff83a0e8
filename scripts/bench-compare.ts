// npm run bench:compare -- --page agencyActions --base REF [--ref REF] [--requests 400] [--skip-build]
// Two builds of the app in one process, handling the same page's requests in turn (one of each, then
// the next pair, the order swapped every pair), each request's CPU measured on its own. On a shared
// machine the CPU a view costs drifts by more than most changes between runs; within a pair both
// builds see the same machine, so the paired difference shows a change of a few percent (finding 38).
// --base is the build to compare against; the candidate is --ref, or the working tree without it.
import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { createDb } from "../db/client";
import { todayInLondon } from "../app/lib/london-time";
import { appEnv, loadBuild, prepareBenchBuild } from "./bench/app";
import { createCapturingApp } from "./bench/capture";
import { comparePaired } from "./bench/stats";
import { findTargets, PAGES, type PageKey } from "./bench/targets";

async function main() {
  const { values } = parseArgs({
    options: {
      page: { type: "string", default: "readiness" },
      base: { type: "string" },
      ref: { type: "string" },
      requests: { type: "string", default: "400" },
      "skip-build": { type: "boolean", default: false },
    },
  });
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error("npm run bench:compare needs DATABASE_URL: the PostgreSQL database filled by npm run bench:seed.");
    return 2;
  }
  const key = values.page as PageKey;
  if (!(key in PAGES)) {
    console.error(`--page must be one of ${Object.keys(PAGES).join(", ")}.`);
    return 2;
  }
  if (!values.base) {
    console.error("--base <git ref> names the build to compare against.");
    return 2;
  }
  const base = prepareBenchBuild(values.base, values["skip-build"]);
  const candidate = prepareBenchBuild(values.ref, values["skip-build"]);
  Object.assign(process.env, appEnv({ buildDir: candidate.buildDir, dataDir: candidate.dataDir, databaseUrl, port: 3999, extra: { MAIL_WORKER: "off", SESSION_IDLE_MINUTES: "1440" } }));

  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const handle = createDb({ databaseUrl, max: 2 });
  const targets = (await findTargets(sql, handle.db, todayInLondon(), 16)).map(PAGES[key].target);
  // Both builds keep the database handle on globalThis: they share the second app's client.
  const apps = [createCapturingApp(await loadBuild(base.buildDir), databaseUrl), createCapturingApp(await loadBuild(candidate.buildDir), databaseUrl)];
  const costs: [number[], number[]] = [[], []];
  const walls: [number[], number[]] = [[], []];
  const one = async (which: 0 | 1, i: number, record: boolean) => {
    const t = targets[i % targets.length];
    const cpu = process.cpuUsage();
    const started = performance.now();
    const response = await apps[which].request(t.path, t.cookie);
    await response.arrayBuffer();
    const spent = process.cpuUsage(cpu);
    if (response.status !== 200) throw new Error(`${t.path} answered ${response.status}`);
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
  const name = (ref: string | undefined) => (ref ? ref : "the working tree");
  const sign = (x: number) => (x > 0 ? `+${x}` : `${x}`);
  console.log(`\n${PAGES[key].label}: ${pairs} pairs, alternating in one process.`);
  console.log(`  base, ${name(values.base)}: ${cpu.base.mean.toFixed(2)} ms of CPU a view (median ${cpu.base.median.toFixed(2)}), ${wall.base.mean.toFixed(2)} ms of wall time`);
  console.log(`  candidate, ${name(values.ref)}: ${cpu.candidate.mean.toFixed(2)} ms of CPU a view (median ${cpu.candidate.median.toFixed(2)}), ${wall.candidate.mean.toFixed(2)} ms of wall time`);
  console.log(`  difference in CPU: ${sign(cpu.difference.mean)} ms a view (95 % interval ${sign(cpu.difference.low)} to ${sign(cpu.difference.high)}), ${sign(cpu.difference.percent)} %`);
  console.log(`  difference in wall time: ${sign(wall.difference.mean)} ms (95 % interval ${sign(wall.difference.low)} to ${sign(wall.difference.high)})`);
  for (const app of apps) await app.close();
  await sql.end();
  await handle.close();
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
