/**
 * Run `work` for each item with at most `lanes` running at once, in order of
 * the items; resolves when all are done (rejects with the first error).
 */
export async function forEachConcurrently<T>(items: readonly T[], lanes: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(0, Math.min(lanes, items.length)) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}
