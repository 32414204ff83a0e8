// npm run bench:seed -- --scale S [--seed N] [--today YYYY-MM-DD] [--years Y] [--reset]
// Fill the PostgreSQL database at DATABASE_URL with synthetic panels for the benchmark.
import { parseArgs } from "node:util";
import postgres from "postgres";
import { createDb } from "../db/client";
import { areaCount, type BenchPlan } from "../db/bench/generate";
import { BENCH_PASSWORD, DEFAULT_BENCH_SEED, databaseIsEmpty, emptyDatabase, seedBench } from "../db/bench/seed";
import { hashPassword } from "../app/lib/crypto.server";
import { todayInLondon } from "../app/lib/london-time";
import { consoleOutput, runWhenMain, type ScriptOutput } from "./cli";

export async function runBenchSeed(argv: string[], out: ScriptOutput = consoleOutput): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: "string", default: "0.01" },
      seed: { type: "string", default: String(DEFAULT_BENCH_SEED) },
      today: { type: "string" },
      years: { type: "string", default: "10" },
      reset: { type: "boolean", default: false },
    },
  });
  const url = process.env.DATABASE_URL;
  if (!url) {
    out.error("bench:seed needs DATABASE_URL: a PostgreSQL database to fill (it never uses the embedded database).");
    return 2;
  }
  const scale = Number(values.scale);
  const years = Number(values.years);
  const seed = Number(values.seed);
  const today = values.today ?? todayInLondon();
  if (!(scale > 0 && scale <= 10) || !(years > 0 && years <= 20) || !Number.isInteger(seed) || !/^\d{4}-\d{2}-\d{2}$/.test(today)) {
    out.error("Usage: npm run bench:seed -- --scale S (0 < S <= 10) [--seed N] [--today YYYY-MM-DD] [--years Y] [--reset]");
    return 2;
  }
  const handle = createDb({ databaseUrl: url, max: 2 });
  const copy = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await handle.migrate();
    if (!(await databaseIsEmpty(handle.db))) {
      if (!values.reset) {
        out.error("The database already holds panels. Use --reset to empty it first (every table is truncated), or point DATABASE_URL at an empty database.");
        return 1;
      }
      out.log("Emptying the database (--reset)...");
      await emptyDatabase(handle.db);
    }
    const plan: BenchPlan = { scale, seed, today, years, passwordHash: await hashPassword(BENCH_PASSWORD) };
    out.log(`Seeding ${areaCount(scale)} areas (scale ${scale}, seed ${seed}, ${years} years to ${today})...`);
    const started = Date.now();
    const result = await seedBench({ db: handle.db, sql: copy, plan, log: out.log });
    const loaded = (Date.now() - started) / 1000;
    out.log(`Loaded ${result.totalRows.toLocaleString("en-GB")} rows in ${loaded.toFixed(1)} s; vacuuming and analysing...`);
    // Vacuumed as well as analysed: a deployed database's autovacuum keeps the visibility map of
    // its settled history up to date, which index-only scans rely on. Freshly loaded pages have
    // none, and the server may run with autovacuum off (docs/performance.md, finding 28).
    await copy.unsafe("vacuum (analyze)");
    const [{ size }] = await copy<{ size: string }[]>`select pg_size_pretty(pg_database_size(current_database())) as size`;
    const total = (Date.now() - started) / 1000;
    for (const [table, n] of Object.entries(result.rows)) out.log(`  ${table.padEnd(16)} ${n.toLocaleString("en-GB").padStart(12)}`);
    out.log(`Done in ${total.toFixed(1)} s; database size ${size}. Every user's password: ${BENCH_PASSWORD}`);
    return 0;
  } finally {
    await copy.end({ timeout: 5 });
    await handle.close();
  }
}

runWhenMain(import.meta.url, () => runBenchSeed(process.argv.slice(2)));
