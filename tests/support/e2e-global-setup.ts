import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { freePort } from "../../scripts/free-port";
import type { TestProject } from "vitest/node";
import postgres from "postgres";


/**
 * Builds the app into a private folder and starts the production server on a
 * fresh database (PGlite in a temp folder, or a new PostgreSQL database when
 * DATABASE_URL is set), with the demo seed and mail written to files.
 */
export default async function setup(project: TestProject) {
  // Inside the repo so the server bundle resolves node_modules; .cache is ignored by git.
  mkdirSync(".cache", { recursive: true });
  const work = mkdtempSync(path.resolve(".cache", "e2e-"));
  const buildDir = path.join(work, "build");
  execFileSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"], {
    env: { ...process.env, PANEL_BUILD_DIR: buildDir, NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PANEL_BUILD_DIR: buildDir,
    HOST: "127.0.0.1",
    PORT: String(port),
    DATA_DIR: work,
    PGLITE_DIR: path.join(work, "pglite"),
    MAIL_DIR: path.join(work, "mail"),
    APP_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e-secret",
    SIGN_IN_RATE_LIMIT: "1000",
    // The tests send digests themselves; the worker still delivers the outbox at once.
    MAIL_SCHEDULER: "off",
    OUTBOX_POLL_SECONDS: "0.5",
  };
  delete env.SMTP_URL;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (process.env.DATABASE_URL) {
    const name = `panel_e2e_${Date.now().toString(36)}`;
    const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
  const server: ChildProcess = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "server/index.ts"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout!.on("data", (d) => (output += d));
  server.stderr!.on("data", (d) => (output += d));
  const baseURL = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const res = await fetch(`${baseURL}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 90_000) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  project.provide("baseURL", baseURL);
  project.provide("mailDir", env.MAIL_DIR!);
  return async () => {
    server.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    await dropDatabase?.();
    rmSync(work, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    mailDir: string;
  }
}
