import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";

export const BENCH_APP_SECRET = "bench-secret-bench-secret-bench-secret-bench";

/**
 * The source to benchmark: the working tree, or (with a git ref) a clean copy of that
 * commit in .cache, so edits in progress in the checkout do not end up in the build.
 */
export function prepareSource(ref: string | undefined): string {
  if (!ref) return process.cwd();
  const sha = execFileSync("git", ["rev-parse", "--verify", `${ref}^{commit}`], { encoding: "utf8" }).trim();
  const root = path.resolve(".cache", `bench-src-${sha.slice(0, 12)}`);
  if (!existsSync(path.join(root, "package.json"))) {
    mkdirSync(root, { recursive: true });
    execFileSync("sh", ["-c", `git archive ${sha} | tar -x -C '${root}'`]);
    symlinkSync(path.resolve("node_modules"), path.join(root, "node_modules"));
  }
  return root;
}

/**
 * The source (`prepareSource`), its production build in .cache (built unless `skipBuild` and one is
 * there), and a fresh data folder for this run, which the caller removes.
 */
export function prepareBenchBuild(ref: string | undefined, skipBuild: boolean) {
  const root = prepareSource(ref);
  const buildDir = path.resolve(".cache", ref ? `bench-build-${path.basename(root).replace("bench-src-", "")}` : "bench-build-worktree");
  if (!skipBuild || !existsSync(path.join(buildDir, "server/index.js"))) {
    console.log(`Building ${ref ? `${ref} (${path.basename(root)})` : "the working tree"} in production mode...`);
    buildApp(root, buildDir);
  }
  mkdirSync(".cache", { recursive: true });
  return { root, buildDir, dataDir: mkdtempSync(path.resolve(".cache", "bench-data-")) };
}

/** The production build, in its own folder so it never overwrites `build/`. */
export function buildApp(root: string, buildDir: string) {
  execFileSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"], {
    cwd: root,
    env: { ...process.env, PANEL_BUILD_DIR: buildDir, NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
  });
}


/** The environment the app runs with in the benchmark, in the child and in this process alike. */
export function appEnv(options: { buildDir: string; dataDir: string; databaseUrl: string; port: number; extra?: Record<string, string> }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PANEL_BUILD_DIR: options.buildDir,
    HOST: "127.0.0.1",
    PORT: String(options.port),
    DATA_DIR: options.dataDir,
    MAIL_DIR: path.join(options.dataDir, "mail"),
    APP_SECRET: BENCH_APP_SECRET,
    DATABASE_URL: options.databaseUrl,
    ...options.extra,
  };
  delete env.PGLITE_DIR;
  if (!options.extra?.SMTP_URL) delete env.SMTP_URL;
  return env;
}

export interface RunningApp {
  baseUrl: string;
  pid: number;
  /** The processes that answer HTTP: the server itself, or its cluster's children with WEB_CONCURRENCY above 1. */
  servingPids(): number[];
  /** Peak resident memory so far (VmHWM) and current (VmRSS), in MiB. */
  memory(): { peakMiB: number; rssMiB: number };
  stop(): Promise<void>;
}

/**
 * server/index.ts (or another server `entry` of the source, such as the render floor's) as a child
 * process (node --import tsx, so the pid is the server itself).
 */
export async function startApp(root: string, env: NodeJS.ProcessEnv, entry = "server/index.ts"): Promise<RunningApp> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", entry], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${env.PORT}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited early:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 120_000) throw new Error(`the app did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const kibOf = (pid: number | string, field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;
  // With WEB_CONCURRENCY above 1 the HTTP processes are the server's children: the sum of every process's figure.
  const children = () => readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  const pids = (): number[] => [child.pid!, ...children()];
  const kib = (field: string) => pids().reduce<number>((sum, pid) => sum + kibOf(pid, field), 0);
  return {
    baseUrl,
    pid: child.pid!,
    servingPids: () => {
      const forked = children();
      return forked.length > 0 ? forked : [child.pid!];
    },
    memory: () => ({ peakMiB: Math.round(kib("VmHWM")), rssMiB: Math.round(kib("VmRSS")) }),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    },
  };
}

/** The same build loaded into this process, to see which SQL a page runs. */
export async function loadBuild(buildDir: string): Promise<ServerBuild> {
  return (await import(pathToFileURL(path.join(buildDir, "server/index.js")).href)) as ServerBuild;
}
