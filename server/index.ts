import "./production-mode";
import type { ServerBuild } from "@remix-run/node";
import express, { type Express } from "express";
import cluster from "node:cluster";
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { getSharedDbHandle } from "../db/client";
import { printDemoSignIns, seedDemoIfEmpty } from "../db/seed/demo";
import { getEnv } from "../app/env.server";
import { runMailSchedule } from "../app/models/mail/scheduler.server";
import { startMailWorker } from "./mail-worker";
import { createHttpApp } from "./http-app";

const dev = process.argv.includes("--dev");
const env = getEnv();
const handle = getSharedDbHandle();
const processes = dev ? 1 : env.WEB_CONCURRENCY;
const runningAt = () => `http://${env.HOST}:${env.PORT}`;
const databaseName = () => (handle.driver === "pglite" ? "embedded PGlite" : "PostgreSQL");

/**
 * Migrations, the demo area on first run, and the outbox worker and mail scheduler (unless
 * MAIL_WORKER=off): once, in the first process. On PostgreSQL the outbox is sent from a thread of its own.
 */
async function prepare() {
  await handle.migrate();
  const seeded = await seedDemoIfEmpty(handle.db);
  const worker = env.MAIL_WORKER === "inline" ? startMailWorker({ handle, schedule: env.MAIL_SCHEDULER === "on" ? () => runMailSchedule() : undefined }) : undefined;
  return { seeded, worker };
}

async function startHttp(onListening: () => void) {
  if (dev) {
    const vite = await import("vite");
    const viteServer = await vite.createServer({ server: { middlewareMode: true } });
    const build = () => viteServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
    return createHttpApp({ build, dev, serve: (app) => app.use(viteServer.middlewares) }).listen(env.PORT, env.HOST, onListening);
  }
  const buildDir = path.resolve(process.env.PANEL_BUILD_DIR ?? "build");
  const build = (await import(pathToFileURL(path.join(buildDir, "server/index.js")).href)) as ServerBuild;
  const serve = (app: Express) => {
    app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
    // Any other file the build puts beside the assets (from public/), by its exact path: a page view
    // is not a file, and looking for one on disk cost every request a stat (docs/performance.md, finding 35).
    const clientDir = path.join(buildDir, "client");
    const rootFiles = new Set(readdirSync(clientDir, { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => `/${entry.name}`));
    const rootStatic = express.static(clientDir, { index: false });
    app.use((req, res, next) => (rootFiles.has(req.path) ? rootStatic(req, res, next) : next()));
  };
  return createHttpApp({ build, dev, serve }).listen(env.PORT, env.HOST, onListening);
}

function shutdownOn(stop: () => Promise<void>) {
  let stopping = false;
  const shutdown = async () => {
    // Once: a signal to the process group reaches this process both directly and through tsx.
    if (stopping) return;
    stopping = true;
    await stop();
    await handle.close();
    process.exit(0);
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

if (processes === 1) {
  // One process does everything (the default, and the only way with the embedded database).
  const { seeded, worker } = await prepare();
  const server = await startHttp(() => {
    console.log(`Panel is running at ${runningAt()} (database: ${databaseName()})`);
    if (seeded) printDemoSignIns(seeded);
  });
  shutdownOn(async () => {
    server.close();
    await worker?.stop();
  });
} else if (cluster.isPrimary) {
  // WEB_CONCURRENCY processes answer HTTP on one port (the primary hands out connections in
  // turn); this one prepares the database first and then runs the outbox worker and scheduler.
  const { seeded, worker } = await prepare();
  let stopping = false;
  let listening = 0;
  cluster.on("listening", () => {
    if (++listening !== processes) return;
    console.log(`Panel is running at ${runningAt()} (database: ${databaseName()}; ${processes} processes)`);
    if (seeded) printDemoSignIns(seeded);
  });
  cluster.on("exit", (child, code, signal) => {
    if (stopping) return;
    console.error(`Panel: HTTP process ${child.process.pid} stopped (${signal ?? `exit code ${code}`}); starting another.`);
    cluster.fork();
  });
  for (let i = 0; i < processes; i++) cluster.fork();
  shutdownOn(async () => {
    stopping = true;
    const children = Object.values(cluster.workers ?? {}).filter((c) => c !== undefined);
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.isDead()) return resolve();
            // A process still serving a long request after 10 s is stopped outright.
            const timer = setTimeout(() => child.process.kill("SIGKILL"), 10_000);
            child.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            child.process.kill("SIGTERM");
          }),
      ),
    );
    await worker?.stop();
  });
} else {
  // An HTTP process of the cluster: the primary has migrated the database and sends the mail.
  const server = await startHttp(() => {});
  shutdownOn(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
}
