import { describe, expect, it } from "vitest";
import { comparePaired, percentiles, summariseRounds } from "../../scripts/bench/stats";

describe("percentiles", () => {
  it("takes the nearest rank", () => {
    const p = percentiles(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(p).toEqual({ n: 100, p50: 50, p95: 95, p99: 99, mean: 50.5 });
  });
});

describe("comparePaired", () => {
  it("finds a small difference that the drift between pairs would hide", () => {
    // Each pair drifts by up to ±3 ms (the machine), the candidate is 0.2 ms cheaper every time.
    const drift = Array.from({ length: 400 }, (_, i) => 3 * Math.sin(i / 7));
    const base = drift.map((d) => 10 + d);
    const candidate = drift.map((d, i) => 9.8 + d + (i % 2 ? 0.05 : -0.05));
    const result = comparePaired(base, candidate);
    expect(result.pairs).toBe(400);
    expect(result.difference.mean).toBeCloseTo(-0.2, 3);
    expect(result.difference.high).toBeLessThan(0);
    expect(result.difference.low).toBeGreaterThan(-0.21);
    expect(result.difference.percent).toBe(-2);
    expect(result.base.mean).toBeCloseTo(10 + drift.reduce((a, b) => a + b, 0) / 400, 3);
  });

  it("gives an interval around nothing when nothing changed", () => {
    // Deterministic noise, the same for both builds in distribution.
    let seed = 7;
    const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 4;
    const base = Array.from({ length: 1000 }, () => 8 + noise());
    const candidate = Array.from({ length: 1000 }, () => 8 + noise());
    const { difference } = comparePaired(base, candidate);
    expect(difference.low).toBeLessThan(0);
    expect(difference.high).toBeGreaterThan(0);
    expect(difference.high - difference.low).toBeLessThan(0.3);
  });

  it("takes the median of each build", () => {
    expect(comparePaired([1, 2, 3, 100], [2, 3, 4, 5]).base.median).toBe(2.5);
    expect(comparePaired([1, 2, 3], [5, 6, 70]).candidate.median).toBe(6);
  });

  it("refuses lists that are not pairs", () => {
    expect(() => comparePaired([1, 2, 3], [1, 2])).toThrow(/same length/);
    expect(() => comparePaired([1], [1])).toThrow(/at least 2/);
  });
});

describe("summariseRounds", () => {
  it("averages the rounds' differences and gives the lowest and highest", () => {
    const round = (base: number, candidate: number) => comparePaired([base, base + 0.2, base - 0.2], [candidate, candidate + 0.2, candidate - 0.2]);
    const summary = summariseRounds([round(10, 9), round(10, 9.6), round(10, 10.1)]);
    expect(summary.mean).toBeCloseTo(-0.433, 3);
    expect(summary.min).toBeCloseTo(-1, 3);
    expect(summary.max).toBeCloseTo(0.1, 3);
    expect(summary.percent).toBe(-4.3);
    expect(() => summariseRounds([])).toThrow(/at least one/);
  });
});
