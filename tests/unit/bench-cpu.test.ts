import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { budgetFor, latencyBound, machineTicks, perRequest, startCpuAccount, ticksOfStat } from "../../scripts/bench/cpu";

describe("the benchmark's CPU accounting", () => {
  it("reads user and system ticks from a /proc stat line, even when the command's name holds spaces and brackets", () => {
    const line = "4242 (node (main) x) S 1 4242 4242 0 -1 4194560 2716 0 0 0 1234 56 0 0 20 0 11 0 898 1163780096 30473 18446744073709551615";
    expect(ticksOfStat(line)).toBe(1234 + 56);
    expect(() => ticksOfStat("4242 (node) S 1")).toThrow(/not a \/proc stat line/);
  });

  it("counts steal and irq time as busy and iowait as idle, from the first line of /proc/stat only", () => {
    const stat = "cpu  100 5 40 1000 20 3 2 7 0 0\ncpu0 50 2 20 500 10 1 1 3 0 0\nintr 1 2 3\n";
    expect(machineTicks(stat)).toEqual({ busy: 100 + 5 + 40 + 3 + 2 + 7, idle: 1000 + 20 });
  });

  it("charges a busy child process to the app, its main thread included, and not to the benchmark", async () => {
    // 400 ms spinning on the child's main thread (performance.now() asks the kernel nothing, so it is user time).
    const child = spawn(process.execPath, ["-e", "process.stdin.once('data', () => { const end = performance.now() + 400; while (performance.now() < end); process.stdout.write('done'); });"], { stdio: ["pipe", "pipe", "inherit"] });
    try {
      await new Promise((r) => setTimeout(r, 200)); // started and idle
      const account = startCpuAccount({ pid: child.pid!, servingPids: () => [child.pid!] }, { same: child.pid!, gone: 2 ** 22 + 1 });
      child.stdin!.write("go\n");
      await once(child.stdout!, "data");
      const spent = account.stop();
      // Less than 400 only if the machine took the core away for a while.
      expect(spent.appMs).toBeGreaterThanOrEqual(250);
      expect(spent.appMs).toBeLessThan(1000);
      expect(spent.appMainThreadMs).toBeGreaterThanOrEqual(250);
      // The process and its main thread are read from two /proc files one after the other, each in whole
      // clock ticks (10 ms at Linux's usual 100 a second), so they may disagree by a tick either way.
      expect(spent.appMainThreadMs).toBeLessThanOrEqual(spent.appMs + 20);
      expect(spent.servingProcesses).toBe(1);
      // This process only waited for it.
      expect(spent.benchMs).toBeLessThan(spent.appMs / 2);
      // The whole machine was at least as busy as the child.
      expect(spent.machineBusyMs).toBeGreaterThanOrEqual(spent.appMs * 0.9);
      expect(spent.cores).toBeGreaterThanOrEqual(1);
      // A process named beside the app is counted on its own; one that does not exist counts nothing.
      expect(spent.namedMs.same).toBe(spent.appMs);
      expect(spent.namedMs.gone).toBe(0);

      const each = perRequest(spent, 4);
      expect(each.app).toBeCloseTo(spent.appMs / 4, 1);
      expect(each.machine).toBeGreaterThanOrEqual(each.app * 0.9);
      expect(each.named.same).toBe(each.app);
      expect(each.machineBusyShare).toBeGreaterThan(0);
      expect(each.machineBusyShare).toBeLessThanOrEqual(1.05);
    } finally {
      child.kill();
    }
  });

  it("takes the tighter of the machine's cores and the app's main thread as the most requests a second", () => {
    // 8 ms of main thread a request allows 125/s; 12.3 ms on 2 cores would allow 163/s.
    expect(latencyBound({ concurrency: 16, cores: 2, machineMs: 12.3, mainThreadMs: 8 })).toEqual({ maxPerSecond: 125, minMeanLatencyMs: 128, limitedBy: "main thread" });
    // Two HTTP processes double the main threads; then the machine is the limit.
    expect(latencyBound({ concurrency: 16, cores: 2, machineMs: 12.3, mainThreadMs: 8, servingProcesses: 2 })).toEqual({ maxPerSecond: 163, minMeanLatencyMs: 98.4, limitedBy: "machine" });
    // One request in flight: the bound is one request's own main-thread CPU, however many processes wait for work.
    expect(latencyBound({ concurrency: 1, cores: 2, machineMs: 12.3, mainThreadMs: 8 }).minMeanLatencyMs).toBe(8);
    expect(latencyBound({ concurrency: 1, cores: 2, machineMs: 12.3, mainThreadMs: 8, servingProcesses: 2 })).toEqual({ maxPerSecond: 125, minMeanLatencyMs: 8, limitedBy: "main thread" });
  });

  it("turns a mean latency target into the CPU a request may cost", () => {
    // p95 ≤ 50 ms at 16 in flight: 320 a second, so 6.25 ms across 2 cores and 3.13 ms of one main thread.
    expect(budgetFor({ concurrency: 16, cores: 2, meanLatencyMs: 50 })).toEqual({ perSecond: 320, machineMs: 6.25, mainThreadMs: 3.13 });
    expect(budgetFor({ concurrency: 16, cores: 8, meanLatencyMs: 50, servingProcesses: 4 })).toEqual({ perSecond: 320, machineMs: 25, mainThreadMs: 12.5 });
  });
});
