// The mail worker thread (server/mail-worker.ts, decision 020): the outbox worker, over a PostgreSQL
// pool and a listening connection of the thread's own. Stops when the main thread says so.
// It starts with a copy of the process's environment, so NODE_ENV is already decided; production-mode
// is first all the same, as in every entry point, for a host that did not import it.
import "./production-mode";
import { parentPort, workerData } from "node:worker_threads";
import { createDb, setSharedDbHandle } from "../db/client";
import { startOutboxWorker } from "../app/models/outbox.server";
import { closeMailTransport } from "../app/models/mail/transport.server";

export interface MailThreadData {
  entry: string;
  databaseUrl: string;
  pollMs?: number;
}

export type MailThreadMessage = { type: "ready" } | { type: "stop" };

if (parentPort) {
  const port = parentPort;
  const data = workerData as MailThreadData;
  const handle = createDb({ databaseUrl: data.databaseUrl });
  setSharedDbHandle(handle);
  const worker = startOutboxWorker({ pollMs: data.pollMs });
  void worker.ready.then(() => port.postMessage({ type: "ready" } satisfies MailThreadMessage));
  port.on("message", (message: MailThreadMessage) => {
    if (message.type !== "stop") return;
    void (async () => {
      await worker.stop();
      closeMailTransport();
      await handle.close();
      // Nothing is left to run: the thread ends.
      port.close();
    })();
  });
}
