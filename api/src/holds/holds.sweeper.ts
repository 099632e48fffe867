/**
 * Releases expired holds every few seconds in every API process. `expireHolds` skips rows another
 * process is already ending, so N processes sweep without ending any hold twice; each freed seat is
 * published as AVAILABLE. Lazy expiry already treats these seats as free; the sweeper makes it visible
 * (seat map, counts) and returns general-admission places.
 */
import type { HoldDependencies } from "./holds.service.js";
import { afterFreed } from "./holds.service.js";
import { expireHolds } from "./holds.db.js";

const BATCH = 500;

export interface Sweeper {
  /** One pass: ends every expired hold (in batches); returns how many places were freed. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

export function startSweeper(deps: HoldDependencies, intervalMs: number): Sweeper {
  let running: Promise<number> | null = null;
  let stopped = false;

  async function pass(): Promise<number> {
    let freedTotal = 0;
    for (;;) {
      const freed = await expireHolds(deps.pool, BATCH);
      if (freed.length === 0) break;
      freedTotal += freed.length;
      await afterFreed(deps, freed);
      if (new Set(freed.map((place) => place.holdId)).size < BATCH) break;
    }
    return freedTotal;
  }

  function sweep(): Promise<number> {
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  }

  const timer =
    intervalMs > 0
      ? setInterval(() => {
          if (stopped || running) return;
          sweep().catch((error: unknown) => deps.logger.warn({ err: error }, "hold sweep failed; retrying next interval"));
        }, intervalMs)
      : null;
  timer?.unref();

  return {
    sweep,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
