// npm run digest -- --area LLF [--dry-run] [--date YYYY-MM-DD]
// Queue (or, with --dry-run, print) the fortnightly digest of every agency of one panel.
import "../server/production-mode";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { areas } from "../db/schema";
import { getDb, getSharedDbHandle, type Db } from "../db/client";
import { dryRunAreaDigests, queueAreaDigests } from "../app/models/digests.server";
import { todayInLondon } from "../app/lib/london-time";
import { consoleOutput, describeDatabase, runWhenMain, type ScriptOutput } from "./cli";

const USAGE = "Usage: npm run digest -- --area CODE [--dry-run] [--date YYYY-MM-DD]";

export async function runDigest(argv: string[], options: { db?: Db; out?: ScriptOutput } = {}): Promise<number> {
  const out = options.out ?? consoleOutput;
  let args;
  try {
    args = parseArgs({ args: argv, options: { area: { type: "string" }, "dry-run": { type: "boolean", default: false }, date: { type: "string" } } }).values;
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : error}\n${USAGE}`);
    return 2;
  }
  if (!args.area) {
    out.error(`--area is required.\n${USAGE}`);
    return 2;
  }
  if (args.date && !/^\d{4}-\d{2}-\d{2}$/.test(args.date)) {
    out.error(`--date must be YYYY-MM-DD.\n${USAGE}`);
    return 2;
  }
  const db = options.db ?? getDb();
  const code = args.area.toUpperCase();
  const [area] = await db.select({ id: areas.id, code: areas.code }).from(areas).where(eq(areas.code, code));
  if (!area) {
    out.error(`No panel with the code ${code}.`);
    return 1;
  }
  const today = args.date ?? todayInLondon();
  if (args["dry-run"]) {
    const plan = await dryRunAreaDigests({ areaId: area.id, today, db });
    out.log(`Dry run: nothing is queued or sent. Panel ${plan.area.code} (${plan.area.name}), period ${plan.period}${plan.meetingDate ? `, next meeting ${plan.meetingDate}` : ", no meeting planned"}.`);
    for (const email of plan.emails) {
      if (email.skipped) {
        out.log(`\n— ${email.agency}: skipped (${email.skipped === "no_address" ? "no secure email address" : "already sent for this period"})`);
        continue;
      }
      out.log(`\n— ${email.agency} → ${email.to} (${email.accredited ? "accredited: full digest" : "not accredited: sign-in notice only"})`);
      out.log(`Subject: ${email.subject}`);
      out.log(email.text.trim());
    }
    const count = plan.emails.filter((e) => !e.skipped).length;
    out.log(`\n${count} email${count === 1 ? "" : "s"} would be queued.`);
    return 0;
  }
  const result = await db.transaction((tx) => queueAreaDigests({ actor: { userId: null }, areaId: area.id, today, tx: tx as unknown as Db }));
  out.log(`Panel ${area.code}, period ${result.period}: ${result.queued.length} digest${result.queued.length === 1 ? "" : "s"} queued.`);
  for (const q of result.queued) out.log(`  queued   ${q.agency} → ${q.to}${q.accredited ? "" : " (sign-in notice only)"}`);
  for (const s of result.alreadySent) out.log(`  skipped  ${s.agency}: already sent for this period`);
  for (const s of result.noAddress) out.log(`  skipped  ${s.agency}: no secure email address`);
  out.log(`The outbox worker sends them (the app's own worker, or npm run worker). Database: ${describeDatabase(getSharedDbHandle())}.`);
  return 0;
}

runWhenMain(import.meta.url, () => runDigest(process.argv.slice(2)));
