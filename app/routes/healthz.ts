import { sql } from "drizzle-orm";
import { getDb, getSharedDbHandle } from "#db/client";

/**
 * Public liveness check: says whether the database answers, nothing more. A resource route fetched
 * from outside the app, so it answers with a Response of its own (Remix warns about bare data here).
 */
export async function loader() {
  try {
    await getDb().execute(sql`select 1`);
    return Response.json({ status: "ok", database: "ok", driver: getSharedDbHandle().driver });
  } catch {
    return Response.json({ status: "error", database: "unavailable" }, { status: 503 });
  }
}
