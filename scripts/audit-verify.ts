// npm run audit:verify — recompute every audit hash chain; exit 1 if any row does not verify.
import { areas } from "../db/schema";
import { getDb, type Db } from "../db/client";
import { GLOBAL_CHAIN, verifyAuditChains, type AuditChainProblem } from "../app/models/audit.server";
import { consoleOutput, runWhenMain, type ScriptOutput } from "./cli";

const EXPLAIN: Record<AuditChainProblem["problem"], string> = {
  hash_mismatch: "the row's content no longer matches its hash (changed after it was written)",
  broken_link: "the row does not link to the hash of the row before it",
  gap: "a row is missing from the sequence",
  head_mismatch: "the chain's head does not match its last row (rows removed or added at the end)",
};

export async function runAuditVerify(options: { db?: Db; out?: ScriptOutput } = {}): Promise<number> {
  const db = options.db ?? getDb();
  const out = options.out ?? consoleOutput;
  const result = await verifyAuditChains({ db });
  const names = new Map((await db.select({ id: areas.id, code: areas.code }).from(areas)).map((a) => [a.id, `panel ${a.code}`]));
  names.set(GLOBAL_CHAIN, "the account events chain");
  out.log(`Checked ${result.checked} audit row${result.checked === 1 ? "" : "s"} in ${result.chains} chain${result.chains === 1 ? "" : "s"}.`);
  for (const p of result.problems) {
    out.error(`Problem in ${names.get(p.chain) ?? `chain ${p.chain}`} (${p.chain}) at row ${p.seq}: ${EXPLAIN[p.problem]} [${p.problem}]`);
  }
  if (result.problems.length > 0) {
    out.error(`Audit log verification FAILED: ${result.problems.length} problem${result.problems.length === 1 ? "" : "s"} found.`);
    return 1;
  }
  out.log("Audit log verified: every chain is intact.");
  return 0;
}

runWhenMain(import.meta.url, () => runAuditVerify());
