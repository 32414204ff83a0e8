// npm run db:migrate — apply the committed migrations in db/migrations.
import { sql } from "drizzle-orm";
import { executeRows, getSharedDbHandle, type Db, type DbHandle } from "../db/client";
import { consoleOutput, describeDatabase, runWhenMain, type ScriptOutput } from "./cli";

/** How many migrations drizzle has recorded as applied (0 on a new database). */
async function appliedMigrations(db: Db): Promise<number> {
  try {
    const [row] = await executeRows<{ n: number }>(db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    return Number(row?.n ?? 0);
  } catch {
    return 0;
  }
}

export async function runMigrate(handle: DbHandle = getSharedDbHandle(), out: ScriptOutput = consoleOutput): Promise<number> {
  const where = describeDatabase(handle);
  const before = await appliedMigrations(handle.db);
  await handle.migrate();
  const after = await appliedMigrations(handle.db);
  out.log(
    after > before
      ? `Applied ${after - before} migration${after - before === 1 ? "" : "s"} to ${where} (${after} in total).`
      : `${where.charAt(0).toUpperCase()}${where.slice(1)} is up to date (${after} migrations applied).`,
  );
  return 0;
}

runWhenMain(import.meta.url, () => runMigrate());
