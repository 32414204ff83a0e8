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
