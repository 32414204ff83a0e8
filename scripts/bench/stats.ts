import { forEachConcurrently } from "../../app/lib/concurrently";

/** Percentiles of a list of durations (ms), nearest-rank. */
export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

export function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    n: sorted.length,
    p50: round(rank(50)),
    p95: round(rank(95)),
    p99: round(rank(99)),
    mean: round(sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1)),
  };
}

/** Run `task` `total` times spread over `concurrency` loops; returns each run's duration in ms. */
export async function timeConcurrently(total: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<number[]> {
  const durations: number[] = [];
  await forEachConcurrently(Array.from({ length: total }, (_, i) => i), concurrency, async (i) => {
    const started = process.hrtime.bigint();
    await task(i);
    durations.push(Number(process.hrtime.bigint() - started) / 1e6);
  });
  return durations;
}

/** Two builds' costs for the same requests, taken in pairs, and what the pairs say about the difference. */
export interface PairedComparison {
  pairs: number;
  base: { mean: number; median: number };
  candidate: { mean: number; median: number };
  /** Mean of (candidate − base) over the pairs, with a 95 % interval (normal approximation). */
  difference: { mean: number; low: number; high: number; percent: number };
}

/**
 * Paired comparison of two lists of the same length: the i-th of each measured the same request, one
 * right after the other. What the machine does over time moves both alike, so the differences vary far
 * less than either list does: that is what makes a change of a few percent visible on a noisy host.
 */
export function comparePaired(base: number[], candidate: number[]): PairedComparison {
  if (base.length !== candidate.length || base.length < 2) throw new Error("comparePaired needs two lists of the same length, at least 2");
  const n = base.length;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  };
  const diffs = base.map((b, i) => candidate[i] - b);
  const d = mean(diffs);
  const sd = Math.sqrt(diffs.reduce((a, x) => a + (x - d) ** 2, 0) / (n - 1));
  const half = (1.96 * sd) / Math.sqrt(n);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const baseMean = mean(base);
  return {
    pairs: n,
    base: { mean: round(baseMean), median: round(median(base)) },
    candidate: { mean: round(mean(candidate)), median: round(median(candidate)) },
    difference: { mean: round(d), low: round(d - half), high: round(d + half), percent: Math.round((d / baseMean) * 1000) / 10 },
  };
}

/** Several processes' paired comparisons taken together: the mean of their differences, and the lowest and highest. */
export function summariseRounds(rounds: PairedComparison[]): { mean: number; min: number; max: number; percent: number } {
  if (rounds.length === 0) throw new Error("summariseRounds needs at least one round");
  const diffs = rounds.map((r) => r.difference.mean);
  const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
  const base = rounds.reduce((a, r) => a + r.base.mean, 0) / rounds.length;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { mean: round(mean), min: round(Math.min(...diffs)), max: round(Math.max(...diffs)), percent: Math.round((mean / base) * 1000) / 10 };
}
