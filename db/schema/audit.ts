import { bigint, index, jsonb, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { id, tstz } from "./columns";

/**
 * Append-only audit log. Rows form one hash chain per area (chain "global" for
 * events outside any area); a trigger refuses UPDATE and DELETE.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: id(),
    chain: text().notNull(),
    seq: bigint({ mode: "number" }).notNull(),
    at: tstz().notNull(),
    userId: uuid(),
    areaId: uuid(),
    action: text().notNull(),
    entity: text().notNull(),
    entityId: text(),
    caseId: uuid(),
    ip: text(),
    detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    prevHash: text().notNull(),
    hash: text().notNull(),
  },
  (t) => [
    unique().on(t.chain, t.seq),
    index().on(t.areaId, t.at),
    index().on(t.caseId),
    index().on(t.userId, t.at),
  ],
);

/** The newest link of each chain; locking its row serialises appends to that chain only. */
export const auditChainHeads = pgTable("audit_chain_heads", {
  chain: text().primaryKey(),
  seq: bigint({ mode: "number" }).notNull(),
  hash: text().notNull(),
});

export type AuditEvent = typeof auditEvents.$inferSelect;
