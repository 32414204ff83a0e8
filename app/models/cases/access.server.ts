import { and, eq } from "drizzle-orm";
import type { Db } from "#db/client";
import { cases, type Case } from "#db/schema";
import type { AreaContext } from "~/policy/index.server";
import { AppError } from "../errors.server";

/** What the domain needs to know about who is asking. */
export type CaseActor = Pick<AreaContext, "actor" | "agencyId" | "permissions"> & { area: { id: string } };

const DRAFT_STATUSES = new Set(["draft", "returned"]);

/**
 * Whether this actor may open the full referral/case record.
 * Drafts and returned referrals: only the referring agency. Submitted cases:
 * the coordinator and chair (case:read), and the referring agency for its own referral.
 */
export function canOpenCase(actor: CaseActor, row: Pick<Case, "areaId" | "status" | "referringAgencyId">) {
  if (row.areaId !== actor.area.id) return false;
  const ownAgency = actor.agencyId !== null && actor.agencyId === row.referringAgencyId;
  if (DRAFT_STATUSES.has(row.status)) return ownAgency;
  return actor.permissions.has("case:read") || ownAgency;
}

/** Load a case this actor may open, locking it for update when asked; anything else is 404. */
export async function loadCaseFor(db: Db, actor: CaseActor, caseId: string, options: { forUpdate?: boolean } = {}): Promise<Case> {
  if (!/^[0-9a-f-]{36}$/i.test(caseId)) throw new AppError("NOT_FOUND", "errors.notFound");
  const query = db.select().from(cases).where(and(eq(cases.id, caseId), eq(cases.areaId, actor.area.id)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row || !canOpenCase(actor, row)) throw new AppError("NOT_FOUND", "errors.notFound");
  return row;
}

/** Optimistic concurrency: the caller must have read the current version. */
export function assertVersion(row: { version: number }, expected: number) {
  if (row.version !== expected) throw new AppError("CONFLICT", "errors.stale", { detail: { current: row.version } });
}
