import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";

/**
 * Where the machine's CPU went during one stretch of the benchmark, by process, from
 * Linux's /proc (finding 37). A page's latency at concurrency 16 is set by how much CPU
 * each request costs across every process on the machine, not by the app alone:
 * PostgreSQL and the load generator share the same cores.
 */
export interface CpuAccount {
  /** Wall time of the stretch. */
  wallMs: number;
  cores: number;
  /** The app's process, all threads (V8's helpers, libuv, the mail thread when on). */
  appMs: number;
  /** The app's main thread alone (of each HTTP process, summed): JavaScript runs there, one request at a time. */
  appMainThreadMs: number;
  /** How many processes answer HTTP (1 unless the app runs with WEB_CONCURRENCY above 1). */
  servingProcesses: number;
  /** Every PostgreSQL process (backends, writers, autovacuum). */
  postgresMs: number;
  /** This process: the load generator (and, during a digest run, nothing else). */
  benchMs: number;
  /** Every process on the machine, the kernel's own work included (/proc/stat). */
  machineBusyMs: number;
  /** Other processes asked for by name (the SMTP sink, a separate worker), all threads. */
  namedMs: Record<string, number>;
}

/** utime + stime, in clock ticks, of one /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat line. */
export function ticksOfStat(line: string): number {
  // The command name (field 2) is in parentheses and may hold spaces or ")": the fields after it start at the last ")".
  const fields = line.slice(line.lastIndexOf(")") + 2).trim().split(/\s+/);
  // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`not a /proc stat line: ${line.slice(0, 80)}`);
  return utime + stime;
}

/** Busy and idle clock ticks of all cores together, from /proc/stat's first line. */
export function machineTicks(procStat: string): { busy: number; idle: number } {
  const line = procStat.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) throw new Error("no cpu line in /proc/stat");
  // user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return { busy: user + nice + system + irq + softirq + (steal || 0), idle: idle + (iowait || 0) };
}

let ticksPerSecond: number | undefined;
function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

function readTicks(path: string): number | null {
  try {
    return ticksOfStat(readFileSync(path, "utf8"));
  } catch {
    return null; // the process ended in between
  }
}

/** Ticks of every PostgreSQL process now, by pid. */
function postgresTicks(): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let comm: string;
    try {
      comm = readFileSync(`/proc/${entry}/comm`, "utf8").trim();
    } catch {
      continue;
    }
    if (comm !== "postgres") continue;
    const t = readTicks(`/proc/${entry}/stat`);
    if (t !== null) ticks.set(Number(entry), t);
  }
  return ticks;
}

/**
 * Starts counting. `stop()` returns the CPU each group used since. A PostgreSQL process that
 * started in between counts from zero; one that ended in between is lost (the app's and the
 * bench's pools keep their connections open throughout, so that is autovacuum at most).
 */
export function startCpuAccount(app: { pid: number; servingPids(): number[] } | null, named: Record<string, number> = {}): { stop(): CpuAccount } {
  const hz = clockTicksPerSecond();
  const sum = (paths: string[]) => paths.reduce((total, path) => total + (readTicks(path) ?? 0), 0);
  const appAll = () => (app === null ? 0 : sum([app.pid, ...app.servingPids().filter((pid) => pid !== app.pid)].map((pid) => `/proc/${pid}/stat`)));
  const appMain = () => (app === null ? 0 : sum(app.servingPids().map((pid) => `/proc/${pid}/task/${pid}/stat`)));
  const startedAt = performance.now();
  const namedTicks = () => Object.fromEntries(Object.entries(named).map(([name, pid]) => [name, readTicks(`/proc/${pid}/stat`) ?? 0]));
  const before = { named: namedTicks(), app: appAll(), appMain: appMain(), postgres: postgresTicks(), bench: process.cpuUsage(), machine: machineTicks(readFileSync("/proc/stat", "utf8")) };
  return {
    stop() {
      const machine = machineTicks(readFileSync("/proc/stat", "utf8"));
      let postgres = 0;
      for (const [pid, t] of postgresTicks()) postgres += t - (before.postgres.get(pid) ?? 0);
      const bench = process.cpuUsage(before.bench);
      const ms = (ticks: number) => (ticks * 1000) / hz;
      const namedNow = namedTicks();
      return {
        wallMs: performance.now() - startedAt,
        cores: cpus().length,
        appMs: ms(appAll() - before.app),
        appMainThreadMs: ms(appMain() - before.appMain),
        servingProcesses: app === null ? 0 : app.servingPids().length,
        postgresMs: ms(postgres),
        benchMs: (bench.user + bench.system) / 1000,
        machineBusyMs: ms(machine.busy - before.machine.busy),
        namedMs: Object.fromEntries(Object.keys(named).map((name) => [name, ms(namedNow[name] - before.named[name])])),
      };
    },
  };
}

/** The account divided by the requests (or emails) handled in it, in ms each, and how busy the machine was. */
export function perRequest(account: CpuAccount, count: number) {
  const each = (ms: number) => Math.round((ms / Math.max(1, count)) * 100) / 100;
  const app = each(account.appMs);
  const postgres = each(account.postgresMs);
  const bench = each(account.benchMs);
  const machine = each(account.machineBusyMs);
  const named = Object.fromEntries(Object.entries(account.namedMs).map(([name, ms]) => [name, each(ms)]));
  const namedTotal = Object.values(named).reduce((a, b) => a + b, 0);
  return {
    app,
    appMainThread: each(account.appMainThreadMs),
    postgres,
    bench,
    named,
    /** Everything else on the machine (the kernel's network work for loopback, other processes). */
    other: Math.max(0, Math.round((machine - app - postgres - bench - namedTotal) * 100) / 100),
    machine,
    /** Share of all cores busy over the stretch. */
    machineBusyShare: Math.round((account.machineBusyMs / Math.max(1, account.wallMs * account.cores)) * 100) / 100,
  };
}

export type CpuPerRequest = ReturnType<typeof perRequest>;

/**
 * What Little's law allows at a concurrency, from CPU per request: throughput can be no more
 * than the cores divided by the CPU a request costs on the whole machine, nor more than one
 * request per main-thread CPU of each app process in use (JavaScript runs on one thread). With `concurrency`
 * requests always in flight, the mean latency is then at least concurrency ÷ throughput.
 * `budgetFor` turns it round: the CPU per request a mean latency target leaves.
 */
export function latencyBound(options: { concurrency: number; cores: number; machineMs: number; mainThreadMs: number; servingProcesses?: number }) {
  const byMachine = options.cores / options.machineMs;
  // A request is served by one process at a time: with fewer requests in flight than processes, some stand idle.
  const byMainThread = Math.min(options.servingProcesses ?? 1, options.concurrency) / options.mainThreadMs;
  const maxPerSecond = Math.min(byMachine, byMainThread) * 1000;
  return {
    maxPerSecond: Math.round(maxPerSecond),
    minMeanLatencyMs: Math.round((options.concurrency / maxPerSecond) * 1000 * 10) / 10,
    limitedBy: byMachine <= byMainThread ? ("machine" as const) : ("main thread" as const),
  };
}

export type LatencyBound = ReturnType<typeof latencyBound>;

export function budgetFor(options: { concurrency: number; cores: number; meanLatencyMs: number; servingProcesses?: number }) {
  const perSecond = (options.concurrency / options.meanLatencyMs) * 1000;
  const round = (x: number) => Math.round(x * 100) / 100;
  return { perSecond: Math.round(perSecond), machineMs: round((options.cores / perSecond) * 1000), mainThreadMs: round(((options.servingProcesses ?? 1) / perSecond) * 1000) };
}
