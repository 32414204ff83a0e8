import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { auditBodyAround, canonicalJson, GENESIS_HASH, hashAuditRow, type HashedFields } from "~/models/audit.server";

const row: HashedFields = {
  chain: "area-1",
  seq: 1,
  at: new Date("2026-11-23T10:00:00.000Z"),
  userId: "u1",
  areaId: "area-1",
  action: "agency.created",
  entity: "agencies",
  entityId: "a1",
  caseId: null,
  ip: "127.0.0.1",
  detail: { b: 1, a: { d: 2, c: [3, { f: 1, e: 2 }] } },
  prevHash: GENESIS_HASH,
};

describe("audit hashing", () => {
  it("sorts object keys at every depth", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [{ f: 1, e: 2 }] } })).toBe('{"a":{"c":[{"e":2,"f":1}],"d":2},"b":1}');
  });

  it("gives the same hash whatever the key order of the detail", () => {
    const reordered = { ...row, detail: { a: { c: [3, { e: 2, f: 1 }], d: 2 }, b: 1 } };
    expect(hashAuditRow(reordered)).toBe(hashAuditRow(row));
  });

  it("changes the hash when any field or the previous hash changes", () => {
    const base = hashAuditRow(row);
    expect(hashAuditRow({ ...row, action: "agency.updated" })).not.toBe(base);
    expect(hashAuditRow({ ...row, detail: { ...row.detail, b: 2 } })).not.toBe(base);
    expect(hashAuditRow({ ...row, prevHash: "1".repeat(64) })).not.toBe(base);
    expect(hashAuditRow({ ...row, at: new Date("2026-11-23T10:00:00.001Z") })).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });

  it("cuts a row's canonical JSON where the database puts the head's hash and the next sequence number", () => {
    // What appendAuditRow asks PostgreSQL to hash: before || head hash || '","seq":' || seq || after.
    const joined = (fields: HashedFields) => {
      const { seq, prevHash, ...rest } = fields;
      const { before, after } = auditBodyAround(rest);
      return `${before}${prevHash}","seq":${seq}${after}`;
    };
    const sha = (text: string) => createHash("sha256").update(text).digest("hex");
    for (const fields of [
      row,
      { ...row, seq: 1234567, prevHash: "f".repeat(64), userId: null, ip: null, entityId: null },
      // A detail with the same keys and marker-like values nested inside: the row's own link is the last one.
      { ...row, detail: { prevHash: "\u0001", seq: "\u0002", tail: 1, note: 'a "quoted" ünïcode\nline' } },
    ]) {
      expect(joined(fields)).toBe(canonicalJson({ ...fields, at: fields.at.toISOString() }));
      expect(sha(joined(fields))).toBe(hashAuditRow(fields));
    }
  });
});
