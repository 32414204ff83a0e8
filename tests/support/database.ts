import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { createDb, type DbHandle } from "#db/client";

/**
 * A fresh, migrated database: in-memory PGlite by default, or a new database on
 * the PostgreSQL server named by DATABASE_URL (dropped again by `drop`).
 */
export async function createTestDatabase(): Promise<{ handle: DbHandle; url?: string; drop: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const handle = createDb({ dataDir: "memory://" });
    await handle.migrate();
    return { handle, drop: () => handle.close() };
  }
  const name = `panel_t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = createDb({ databaseUrl: url.toString(), max: 5 });
  await handle.migrate();
  return {
    handle,
    url: url.toString(),
    drop: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

const URL_KEY = Symbol.for("panel.test.databaseUrl");
type WithUrl = typeof globalThis & { [URL_KEY]?: string };

/** The PostgreSQL URL of this test file's database (undefined on PGlite), for tests that open a second pool on it. */
export function getTestDatabaseUrl(): string | undefined {
  return (globalThis as WithUrl)[URL_KEY];
}

export function setTestDatabaseUrl(url: string | undefined) {
  if (url === undefined) delete (globalThis as WithUrl)[URL_KEY];
  else (globalThis as WithUrl)[URL_KEY] = url;
}
