import type { Db } from "#db/client";
import { getDb } from "#db/client";
import { todayInLondon } from "~/lib/london-time";
import { queueDigestsForAreas } from "../digests.server";
import { areasWithDigestsDue, queueOverdueReminders, queueResearchDueNotices } from "./notifications.server";

export interface ScheduleResult {
  digests: number;
  reminders: number;
  researchNotices: number;
}

/**
 * The mail scheduler, run by every worker: queue the digests whose day has come,
 * overdue-action reminders and research-due notices. Every email it queues has
 * an idempotency key, so any number of instances may run it at once.
 */
export async function runMailSchedule(options: { db?: Db; today?: string } = {}): Promise<ScheduleResult> {
  const db = options.db ?? getDb();
  const today = options.today ?? todayInLondon();
  const digests = await queueDigestsForAreas({ areaIds: await areasWithDigestsDue(db, today), today, db });
  const reminders = await queueOverdueReminders(db, { today });
  const researchNotices = await queueResearchDueNotices(db, { today });
  return { digests, reminders, researchNotices };
}
