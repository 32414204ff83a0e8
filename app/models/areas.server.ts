import { and, count, countDistinct, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "#db/client";
import { getDb } from "#db/client";
import { type Placeholders, statement } from "#db/statements";
import { agencies, areas, invitations, memberships, users, type Area } from "#db/schema";
import { inTransaction, writeAudit, type Actor } from "./audit.server";
import { AppError } from "./errors.server";

/** The settings an area admin may change (everything on `areas` except id, code and bookkeeping). */
export const AREA_SETTING_KEYS = [
  "name",
  "nation",
  "cadenceDays",
  "firstMeetingOn",
  "meetingTime",
  "defaultVenue",
  "referralCutoffDays",
  "verificationSentDays",
  "verificationDueDays",
  "circulationDays",
  "researchDueDays",
  "minutesDueDaysAfter",
  "actionUpdatesDueDays",
  "digestDays",
  "confidentialityStatement",
  "secureDomains",
  "mfaRequired",
  "retentionMonths",
] as const;

export type AreaSettings = Pick<Area, (typeof AREA_SETTING_KEYS)[number]>;

const areaById = statement((db, p: Placeholders<{ areaId: string }>) => db.select().from(areas).where(eq(areas.id, p.areaId)));

/** An area by id; NOT_FOUND when there is none. */
export async function loadArea(db: Db, areaId: string): Promise<Area> {
  const [area] = await areaById(db, { areaId });
  if (!area) throw new AppError("NOT_FOUND", "errors.notFound");
  return area;
}

export async function getAreaSettings(options: { actor: Actor; areaId: string; tx?: Db }): Promise<Area> {
  return loadArea(options.tx ?? getDb(), options.areaId);
}

/** Save settings read at `version`; a stale version is a CONFLICT and changes nothing. */
export async function updateAreaSettings(options: { actor: Actor; areaId: string; version: number; values: AreaSettings; tx?: Db }): Promise<Area> {
  return inTransaction(options.tx, async (tx) => {
    const [current] = await tx.select().from(areas).where(eq(areas.id, options.areaId)).for("update");
    if (!current) throw new AppError("NOT_FOUND", "errors.notFound");
    if (current.version !== options.version) throw new AppError("CONFLICT", "errors.stale");
    const [area] = await tx
      .update(areas)
      .set({ ...options.values, version: current.version + 1, updatedAt: new Date() })
      .where(and(eq(areas.id, options.areaId), eq(areas.version, options.version)))
      .returning();
    if (!area) throw new AppError("CONFLICT", "errors.stale");
    const changed = AREA_SETTING_KEYS.filter((k) => JSON.stringify(current[k]) !== JSON.stringify(area[k]));
    await writeAudit(tx, options.actor, {
      areaId: options.areaId,
      action: "area.settings_updated",
      entity: "areas",
      entityId: area.id,
      detail: { changed },
    });
    return area;
  });
}

/** Counts for the admin index page. */
export async function summariseArea(options: { actor: Actor; areaId: string; tx?: Db }) {
  const db = options.tx ?? getDb();
  const [[agencyCount], [userCount], [invitationCount]] = await Promise.all([
    db
      .select({ n: count() })
      .from(agencies)
      .where(and(eq(agencies.areaId, options.areaId), eq(agencies.active, true))),
    db
      .select({ n: countDistinct(memberships.userId) })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.areaId, options.areaId), eq(memberships.active, true), eq(users.disabled, false))),
    db
      .select({ n: count() })
      .from(invitations)
      .where(
        and(
          eq(invitations.areaId, options.areaId),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, new Date()),
        ),
      ),
  ]);
  return { agencies: agencyCount.n, activeUsers: userCount.n, pendingInvitations: invitationCount.n };
}
