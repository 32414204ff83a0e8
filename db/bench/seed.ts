import { sql as dsql } from "drizzle-orm";
import type postgres from "postgres";
import { rebuildActionTotals } from "../action-totals";
import { executeRows, type Db } from "../client";
import { areas } from "../schema";
import { areaCount, generateArea, TABLE_ORDER, type AreaRows, type BenchPlan } from "./generate";
import { copySink, insertSink, TABLES, type RowSink } from "./sink";

/** Everyone in the scale seed signs in with this password (the bench makes its sessions directly). */
export const BENCH_PASSWORD = "bench-panel-2026";
export const DEFAULT_BENCH_SEED = 20260;

export interface BenchSeedResult {
  areas: number;
  rows: Record<keyof AreaRows, number>;
  totalRows: number;
}

/** Whether the database already holds any panel. */
export async function databaseIsEmpty(db: Db) {
  const [row] = await db.select({ n: dsql<number>`count(*)::int` }).from(areas);
  return row.n === 0;
}

/**
 * Empty every application table (the migrations' own bookkeeping stays). TRUNCATE
 * fires no row triggers, so the audit log's append-only trigger does not stop it:
 * this is for benchmark databases only, behind --reset.
 */
export async function emptyDatabase(db: Db) {
  const rows = await executeRows<{ tablename: string }>(db, dsql`select tablename from pg_tables where schemaname = 'public'`);
  if (rows.length === 0) return;
  await db.execute(dsql.raw(`truncate ${rows.map((r) => `"${r.tablename}"`).join(", ")} cascade`));
}

/**
 * Generate and load every area. With a postgres.js client each area goes in one
 * transaction of COPYs; without one (PGlite) through multi-row INSERTs.
 */
export async function seedBench(options: {
  db: Db;
  sql?: postgres.Sql;
  plan: BenchPlan;
  areasPerBatch?: number;
  log?: (line: string) => void;
}): Promise<BenchSeedResult> {
  const { plan } = options;
  const count = areaCount(plan.scale);
  const totals = Object.fromEntries(TABLE_ORDER.map((t) => [t, 0])) as Record<keyof AreaRows, number>;
  const load = async (rows: AreaRows) => {
    const write = async (sink: RowSink) => {
      for (const table of TABLE_ORDER) {
        await sink.write(TABLES[table], rows[table] as Record<string, unknown>[]);
        totals[table] += rows[table].length;
      }
    };
    if (options.sql) {
      await options.sql.begin(async (tx) => {
        // A superuser may skip the per-row foreign-key triggers for the load (the rows
        // are generated consistent; the PGlite path in the tests keeps every check on).
        if (skipTriggers) await tx.unsafe("set local session_replication_role = replica");
        await write(copySink(tx));
      });
    }
    else await options.db.transaction((tx) => write(insertSink(tx as unknown as Db)));
  };
  const skipTriggers = options.sql ? await isSuperuser(options.sql) : false;
  let pending: Promise<void> = Promise.resolve();
  const started = Date.now();
  // Several areas per transaction: each COPY has a fixed cost, worth spreading over more rows.
  const perBatch = options.areasPerBatch ?? 4;
  for (let first = 0; first < count; first += perBatch) {
    const batch = Object.fromEntries(TABLE_ORDER.map((t) => [t, []])) as unknown as AreaRows;
    for (let i = first; i < Math.min(count, first + perBatch); i++) {
      const rows = generateArea(plan, i);
      for (const t of TABLE_ORDER) {
        const into = batch[t] as unknown[];
        for (const row of rows[t] as unknown[]) into.push(row);
      }
    }
    // The previous batch may still be streaming into the database while this one was built.
    await pending;
    pending = load(batch);
    const done = Math.min(count, first + perBatch);
    options.log?.(`  ${done}/${count} areas generated (${Math.round((Date.now() - started) / 1000)} s)`);
  }
  await pending;
  // A load as superuser skipped the triggers, so the actions' totals by agency are counted once here.
  await rebuildActionTotals(options.db);
  const totalRows = Object.values(totals).reduce((a, b) => a + b, 0);
  return { areas: count, rows: totals, totalRows };
}

async function isSuperuser(sql: postgres.Sql) {
  const [row] = await sql<{ rolsuper: boolean }[]>`select rolsuper from pg_roles where rolname = current_user`;
  return Boolean(row?.rolsuper);
}
