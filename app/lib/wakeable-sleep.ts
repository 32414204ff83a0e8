/**
 * A sleep that can be cut short, for a loop that waits for work (the outbox worker, the mail
 * scheduler): `sleep(ms)` resolves after `ms` or at the next `wake()`, whichever comes first.
 * A wake-up that comes while the loop is not asleep (it is busy with a run) is remembered, and
 * the next `sleep` returns at once, so work announced during a run is never missed.
 */
export function wakeableSleep() {
  let pending = false;
  let current: { resolve: () => void; timer: NodeJS.Timeout } | undefined;
  const finish = () => {
    const sleeping = current;
    current = undefined;
    if (!sleeping) return;
    clearTimeout(sleeping.timer);
    sleeping.resolve();
  };
  return {
    sleep(ms: number): Promise<void> {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        current = { resolve, timer: setTimeout(finish, ms) };
      });
    },
    /** Ends the sleep under way, or makes the next one return at once. */
    wake() {
      if (current) finish();
      else pending = true;
    },
    /** Ends the sleep under way, if any, and forgets a pending wake-up (the loop is stopping). */
    cancel() {
      pending = false;
      finish();
    },
  };
}
