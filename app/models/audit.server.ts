import { createHash } from "node:crypto";
import { and, desc, eq, gte, inArray, like, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client";
import { auditChainHeads, auditEvents, memberships, users } from "#db/schema";
import { executeRows, getDb } from "#db/client";
import { type Placeholders, statement, statementForRows } from "#db/statements";
import { groupBy } from "~/lib/group";

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
  await writeAuditRows(tx, actor, [input]);
}

const lockChainHead = statement((db, p: Placeholders<{ chain: string }>) => db.select().from(auditChainHeads).where(eq(auditChainHeads.chain, p.chain)).for("update"));
const moveChainHead = statement((db, p: Placeholders<{ chain: string; seq: number; hash: string }>) =>
  db.update(auditChainHeads).set({ seq: sql`${p.seq}`, hash: sql`${p.hash}` }).where(eq(auditChainHeads.chain, p.chain)),
);
type AuditRow = HashedFields & { hash: string };

/** A chain's rows, several at once (an area's digests), with one insert built once per number of rows (finding 47). */
const insertAuditRows = statementForRows((db, rows: Placeholders<AuditRow>[]) =>
  db.insert(auditEvents).values(
    rows.map((p) => ({ chain: p.chain, seq: p.seq, at: p.at, userId: p.userId, areaId: p.areaId, action: p.action, entity: p.entity, entityId: p.entityId, caseId: p.caseId, ip: p.ip, detail: p.detail, prevHash: p.prevHash, hash: p.hash })),
  ),
);

/** A chain with at most this many rows to append gets one `appendAuditRow` statement a row. */
const APPEND_ONE_BY_ONE = 4;

/**
 * Audit rows written by the domain functions a page view calls inside `inAuditedReads`: kept
 * until the page's reads are done, then appended together just before the commit.
 */
const deferredAudits = new WeakMap<Db, { actor: Actor; input: AuditInput }[]>();

/**
 * Append several audit rows, in order, in the caller's transaction. A chain with a few rows
 * (a page view audits one to three reads) gets one statement a row that locks its head, links
 * and hashes the row in SQL, inserts it and moves the head (`appendAuditRow`), all of them sent
 * together: one round trip. A chain with more rows (a digest run audits an area's fifteen emails
 * at once) gets one lock of its head, one insert of all its rows and one update of the head.
 */
export async function writeAuditRows(tx: Db, actor: Actor, inputs: AuditInput[]): Promise<void> {
  const deferred = deferredAudits.get(tx);
  if (deferred) {
    for (const input of inputs) deferred.push({ actor, input });
    return;
  }
  await appendAuditRows(tx, inputs.map((input) => ({ actor, input })));
}

async function appendAuditRows(tx: Db, rows: { actor: Actor; input: AuditInput }[]): Promise<void> {
  const byChain = groupBy(rows, (row) => row.input.areaId ?? GLOBAL_CHAIN);
  // Millisecond precision so the stored timestamp hashes the same when read back.
  const at = new Date(Math.floor(Date.now()));
  const oneByOne = [...byChain].filter(([, chainRows]) => chainRows.length <= APPEND_ONE_BY_ONE);
  if (oneByOne.length > 0) {
    // Sent together: they run in order on the transaction's connection and are answered in one round trip.
    const appended = await Promise.all(oneByOne.flatMap(([chain, chainRows]) => chainRows.map((row) => appendAuditRow(tx, fieldsOf(chain, at, row)))));
    let next = 0;
    for (const [chain, chainRows] of oneByOne) {
      const results = appended.slice(next, (next += chainRows.length));
      if (results.every(Boolean)) continue;
      // No head yet, so none of the chain's rows went in: its first row creates it.
      await createChainHead(tx, chain);
      for (const row of chainRows) {
        if (!(await appendAuditRow(tx, fieldsOf(chain, at, row)))) throw new Error(`audit chain ${chain}: no head after creating it`);
      }
    }
  }
  for (const [chain, chainRows] of byChain) {
    if (chainRows.length <= APPEND_ONE_BY_ONE) continue;
    const lockHead = () => lockChainHead(tx, { chain });
    let [head] = await lockHead();
    if (!head) {
      await createChainHead(tx, chain);
      [head] = await lockHead();
    }
    let { seq, hash } = head;
    const values = chainRows.map((row): AuditRow => {
      const fields: HashedFields = { ...fieldsOf(chain, at, row), seq: seq + 1, prevHash: hash };
      seq = fields.seq;
      hash = hashAuditRow(fields);
      return { ...fields, hash };
    });
    // Sent together: both go out in one write on the transaction's connection and are answered in
    // one round trip. If the insert fails, the transaction is aborted and the update fails with it.
    await Promise.all([insertAuditRows(tx, values), moveChainHead(tx, { chain, seq, hash })]);
  }
}

/** A chain's first row: create its head (a concurrent first writer waits here, then finds it). */
async function createChainHead(tx: Db, chain: string) {
  await tx.insert(auditChainHeads).values({ chain, seq: 0, hash: GENESIS_HASH }).onConflictDoNothing();
}

/** A row's hashed fields but its place in the chain (`seq` and `prevHash`), which the head gives. */
function fieldsOf(chain: string, at: Date, { actor, input }: { actor: Actor; input: AuditInput }): Omit<HashedFields, "seq" | "prevHash"> {
  return {
    chain,
    at,
    userId: actor.userId,
    areaId: input.areaId ?? null,
    action: input.action,
    entity: input.entity,
    entityId: input.entityId ?? null,
    caseId: input.caseId ?? null,
    ip: actor.ip ?? null,
    detail: input.detail ?? {},
  };
}

const PREV_MARK = "\u0001";
const SEQ_MARK = "\u0002";
const LINK = `,"prevHash":${JSON.stringify(PREV_MARK)},"seq":${JSON.stringify(SEQ_MARK)},`;

/**
 * `hashAuditRow`'s canonical JSON of a row, cut where the head's hash and the next sequence
 * number go: `prevHash` and `seq` sort next to each other, and only `userId` (a UUID or null)
 * sorts after them, so the last occurrence of the marked pair is the row's own.
 */
export function auditBodyAround(fields: Omit<HashedFields, "seq" | "prevHash">): { before: string; after: string } {
  const body = canonicalJson({ ...fields, at: fields.at.toISOString(), prevHash: PREV_MARK, seq: SEQ_MARK });
  const cut = body.lastIndexOf(LINK);
  if (cut < 0) throw new Error("audit row: the chain link was not found in its canonical form");
  return { before: body.slice(0, cut) + ',"prevHash":"', after: body.slice(cut + LINK.length - 1) };
}

/**
 * One statement that appends a row to its chain: it locks the head, takes the next sequence
 * number and the head's hash as the row's link, hashes the row as `hashAuditRow` does (SHA-256
 * of the same canonical JSON, put together around the link), inserts it and moves the head.
 * One round trip instead of two (a lock, then the insert and update), and statements for several
 * rows can be sent together. False when the chain has no head yet (nothing was written).
 * docs/decisions/016.
 */
async function appendAuditRow(tx: Db, fields: Omit<HashedFields, "seq" | "prevHash">): Promise<boolean> {
  const { before, after } = auditBodyAround(fields);
  const appended = await executeRows(tx, sql`
    with head as (
      select seq, hash from audit_chain_heads where chain = ${fields.chain}::text for update
    ), row as (
      insert into audit_events (chain, seq, at, user_id, area_id, action, entity, entity_id, case_id, ip, detail, prev_hash, hash)
      select ${fields.chain}::text, head.seq + 1, ${fields.at.toISOString()}::timestamptz, ${fields.userId}::uuid, ${fields.areaId}::uuid,
        ${fields.action}::text, ${fields.entity}::text, ${fields.entityId}::text, ${fields.caseId}::uuid, ${fields.ip}::text,
        ${JSON.stringify(fields.detail)}::jsonb, head.hash,
        encode(sha256(convert_to(${before}::text || head.hash || '","seq":' || (head.seq + 1)::text || ${after}::text, 'UTF8')), 'hex')
      from head
      returning seq, hash
    )
    update audit_chain_heads set seq = row.seq, hash = row.hash from row where audit_chain_heads.chain = ${fields.chain}::text
    returning audit_chain_heads.seq`);
  return appended.length === 1;
}

/**
 * One transaction for a page view's several audited reads: call each domain function with
 * this `tx`. Their audit rows are kept and appended together when `fn` has finished, just
 * before the commit, so the page costs one begin and one commit instead of one of each per
 * read, and the area's chain is locked only for the last round trips, not while it reads.
 * If `fn` throws, nothing is appended and the transaction rolls back. For reads only: a write
 * should audit where it happens.
 */
export async function inAuditedReads<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
  return getDb().transaction(async (t) => {
    const tx = t as unknown as Db;
    const pending: { actor: Actor; input: AuditInput }[] = [];
    deferredAudits.set(tx, pending);
    let result: T;
    try {
      result = await fn(tx);
    } finally {
      deferredAudits.delete(tx);
    }
    if (pending.length > 0) await appendAuditRows(tx, pending);
    return result;
  });
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
  /** Prefix of the action name, e.g. "auth." or "agency.created". */
  action?: string;
  entity?: string;
  /** Events at or after this instant. */
  from?: Date;
  /** Events before this instant (exclusive). */
  to?: Date;
  /** Keyset cursor: only events older than this one. */
  before?: AuditCursor;
  limit?: number;
}

/** Position of an event in the newest-first listing: time, then chain sequence, then id (unique). */
export interface AuditCursor {
  at: Date;
  seq: number;
  id: string;
}

const CURSOR = /^(\d{1,15})\.(\d{1,15})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function encodeAuditCursor(cursor: AuditCursor): string {
  return `${cursor.at.getTime()}.${cursor.seq}.${cursor.id}`;
}

/** The cursor in an "Older events" link, or null when it is not one of ours. */
export function decodeAuditCursor(value: string): AuditCursor | null {
  const match = CURSOR.exec(value);
  return match ? { at: new Date(Number(match[1])), seq: Number(match[2]), id: match[3] } : null;
}

/** LIKE pattern for "starts with", with the pattern characters in the prefix taken literally. */
function startsWithPattern(prefix: string) {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Newest first, the order of the listing and of its cursor. */
function compareNewestFirst(a: AuditCursor, b: AuditCursor) {
  return b.at.getTime() - a.at.getTime() || b.seq - a.seq || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * One page of an area's audit log, newest first (keyset pagination). Reading
 * the log is itself recorded, in the same transaction.
 */
export async function listAuditEvents(options: { actor: Actor; filter: AuditFilter; db?: Db }) {
  const { filter } = options;
  const limit = Math.min(filter.limit ?? 50, 200);
  const where: SQL[] = [];
  if (filter.userId) where.push(eq(auditEvents.userId, filter.userId));
  if (filter.action) where.push(like(auditEvents.action, startsWithPattern(filter.action)));
  if (filter.entity) where.push(eq(auditEvents.entity, filter.entity));
  if (filter.from) where.push(gte(auditEvents.at, filter.from));
  if (filter.to) where.push(lt(auditEvents.at, filter.to));
  if (filter.before) {
    const { at, seq, id } = filter.before;
    where.push(sql`(${auditEvents.at}, ${auditEvents.seq}, ${auditEvents.id}) < (${at.toISOString()}::timestamptz, ${seq}::bigint, ${id}::uuid)`);
  }
  return inTransaction(options.db, async (db) => {
    // Two parts, each able to walk its own index in time order: the area's chain
    // (area_id, at) and the account events of its members (user_id, at). The
    // newest limit+1 of the union are among the newest limit+1 of each part.
    const members = db.selectDistinct({ userId: memberships.userId }).from(memberships).where(eq(memberships.areaId, filter.areaId));
    const part = (scope: SQL) =>
      db
        .select({
          id: auditEvents.id,
          chain: auditEvents.chain,
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
        .where(and(scope, ...where))
        .orderBy(desc(auditEvents.at), desc(auditEvents.seq), desc(auditEvents.id))
        .limit(limit + 1);
    const [own, accounts] = [
      await part(eq(auditEvents.areaId, filter.areaId)),
      await part(and(eq(auditEvents.chain, GLOBAL_CHAIN), inArray(auditEvents.userId, members))!),
    ];
    const rows = [...own, ...accounts].sort(compareNewestFirst).slice(0, limit + 1);
    // Plain strings only: the detail is hashed, and a Date would not survive the jsonb round trip.
    const recorded: Record<string, string | number> = {};
    if (filter.userId) recorded.userId = filter.userId;
    if (filter.action) recorded.action = filter.action;
    if (filter.entity) recorded.entity = filter.entity;
    if (filter.from) recorded.from = filter.from.toISOString();
    if (filter.to) recorded.to = filter.to.toISOString();
    if (filter.before) recorded.before = encodeAuditCursor(filter.before);
    await writeAudit(db, options.actor, {
      areaId: filter.areaId,
      action: "audit.read",
      entity: "audit_events",
      detail: { filter: recorded },
    });
    const events = rows.slice(0, limit);
    const last = events[events.length - 1];
    return { events, nextBefore: rows.length > limit && last ? encodeAuditCursor(last) : null };
  });
}

/** The people who can appear in an area's audit log: everyone who is or was a member, by name. */
export async function listAuditUserOptions(options: { areaId: string; db?: Db }) {
  const db = options.db ?? getDb();
  return db
    .selectDistinct({ id: users.id, name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.areaId, options.areaId))
    .orderBy(users.name, users.email);
}
