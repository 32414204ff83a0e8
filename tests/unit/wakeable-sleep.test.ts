import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { wakeableSleep } from "~/lib/wakeable-sleep";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Whether `promise` has settled once pending callbacks have run (fake timers do not advance). */
async function settled(promise: Promise<unknown>) {
  let done = false;
  void promise.then(() => (done = true));
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
}

describe("a wakeable sleep", () => {
  it("ends after its time when nobody wakes it", async () => {
    const sleeper = wakeableSleep();
    const sleeping = sleeper.sleep(1_000);
    await vi.advanceTimersByTimeAsync(999);
    expect(await settled(sleeping)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(sleeping)).toBe(true);
  });

  it("ends at once when woken", async () => {
    const sleeper = wakeableSleep();
    const sleeping = sleeper.sleep(60_000);
    sleeper.wake();
    expect(await settled(sleeping)).toBe(true);
  });

  it("remembers a wake-up that comes while it is not asleep, for the next sleep only", async () => {
    const sleeper = wakeableSleep();
    sleeper.wake();
    sleeper.wake();
    expect(await settled(sleeper.sleep(60_000))).toBe(true);
    // Two wake-ups while busy are one reason to look again, not two.
    expect(await settled(sleeper.sleep(60_000))).toBe(false);
  });

  it("remembers a wake-up during a run after a sleep that ended by its time or by a wake-up", async () => {
    // The outbox worker once lost these: the ended sleep's wake-up handler stayed in place and
    // cleared the flag, so mail committed during a run waited for the next poll.
    const sleeper = wakeableSleep();
    const byTime = sleeper.sleep(10);
    await vi.advanceTimersByTimeAsync(10);
    expect(await settled(byTime)).toBe(true);
    sleeper.wake();
    expect(await settled(sleeper.sleep(60_000))).toBe(true);

    const byWake = sleeper.sleep(60_000);
    sleeper.wake();
    expect(await settled(byWake)).toBe(true);
    sleeper.wake();
    expect(await settled(sleeper.sleep(60_000))).toBe(true);
  });

  it("is cancelled without leaving a wake-up behind", async () => {
    const sleeper = wakeableSleep();
    const sleeping = sleeper.sleep(60_000);
    sleeper.cancel();
    expect(await settled(sleeping)).toBe(true);
    sleeper.wake();
    sleeper.cancel();
    expect(await settled(sleeper.sleep(60_000))).toBe(false);
    expect(vi.getTimerCount()).toBe(1);
  });
});
