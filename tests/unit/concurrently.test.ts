import { describe, expect, it } from "vitest";
import { forEachConcurrently } from "~/lib/concurrently";

describe("forEachConcurrently", () => {
  it("does every item once, starting them in order, never more than the lanes at once", async () => {
    const started: number[] = [];
    let running = 0;
    let most = 0;
    await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      started.push(n);
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, n % 2 ? 5 : 1));
      running -= 1;
    });
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
    expect(running).toBe(0);
  });

  it("does nothing for no items, and runs one lane when asked for one", async () => {
    const seen: string[] = [];
    await forEachConcurrently([], 4, async () => void seen.push("never"));
    expect(seen).toEqual([]);
    let running = 0;
    let most = 0;
    await forEachConcurrently(["a", "b", "c"], 1, async (x) => {
      running += 1;
      most = Math.max(most, running);
      seen.push(x);
      await Promise.resolve();
      running -= 1;
    });
    expect(seen).toEqual(["a", "b", "c"]);
    expect(most).toBe(1);
  });

  it("rejects with the work's error", async () => {
    await expect(forEachConcurrently([1, 2, 3], 2, async (n) => { if (n === 2) throw new Error("boom 2"); })).rejects.toThrow("boom 2");
  });
});
