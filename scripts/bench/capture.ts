import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { runInRequestScope } from "../../app/lib/request-scope.server";
import postgres from "postgres";
import { drizzleOverPostgres, listenPostgres, setSharedDbHandle, type Db } from "../../db/client";
import { CLIENT_IP_HEADER } from "../../app/policy/index.server";

/** One statement as postgres.js sent it: which pooled connection, the SQL text, the parameters. */
export interface CapturedStatement {
  connection: number;
  text: string;
  params: unknown[];
  /** When it was sent (performance.now()), to see where a request waits. */
  at: number;
}

/**
 * The app's build running inside this process on a database handle whose
 * postgres.js client reports every statement (its `debug` hook), so a request's
 * SQL can be recorded exactly as the page sends it, transactions included.
 */
export function createCapturingApp(build: ServerBuild, databaseUrl: string) {
  let recording: CapturedStatement[] | null = null;
  const client = postgres(databaseUrl, {
    max: 10,
    onnotice: () => {},
    debug: (connection, text, params) => {
      recording?.push({ connection: Number(connection), text, params: [...(params as unknown[])], at: performance.now() });
    },
  });
  const db = drizzleOverPostgres(client) as unknown as Db;
  setSharedDbHandle({ db, driver: "postgres", migrate: async () => {}, close: () => client.end({ timeout: 5 }), listen: (channel, onNotify) => listenPostgres(client, channel, onNotify) });
  const handler = createRequestHandler(build, "production");
  // In a request scope, as server/index.ts runs every GET: the loaders share one session look-up.
  const request = (path: string, cookie: string) =>
    runInRequestScope(() => handler(new Request(`http://127.0.0.1${path}`, { headers: { cookie, [CLIENT_IP_HEADER]: "127.0.0.1" } }), { cspNonce: "bench" } as never));
  return {
    request,
    /** The statements one request sends (after a warm-up request, so caches are as in steady state). */
    async capture(path: string, cookie: string): Promise<{ status: number; bytes: number; statements: CapturedStatement[]; started: number; finished: number }> {
      await (await request(path, cookie)).arrayBuffer();
      recording = [];
      const started = performance.now();
      const response = await request(path, cookie);
      const bytes = (await response.arrayBuffer()).byteLength;
      const statements = recording;
      recording = null;
      return { status: response.status, bytes, statements, started, finished: performance.now() };
    },
    close: () => client.end({ timeout: 5 }),
  };
}
