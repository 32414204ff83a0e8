import { sql } from "drizzle-orm";
import type { Db } from "./client";

/**
 * Counts `action_totals` again from `actions`, for the given panels or all of them, in one
 * transaction. A trigger keeps them in step as actions change (migration 0010); a bulk load that
 * bypasses triggers (the benchmark's seed, as a superuser) calls this afterwards.
 */
export async function rebuildActionTotals(db: Db, areaIds?: string[]) {
  await db.transaction(async (tx) => {
    const only = areaIds ? sql`where area_id in (${sql.join(areaIds.map((id) => sql`${id}::uuid`), sql`, `)})` : sql``;
    await tx.execute(sql`delete from action_totals ${only}`);
    await tx.execute(sql`insert into action_totals (area_id, owner_agency_id, status, total)
      select area_id, owner_agency_id, status, count(*)::int from actions ${only} group by area_id, owner_agency_id, status`);
  });
}
