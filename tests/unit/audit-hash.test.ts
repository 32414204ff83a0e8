import { describe, expect, it } from "vitest";
import { canonicalJson, GENESIS_HASH, hashAuditRow, type HashedFields } from "~/models/audit.server";

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
});
