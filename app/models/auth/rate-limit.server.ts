import { sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { getDb } from "#db/client";
import { rateLimits } from "#db/schema";

/**
 * Count one hit against `key` in a fixed window shared by every app instance.
 * Returns false once the limit for the window is passed.
 */
export async function consumeRateLimit(options: { key: string; limit: number; windowSeconds: number; db?: Db }) {
  const db = options.db ?? getDb();
  const now = new Date();
  const windowStart = new Date(Math.floor(now.getTime() / (options.windowSeconds * 1000)) * options.windowSeconds * 1000);
  const [row] = await db
    .insert(rateLimits)
    .values({ key: options.key, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        // A Date inside raw SQL is not serialised by every driver: pass ISO text.
        count: sql`case when ${rateLimits.windowStart} = ${windowStart.toISOString()}::timestamptz then ${rateLimits.count} + 1 else 1 end`,
        windowStart,
      },
    })
    .returning({ count: rateLimits.count });
  return { allowed: row.count <= options.limit, count: row.count, retryAt: new Date(windowStart.getTime() + options.windowSeconds * 1000) };
}
