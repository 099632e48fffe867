/**
 * Redis on the hot paths is a filter and a cache, never the authority: each command gets a short
 * deadline (REDIS_FAST_PATH_TIMEOUT_MS), and when Redis is slow, away or was flushed the caller gets
 * "no opinion" (null) and carries on with PostgreSQL alone.
 *
 * The deadline judges Redis, not this process. Under a burst (2,000 requests read in one turn of the
 * event loop) the loop can be busy past the deadline while Redis's answer already waits in the
 * socket; the timer then comes due before the loop reads that socket (timers run first in a turn).
 * So a deadline that has passed gives the loop one look at its sockets (setImmediate runs after the
 * turn's I/O poll) and only then gives up: a Redis that answered in time is used, one that did not
 * costs the request at most the deadline and one turn.
 */
import type { Logger } from "./logger.js";

/**
 * Runs a Redis command with a deadline; null (and a rate-limited warning) when it fails or is late,
 * and at once while the connection is not ready (Redis away: no request waits out the deadline).
 */
export function createFastPath(logger: Logger, timeoutMs: number, isReady: () => boolean = () => true) {
  let lastWarning = 0;
  return async function fastPath<T>(what: string, command: () => Promise<T>): Promise<T | null> {
    if (!isReady()) return null;
    let timer: NodeJS.Timeout | undefined;
    let lastLook: NodeJS.Immediate | undefined;
    try {
      return await Promise.race([
        command(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            lastLook = setImmediate(() => reject(new Error(`timed out after ${timeoutMs} ms`)));
          }, timeoutMs);
        }),
      ]);
    } catch (error) {
      const now = Date.now();
      if (now - lastWarning > 5_000) {
        lastWarning = now;
        logger.warn({ err: error, what }, "redis fast path unavailable; PostgreSQL decides alone");
      }
      return null;
    } finally {
      clearTimeout(timer);
      clearImmediate(lastLook);
    }
  };
}

export type FastPath = ReturnType<typeof createFastPath>;
