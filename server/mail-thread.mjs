// The mail worker thread's first module (server/mail-worker.ts): on Node 20 a worker thread's
// entry is loaded before the loader hooks the process was started with apply to it, so it
// registers the TypeScript loader itself and then loads the thread's TypeScript entry.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
