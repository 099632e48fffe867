/**
 * Calls made in the same turn of the event loop, grouped by a key (an event: Redis keys of one event
 * share a cluster slot), go to `run` together: one Redis script for all the claims, counts or
 * messages of the holds a PostgreSQL batch just placed instead of one each. DataLoader does the
 * batching (without its cache: every call runs); the batch goes out once the turn's I/O callbacks and
 * promise continuations have run (setImmediate), so every request a batch resolved is in it.
 */
import DataLoader from "dataloader";

export type TickBatch<T, R> = (group: string, item: T) => Promise<R>;

export function createTickBatch<T, R>(run: (group: string, items: readonly T[]) => Promise<readonly R[]>, maxBatch = 1_000): TickBatch<T, R> {
  const loader = new DataLoader<{ group: string; item: T }, R>(
    async (calls) => {
      const byGroup = new Map<string, { indexes: number[]; items: T[] }>();
      calls.forEach((call, index) => {
        const entry = byGroup.get(call.group);
        if (entry) {
          entry.indexes.push(index);
          entry.items.push(call.item);
        } else byGroup.set(call.group, { indexes: [index], items: [call.item] });
      });
      const results = new Array<R | Error>(calls.length);
      await Promise.all(
        [...byGroup].map(async ([group, { indexes, items }]) => {
          try {
            const answers = await run(group, items);
            indexes.forEach((at, position) => (results[at] = answers[position]!));
          } catch (error) {
            const failure = error instanceof Error ? error : new Error(String(error));
            for (const at of indexes) results[at] = failure;
          }
        }),
      );
      return results;
    },
    { cache: false, maxBatchSize: maxBatch, batchScheduleFn: (callback) => setImmediate(callback) },
  );
  return (group, item) => loader.load({ group, item });
}
