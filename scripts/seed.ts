// npm run db:seed — migrate, then add the demo panel to an empty database.
import { getSharedDbHandle, type DbHandle } from "../db/client";
import { demoPanelExists, printDemoSignIns, seedDemoIfEmpty } from "../db/seed/demo";
import { consoleOutput, runWhenMain, type ScriptOutput } from "./cli";
import { runMigrate } from "./migrate";

export async function runSeed(handle: DbHandle = getSharedDbHandle(), out: ScriptOutput = consoleOutput): Promise<number> {
  await runMigrate(handle, out);
  const existed = await demoPanelExists(handle.db);
  const demo = await seedDemoIfEmpty(handle.db);
  if (!demo) {
    out.log("The database already holds other panels, so the demo was not added (it is only seeded into an empty database).");
    return 0;
  }
  out.log(existed ? "The demo panel (Llanfair MARAC) already exists; nothing was seeded." : "Seeded the demo panel (Llanfair MARAC, /areas/llf).");
  printDemoSignIns(demo, out.log);
  return 0;
}

runWhenMain(import.meta.url, () => runSeed());
