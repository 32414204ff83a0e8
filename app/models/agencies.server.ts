import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { getDb } from "#db/client";
import { type Placeholders, statementByShape } from "#db/statements";
import { agencies, type Agency, type AgencyKind } from "#db/schema";
import { inTransaction, writeAudit, type Actor } from "./audit.server";
import { AppError } from "./errors.server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids that are not UUIDs cannot exist; answering 404 early keeps them out of the query. */
export function assertUuid(id: string) {
  if (!UUID.test(id)) throw new AppError("NOT_FOUND", "errors.notFound");
}

export interface AgencyValues {
  name: string;
  kind: AgencyKind;
  secureEmail: string | null;
  isVerifier: boolean;
}

export async function listAgencies(options: { actor: Actor; areaId: string; activeOnly?: boolean; tx?: Db }): Promise<Agency[]> {
  return agenciesOfArea(options.tx ?? getDb(), options.areaId, options.activeOnly ? "active" : "all");
}

/** An area's agencies by name: every one, or only the active ones. */
export function agenciesOfArea(db: Db, areaId: string, which: "active" | "all"): Promise<Agency[]> {
  return areaAgencies(which, db, { areaId });
}
const areaAgencies = statementByShape((db, p: Placeholders<{ areaId: string }>, shape: "active" | "all") =>
  db
    .select()
    .from(agencies)
    .where(shape === "active" ? and(eq(agencies.areaId, p.areaId), eq(agencies.active, true)) : eq(agencies.areaId, p.areaId))
    .orderBy(asc(agencies.name)),
);

/** One agency of this area; another area's agency is NOT_FOUND. */
export async function getAgency(options: { actor: Actor; areaId: string; agencyId: string; forUpdate?: boolean; tx?: Db }): Promise<Agency> {
  assertUuid(options.agencyId);
  const db = options.tx ?? getDb();
  const query = db
    .select()
    .from(agencies)
    .where(and(eq(agencies.id, options.agencyId), eq(agencies.areaId, options.areaId)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw new AppError("NOT_FOUND", "errors.notFound");
  return row;
}

// Case-insensitive, so "Police" and "police" cannot both appear in one list.
async function assertNameFree(tx: Db, areaId: string, name: string, exceptId?: string) {
  const where = [eq(agencies.areaId, areaId), sql`lower(${agencies.name}) = lower(${name})`];
  if (exceptId) where.push(ne(agencies.id, exceptId));
  const [clash] = await tx
    .select({ id: agencies.id })
    .from(agencies)
    .where(and(...where));
  if (clash) throw new AppError("INVALID", "admin:errors.agencyNameTaken", { field: "name" });
}

export async function createAgency(options: { actor: Actor; areaId: string; values: AgencyValues; tx?: Db }): Promise<Agency> {
  return inTransaction(options.tx, async (tx) => {
    await assertNameFree(tx, options.areaId, options.values.name);
    const [agency] = await tx
      .insert(agencies)
      .values({ areaId: options.areaId, ...options.values })
      .returning();
    await writeAudit(tx, options.actor, {
      areaId: options.areaId,
      action: "agency.created",
      entity: "agencies",
      entityId: agency.id,
      detail: { name: agency.name, kind: agency.kind, isVerifier: agency.isVerifier },
    });
    return agency;
  });
}

/** Edit an agency the caller read at `version`; a stale version is a CONFLICT and changes nothing. */
export async function updateAgency(options: {
  actor: Actor;
  areaId: string;
  agencyId: string;
  version: number;
  values: AgencyValues;
  tx?: Db;
}): Promise<Agency> {
  return inTransaction(options.tx, async (tx) => {
    const current = await getAgency({ ...options, forUpdate: true, tx });
    if (current.version !== options.version) throw new AppError("CONFLICT", "errors.stale");
    await assertNameFree(tx, options.areaId, options.values.name, current.id);
    const [agency] = await tx
      .update(agencies)
      .set({ ...options.values, version: current.version + 1, updatedAt: new Date() })
      .where(and(eq(agencies.id, current.id), eq(agencies.areaId, options.areaId), eq(agencies.version, options.version)))
      .returning();
    if (!agency) throw new AppError("CONFLICT", "errors.stale");
    const changed = (Object.keys(options.values) as (keyof AgencyValues)[]).filter((k) => current[k] !== agency[k]);
    await writeAudit(tx, options.actor, {
      areaId: options.areaId,
      action: "agency.updated",
      entity: "agencies",
      entityId: agency.id,
      detail: { changed },
    });
    return agency;
  });
}

/** Deactivate or reactivate. Members keep their agency; it just stops being offered. */
export async function setAgencyActive(options: {
  actor: Actor;
  areaId: string;
  agencyId: string;
  version: number;
  active: boolean;
  tx?: Db;
}): Promise<Agency> {
  return inTransaction(options.tx, async (tx) => {
    const current = await getAgency({ ...options, forUpdate: true, tx });
    if (current.version !== options.version) throw new AppError("CONFLICT", "errors.stale");
    const [agency] = await tx
      .update(agencies)
      .set({ active: options.active, version: current.version + 1, updatedAt: new Date() })
      .where(and(eq(agencies.id, current.id), eq(agencies.version, options.version)))
      .returning();
    if (!agency) throw new AppError("CONFLICT", "errors.stale");
    await writeAudit(tx, options.actor, {
      areaId: options.areaId,
      action: options.active ? "agency.reactivated" : "agency.deactivated",
      entity: "agencies",
      entityId: agency.id,
    });
    return agency;
  });
}
