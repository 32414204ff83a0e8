import { createHash } from "node:crypto";
import { and, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import type { Db } from "#db/client";
import { auditChainHeads, auditEvents, users } from "#db/schema";
import { getDb } from "#db/client";

/** Who did something, and from where. `userId` is null for anonymous events (failed sign-in). */
export interface Actor {
  userId: string | null;
  ip?: string | null;
}

export interface AuditInput {
  areaId?: string | null;
  action: string;
  entity: string;
  entityId?: string | null;
  caseId?: string | null;
  detail?: Record<string, unknown>;
}

export const GENESIS_HASH = "0".repeat(64);
export const GLOBAL_CHAIN = "global";

/** JSON with object keys sorted, so a row hashes the same after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export interface HashedFields {
  chain: string;
  seq: number;
  at: Date;
  userId: string | null;
  areaId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  caseId: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
  prevHash: string;
}

export function hashAuditRow(row: HashedFields): string {
  const body = canonicalJson({ ...row, at: row.at.toISOString() });
  return createHash("sha256").update(body).digest("hex");
}

/**
 * Append an audit row. Call it with the transaction that makes the change so
 * both land or neither does. Locking the chain head serialises appends per area.
 */
export async function writeAudit(tx: Db, actor: Actor, input: AuditInput): Promise<void> {
  const chain = input.areaId ?? GLOBAL_CHAIN;
  await tx
    .insert(auditChainHeads)
    .values({ chain, seq: 0, hash: GENESIS_HASH })
    .onConflictDoNothing();
  const [head] = await tx
    .select()
    .from(auditChainHeads)
    .where(eq(auditChainHeads.chain, chain))
    .for("update");
  const fields: HashedFields = {
    chain,
    seq: head.seq + 1,
    // Millisecond precision so the stored timestamp hashes the same when read back.
    at: new Date(Math.floor(Date.now())),
    userId: actor.userId,
    areaId: input.areaId ?? null,
    action: input.action,
    entity: input.entity,
    entityId: input.entityId ?? null,
    caseId: input.caseId ?? null,
    ip: actor.ip ?? null,
    detail: input.detail ?? {},
    prevHash: head.hash,
  };
  const hash = hashAuditRow(fields);
  await tx.insert(auditEvents).values({ ...fields, hash });
  await tx.update(auditChainHeads).set({ seq: fields.seq, hash }).where(eq(auditChainHeads.chain, chain));
}

/** Run `fn` in a transaction, or inside the caller's when one is given. */
export async function inTransaction<T>(tx: Db | undefined, fn: (tx: Db) => Promise<T>): Promise<T> {
  if (tx) return fn(tx);
  return getDb().transaction((t) => fn(t as unknown as Db));
}

export interface AuditChainProblem {
  chain: string;
  seq: number;
  problem: "hash_mismatch" | "broken_link" | "gap" | "head_mismatch";
}

/** Recompute every chain; returns the rows that do not verify. Reads in pages. */
export async function verifyAuditChains(options: { db?: Db; pageSize?: number } = {}) {
  const db = options.db ?? getDb();
  const pageSize = options.pageSize ?? 5000;
  const heads = await db.select().from(auditChainHeads);
  const problems: AuditChainProblem[] = [];
  let checked = 0;
  for (const head of heads) {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    for (;;) {
      const rows = await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.chain, head.chain), gte(auditEvents.seq, expectedSeq)))
        .orderBy(auditEvents.seq)
        .limit(pageSize);
      for (const row of rows) {
        checked++;
        if (row.seq !== expectedSeq) problems.push({ chain: row.chain, seq: expectedSeq, problem: "gap" });
        if (row.prevHash !== prevHash) problems.push({ chain: row.chain, seq: row.seq, problem: "broken_link" });
        const { id: _id, hash, ...fields } = row;
        if (hashAuditRow({ ...fields, detail: fields.detail ?? {} }) !== hash) {
          problems.push({ chain: row.chain, seq: row.seq, problem: "hash_mismatch" });
        }
        prevHash = hash;
        expectedSeq = row.seq + 1;
      }
      if (rows.length < pageSize) break;
    }
    if (head.seq !== expectedSeq - 1 || head.hash !== prevHash) {
      problems.push({ chain: head.chain, seq: head.seq, problem: "head_mismatch" });
    }
  }
  return { chains: heads.length, checked, problems };
}

export interface AuditFilter {
  areaId: string;
  userId?: string;
  action?: string;
  entity?: string;
  from?: Date;
  to?: Date;
  before?: { at: Date; seq: number };
  limit?: number;
}

/** One page of an area's audit log, newest first (keyset pagination). */
export async function listAuditEvents(options: { actor: Actor; filter: AuditFilter; db?: Db }) {
  const { filter } = options;
  const limit = Math.min(filter.limit ?? 50, 200);
  const where: SQL[] = [eq(auditEvents.chain, filter.areaId)];
  if (filter.userId) where.push(eq(auditEvents.userId, filter.userId));
  if (filter.action) where.push(eq(auditEvents.action, filter.action));
  if (filter.entity) where.push(eq(auditEvents.entity, filter.entity));
  if (filter.from) where.push(gte(auditEvents.at, filter.from));
  if (filter.to) where.push(lte(auditEvents.at, filter.to));
  if (filter.before) where.push(lt(auditEvents.seq, filter.before.seq));
  return inTransaction(options.db, async (db) => {
  const rows = await db
    .select({
      id: auditEvents.id,
      seq: auditEvents.seq,
      at: auditEvents.at,
      action: auditEvents.action,
      entity: auditEvents.entity,
      entityId: auditEvents.entityId,
      caseId: auditEvents.caseId,
      ip: auditEvents.ip,
      detail: auditEvents.detail,
      userId: auditEvents.userId,
      userName: users.name,
      userEmail: users.email,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.userId))
    .where(and(...where))
    .orderBy(desc(auditEvents.seq))
    .limit(limit + 1);
  await writeAudit(db, options.actor, {
    areaId: filter.areaId,
    action: "audit.read",
    entity: "audit_events",
    detail: { filter: { ...filter, areaId: undefined, before: filter.before?.seq } },
  });
  return { events: rows.slice(0, limit), nextBefore: rows.length > limit ? rows[limit - 1].seq : null };
  });
}

