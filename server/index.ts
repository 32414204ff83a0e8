import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { getSharedDbHandle } from "../db/client";
import { printDemoSignIns, seedDemoIfEmpty } from "../db/seed/demo";
import { getEnv, isSecureOrigin } from "../app/env.server";
import { startOutboxWorker } from "../app/models/outbox.server";
import { closeMailTransport } from "../app/models/mail/transport.server";
import { runMailSchedule } from "../app/models/mail/scheduler.server";
import { runInRequestScope } from "../app/lib/request-scope.server";
import { clientIp, noStore, sameOriginWrites, securityHeaders } from "./security";

const dev = process.argv.includes("--dev");
const env = getEnv();

const handle = getSharedDbHandle();
await handle.migrate();
const seeded = await seedDemoIfEmpty(handle.db);
// The outbox worker and mail scheduler run in this process unless MAIL_WORKER=off.
const worker = env.MAIL_WORKER === "inline" ? startOutboxWorker({ tick: env.MAIL_SCHEDULER === "on" ? () => runMailSchedule() : undefined }) : undefined;

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", process.env.TRUST_PROXY === "1" ? 1 : false);
app.use(compression());
app.use(securityHeaders({ secure: isSecureOrigin(env), dev }));
app.use(clientIp);
app.use(sameOriginWrites(new URL(env.APP_URL).origin));
app.use(noStore);
// Reads get a request scope, so the loaders of one page view share the session look-up.
app.use((req, _res, next) => (req.method === "GET" || req.method === "HEAD" ? runInRequestScope(next) : next()));

let build: ServerBuild | (() => Promise<ServerBuild>);
if (dev) {
  const vite = await import("vite");
  const viteServer = await vite.createServer({ server: { middlewareMode: true } });
  app.use(viteServer.middlewares);
  build = () => viteServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
} else {
  const buildDir = path.resolve(process.env.PANEL_BUILD_DIR ?? "build");
  app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
  build = (await import(pathToFileURL(path.join(buildDir, "server/index.js")).href)) as ServerBuild;
}

app.all(
  "*",
  createRequestHandler({
    build,
    mode: dev ? "development" : "production",
    getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce as string }),
  }),
);

const server = app.listen(env.PORT, env.HOST, () => {
  const url = `http://${env.HOST}:${env.PORT}`;
  console.log(`Panel is running at ${url} (database: ${handle.driver === "pglite" ? "embedded PGlite" : "PostgreSQL"})`);
  if (seeded) printDemoSignIns(seeded);
});

async function shutdown() {
  server.close();
  await worker?.stop();
  closeMailTransport();
  await handle.close();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
