import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
/** A database or an open transaction: domain functions accept either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export interface DbHandle {
  db: Db;
  driver: "pglite" | "postgres";
  migrate(): Promise<void>;
  close(): Promise<void>;
  /**
   * Call `onNotify` for every NOTIFY on `channel` (PostgreSQL delivers them when the
   * notifying transaction commits, to every listening process). Resolves to an unlisten.
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
}

export interface CreateDbOptions {
  /** A PostgreSQL URL; when absent the embedded PGlite database is used. */
  databaseUrl?: string;
  /** Folder for PGlite's files; "memory://" keeps it in memory (tests). */
  dataDir?: string;
  /** Pool size for PostgreSQL. */
  max?: number;
}

export const migrationsFolder = path.resolve(process.cwd(), "db/migrations");

export function createDb(options: CreateDbOptions = {}): DbHandle {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, { max: options.max ?? 10, onnotice: () => {} });
    const db = drizzleOverPostgres(client);
    return {
      db: db as unknown as Db,
      driver: "postgres",
      migrate: () => migratePostgres(db, { migrationsFolder }),
      close: () => client.end({ timeout: 5 }),
      listen: (channel, onNotify) => listenPostgres(client, channel, onNotify),
    };
  }
  const dataDir = options.dataDir ?? path.resolve(process.cwd(), "data/pglite");
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir);
  const db = drizzlePglite({ client, schema, casing: "snake_case" });
  return {
    db: db as unknown as Db,
    driver: "pglite",
    migrate: () => migratePglite(db, { migrationsFolder }),
    close: () => client.close(),
    listen: async (channel, onNotify) => client.listen(channel, () => onNotify()),
  };
}

/** drizzle over a postgres.js client, every parameterised statement prepared (`preparingStatements`). */
export function drizzleOverPostgres(client: postgres.Sql) {
  return drizzlePostgres({ client: preparingStatements(client), schema, casing: "snake_case" });
}

/**
 * The postgres.js client drizzle should see: every statement it sends through `unsafe` is a
 * named prepared statement. drizzle asks for `prepare: false` unless a query is given a name, and
 * postgres.js then sends each parameterised statement in two round trips (parse and describe, then
 * bind and execute), re-planned every time, and holds back the statements queued behind it on a
 * transaction's connection, so reads sent together with Promise.all went one after another.
 * Prepared once per connection, a statement takes one round trip and pipelines (docs/performance.md,
 * finding 15). Transactions, savepoints and reserved connections are wrapped the same way.
 */
export function preparingStatements<S extends postgres.Sql>(sql: S): S {
  const wrapCallback = (args: unknown[]) => {
    const fn = args.pop() as (inner: postgres.Sql) => unknown;
    return [...args, (inner: postgres.Sql) => fn(preparingStatements(inner))];
  };
  return new Proxy(sql, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      switch (property) {
        case "unsafe":
          return (text: string, params?: unknown[], options?: postgres.UnsafeQueryOptions) =>
            target.unsafe(text, params as postgres.ParameterOrJSON<never>[], { ...options, prepare: true });
        case "begin":
        case "savepoint":
          return (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, wrapCallback(args));
        case "reserve":
          return async () => preparingStatements(await target.reserve());
        default:
          return value;
      }
    },
  });
}

/** LISTEN on a postgres.js client (its own connection, re-established after a drop). */
export async function listenPostgres(client: postgres.Sql, channel: string, onNotify: () => void) {
  const subscription = await client.listen(channel, () => onNotify());
  return () => subscription.unlisten();
}

const SHARED = Symbol.for("panel.db");
type WithShared = typeof globalThis & { [SHARED]?: DbHandle };

/**
 * The process-wide database. The server entry and the Remix build are separate
 * module graphs, so the handle lives on globalThis: PGlite allows one opener.
 */
export function getSharedDbHandle(): DbHandle {
  const g = globalThis as WithShared;
  if (!g[SHARED]) {
    g[SHARED] = createDb({
      databaseUrl: process.env.DATABASE_URL || undefined,
      dataDir: process.env.PGLITE_DIR || undefined,
    });
  }
  return g[SHARED];
}

export function setSharedDbHandle(handle: DbHandle | undefined) {
  (globalThis as WithShared)[SHARED] = handle;
}

/**
 * The rows of a raw query (`db.execute(sql\`…\`)`), whichever driver answered: PGlite gives
 * `{ rows }`, postgres.js an array of rows.
 */
export async function executeRows<R>(db: Db, query: SQL): Promise<R[]> {
  const result: unknown = await db.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: R[] }).rows) as R[];
}

export function getDb(): Db {
  return getSharedDbHandle().db;
}
