import { data } from "@remix-run/node";
import { sql } from "drizzle-orm";
import { getDb, getSharedDbHandle } from "#db/client";

/** Public liveness check: says whether the database answers, nothing more. */
export async function loader() {
  try {
    await getDb().execute(sql`select 1`);
    return data({ status: "ok", database: "ok", driver: getSharedDbHandle().driver });
  } catch {
    return data({ status: "error", database: "unavailable" }, { status: 503 });
  }
}
