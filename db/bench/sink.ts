import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { getTableColumns, getTableName } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";
import type { PgTable } from "drizzle-orm/pg-core";
import type postgres from "postgres";
import type { Db } from "../client";
import * as schema from "../schema";
import type { AreaRows } from "./generate";

export const TABLES: Record<keyof AreaRows, PgTable> = {
  areas: schema.areas,
  agencies: schema.agencies,
  users: schema.users,
  memberships: schema.memberships,
  meetings: schema.meetings,
  cases: schema.cases,
  casePeople: schema.casePeople,
  safeContacts: schema.safeContacts,
  meetingCases: schema.meetingCases,
  identityChecks: schema.identityChecks,
  researchReturns: schema.researchReturns,
  victimContacts: schema.victimContacts,
  victimViews: schema.victimViews,
  attendance: schema.attendance,
  actions: schema.actions,
  auditEvents: schema.auditEvents,
  auditChainHeads: schema.auditChainHeads,
  caseSequences: schema.caseSequences,
};

/** Where generated rows go: COPY on PostgreSQL, multi-row INSERTs anywhere (PGlite). */
export interface RowSink {
  write(table: PgTable, rows: Record<string, unknown>[]): Promise<void>;
}

/** Multi-row INSERTs through drizzle, in batches that stay under PostgreSQL's 65,535 parameters. */
export function insertSink(db: Db): RowSink {
  return {
    async write(table, rows) {
      if (rows.length === 0) return;
      const size = Math.max(1, Math.floor(30_000 / Object.keys(rows[0]).length));
      for (let i = 0; i < rows.length; i += size) {
        await db.insert(table).values(rows.slice(i, i + size) as never);
      }
    },
  };
}

/** COPY ... FROM STDIN in text format over one postgres.js connection (or transaction). */
export function copySink(sql: postgres.Sql | postgres.TransactionSql): RowSink {
  return {
    async write(table, rows) {
      if (rows.length === 0) return;
      const columns = getTableColumns(table);
      const keys = Object.keys(rows[0]);
      const jsonb = keys.map((k) => columns[k]?.columnType === "PgJsonb");
      for (const k of keys) if (!columns[k]) throw new Error(`${getTableName(table)} has no column ${k}`);
      const names = keys.map((k) => `"${toSnakeCase(k)}"`).join(", ");
      const writable = await sql.unsafe(`copy "${getTableName(table)}" (${names}) from stdin`).writable();
      function* lines() {
        let chunk = "";
        for (const row of rows) {
          chunk += keys.map((k, i) => copyValue(row[k], jsonb[i])).join("\t") + "\n";
          if (chunk.length > 1 << 16) {
            yield chunk;
            chunk = "";
          }
        }
        if (chunk) yield chunk;
      }
      await pipeline(Readable.from(lines()), writable);
    },
  };
}

/** One value in COPY's text format. */
export function copyValue(value: unknown, jsonb: boolean): string {
  if (value === null || value === undefined) return "\\N";
  if (jsonb) return escapeCopy(JSON.stringify(value));
  if (typeof value === "string") return escapeCopy(value);
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number") return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return escapeCopy(`{${value.map((v) => `"${String(v).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`);
  throw new Error(`Cannot COPY a value of type ${typeof value}`);
}

function escapeCopy(text: string) {
  return /[\\\n\r\t]/.test(text) ? text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t") : text;
}
