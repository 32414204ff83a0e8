import postgres from "postgres";
import { createDb } from "../../db/client";
import { todayInLondon } from "../../app/lib/london-time";
import { appEnv } from "./app";
import type { createCapturingApp } from "./capture";
import { findTargets, PAGES, type PageKey, type PageTarget } from "./targets";

/**
 * What `npm run bench:profile` and `bench:compare` both need before anything else: the database
 * (DATABASE_URL) and a known page. Says what is wrong and gives null when either is missing.
 */
export function pageToMeasure(command: string, page: string): { databaseUrl: string; key: PageKey } | null {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error(`npm run ${command} needs DATABASE_URL: the PostgreSQL database filled by npm run bench:seed.`);
    return null;
  }
  if (!(page in PAGES)) {
    console.error(`--page must be one of ${Object.keys(PAGES).join(", ")}.`);
    return null;
  }
  return { databaseUrl, key: page as PageKey };
}

/**
 * The environment a build runs with in this process (as in the benchmark), and one URL and
 * session per area (up to 16) for the page: the requests handled in-process go through these.
 */
export async function inProcessTargets(databaseUrl: string, key: PageKey, build: { buildDir: string; dataDir: string }) {
  Object.assign(process.env, appEnv({ buildDir: build.buildDir, dataDir: build.dataDir, databaseUrl, port: 3999, extra: { MAIL_WORKER: "off", SESSION_IDLE_MINUTES: "1440" } }));
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const handle = createDb({ databaseUrl, max: 2 });
  const targets = (await findTargets(sql, handle.db, todayInLondon(), 16)).map(PAGES[key].target);
  return {
    targets,
    close: async () => {
      await sql.end();
      await handle.close();
    },
  };
}

/** One request for a page, handled in this process, read to its end; anything but 200 is an error. */
export async function requestPage(app: ReturnType<typeof createCapturingApp>, target: PageTarget) {
  const response = await app.request(target.path, target.cookie);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${target.path} answered ${response.status}`);
}
