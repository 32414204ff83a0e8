import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { makeArea } from "#db/factories";
import { inTransaction, writeAudit } from "~/models/audit.server";
import { runAuditVerify } from "../../scripts/audit-verify";

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: { log: (l: string) => lines.push(l), error: (l: string) => errors.push(l) } };
}

describe("npm run audit:verify", () => {
  it("exits 0 and says so when every chain is intact", async () => {
    const area = await makeArea(getDb(), { name: "Verify MARAC", code: "VFY" });
    for (let i = 0; i < 4; i++) {
      await inTransaction(undefined, (tx) => writeAudit(tx, { userId: null }, { areaId: area.id, action: "test.event", entity: "things", detail: { i } }));
    }
    await inTransaction(undefined, (tx) => writeAudit(tx, { userId: null }, { action: "test.global", entity: "things" }));
    const { lines, errors, out } = capture();
    expect(await runAuditVerify({ out })).toBe(0);
    expect(errors).toEqual([]);
    expect(lines).toContain("Checked 5 audit rows in 2 chains.");
    expect(lines).toContain("Audit log verified: every chain is intact.");
  });

  it("exits 1 and names the row after a row is changed behind the trigger", async () => {
    await getDb().execute(sql`alter table audit_events disable trigger audit_events_append_only`);
    await getDb().execute(sql`update audit_events set detail = '{"i": 99}' where action = 'test.event' and seq = 2`);
    await getDb().execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    const { errors, out } = capture();
    expect(await runAuditVerify({ out })).toBe(1);
    expect(errors[0]).toMatch(/^Problem in panel VFY \([0-9a-f-]{36}\) at row 2: the row's content no longer matches its hash .* \[hash_mismatch\]$/);
    expect(errors.at(-1)).toBe("Audit log verification FAILED: 1 problem found.");
  });
});
