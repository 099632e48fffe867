/**
 * A small read-through cache for hot rows that may be a little stale (event settings on the hold and
 * queue paths): one load per key per `ttlMs`, concurrent readers share it, failures are not cached,
 * and the oldest key goes when `maxKeys` is reached.
 */
export function createTtlCache<T>(load: (key: string) => Promise<T>, ttlMs: number, maxKeys = 1_000): { get(key: string): Promise<T> } {
  const cache = new Map<string, { at: number; value: Promise<T> }>();
  return {
    get(key) {
      const entry = cache.get(key);
      if (entry && Date.now() - entry.at < ttlMs) return entry.value;
      const value = load(key);
      value.catch(() => cache.delete(key));
      cache.set(key, { at: Date.now(), value });
      if (cache.size > maxKeys) cache.delete(cache.keys().next().value!);
      return value;
    },
  };
}
