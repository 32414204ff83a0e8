// npm run worker — send the outbox and run the mail scheduler in its own process.
// Any number of workers (and app instances with MAIL_WORKER=inline) may run against
// one PostgreSQL database: claims use FOR UPDATE SKIP LOCKED, so no email is sent twice.
import "../server/production-mode";
import { getSharedDbHandle } from "../db/client";
import { getEnv } from "../app/env.server";
import { startOutboxWorker } from "../app/models/outbox.server";
import { closeMailTransport } from "../app/models/mail/transport.server";
import { runMailSchedule } from "../app/models/mail/scheduler.server";
import { describeDatabase } from "./cli";

const env = getEnv();
const handle = getSharedDbHandle();
await handle.migrate();
const worker = startOutboxWorker({ tick: env.MAIL_SCHEDULER === "on" ? () => runMailSchedule() : undefined });
await worker.ready;
console.log(`Panel outbox worker: ${describeDatabase(handle)}; ${env.SMTP_URL ? "sending over SMTP" : `writing .eml files to ${env.MAIL_DIR}`}.`);

async function shutdown() {
  await worker.stop();
  closeMailTransport();
  await handle.close();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
