import type postgres from "postgres";
import { hashAuditRow, type HashedFields } from "../../app/models/audit.server";
import type { CapturedStatement } from "./capture";

/**
 * A page's SQL as units to replay: standalone statements, and transactions
 * (begin ... commit on one connection) with their statements in order.
 */
export type Unit = { kind: "statement"; statement: CapturedStatement } | { kind: "transaction"; statements: CapturedStatement[] };

export function toUnits(statements: CapturedStatement[]): Unit[] {
  const units: Unit[] = [];
  const open = new Map<number, CapturedStatement[]>();
  for (const s of statements) {
    const text = s.text.trim().toLowerCase();
    if (text.startsWith("begin")) {
      const body: CapturedStatement[] = [];
      open.set(s.connection, body);
      units.push({ kind: "transaction", statements: body });
    } else if (text === "commit" || text === "rollback") {
      open.delete(s.connection);
    } else {
      const tx = open.get(s.connection);
      if (tx) tx.push(s);
      else units.push({ kind: "statement", statement: s });
    }
  }
  return units;
}

const AUDIT_INSERT = /^insert into "audit_events" \(([^)]*)\) values \(([^)]*)\)/i;
const HEAD_UPDATE = /^update "audit_chain_heads" set/i;
const HEAD_LOCK = /from "audit_chain_heads" .* for update/i;

/**
 * The page's audit row, rewritten for this replay: the next link of the chain
 * (seq, time, previous hash, hash) as writeAudit would compute it now, so the
 * replay commits real rows and the chain still verifies.
 */
function nextAuditParams(s: CapturedStatement, head: { seq: number; hash: string }) {
  const match = AUDIT_INSERT.exec(s.text)!;
  const columns = match[1].split(",").map((c) => c.trim().replace(/"/g, ""));
  const values = match[2].split(",").map((v) => v.trim());
  const params = [...s.params];
  const index: Record<string, number> = {};
  columns.forEach((c, i) => {
    const p = /^\$(\d+)$/.exec(values[i]);
    if (p) index[c] = Number(p[1]) - 1;
  });
  const get = (c: string) => (c in index ? params[index[c]] : null);
  const detail = get("detail");
  const fields: HashedFields = {
    chain: String(get("chain")),
    seq: Number(head.seq) + 1,
    at: new Date(),
    userId: (get("user_id") as string | null) ?? null,
    areaId: (get("area_id") as string | null) ?? null,
    action: String(get("action")),
    entity: String(get("entity")),
    entityId: (get("entity_id") as string | null) ?? null,
    caseId: (get("case_id") as string | null) ?? null,
    ip: (get("ip") as string | null) ?? null,
    detail: typeof detail === "string" ? JSON.parse(detail) : ((detail as Record<string, unknown>) ?? {}),
    prevHash: head.hash,
  };
  const hash = hashAuditRow(fields);
  params[index.seq] = fields.seq;
  params[index.at] = fields.at.toISOString();
  params[index.prev_hash] = fields.prevHash;
  params[index.hash] = hash;
  return { params, seq: fields.seq, hash };
}

/**
 * Send the page's statements straight to PostgreSQL, one after another on the
 * pool, the transactions as transactions: the floor the page cannot beat.
 */
export async function replayUnits(sql: postgres.Sql, units: Unit[]) {
  for (const unit of units) {
    if (unit.kind === "statement") {
      await sql.unsafe(unit.statement.text, unit.statement.params as never[], { prepare: true });
      continue;
    }
    await sql.begin(async (tx) => {
      let head: { seq: number; hash: string } | null = null;
      let next: { seq: number; hash: string } | null = null;
      for (const s of unit.statements) {
        if (AUDIT_INSERT.test(s.text) && head) {
          const rewritten = nextAuditParams(s, head);
          next = { seq: rewritten.seq, hash: rewritten.hash };
          await tx.unsafe(s.text, rewritten.params as never[], { prepare: true });
        } else if (HEAD_UPDATE.test(s.text) && next) {
          await tx.unsafe(s.text, [next.seq, next.hash, s.params[2]] as never[], { prepare: true });
        } else {
          const rows = await tx.unsafe(s.text, s.params as never[], { prepare: true });
          if (HEAD_LOCK.test(s.text)) head = rows[0] as unknown as { seq: number; hash: string };
        }
      }
    });
  }
}
