/**
 * The engine's schedule: wakes `settleMs` after each multiple of `intervalMs` by its own clock and runs
 * one tick. The clock only decides when a copy wakes; which tick it computes comes from PostgreSQL's
 * clock (tick.ts), so copies with skewed clocks still compute each section once per tick: the first
 * copy awake in a tick claims it, the others find nothing due. A failed tick (PostgreSQL down) is
 * logged and the next one runs as usual; a tick still running when the next is due makes that one wait
 * for the following boundary rather than overlap.
 */
import type { Logger } from "pino";
import { runOnce, type TickDependencies, type TickResult } from "./tick.js";

export interface Ticking {
  /** Finishes the tick in flight, then stops. */
  stop(): Promise<void>;
}

export interface TickingOptions {
  intervalMs: number;
  settleMs: number;
  /** This copy's clock (ms); tests skew it. */
  clock?: () => number;
  onTick?: (result: TickResult) => void;
  logger: Logger;
}

export function startTicking(deps: TickDependencies, options: TickingOptions): Ticking {
  const clock = options.clock ?? Date.now;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  function schedule(): void {
    if (stopped) return;
    const now = clock();
    const next = (Math.floor((now - options.settleMs) / options.intervalMs) + 1) * options.intervalMs + options.settleMs;
    timer = setTimeout(tick, next - now);
  }

  function tick(): void {
    running = runOnce(deps)
      .then((result) => {
        options.onTick?.(result);
        if (result.tick !== null) {
          options.logger.info({ tick: result.tick, computed: result.computed, changed: result.changed, noSignal: result.noSignal }, "pricing tick");
        }
      })
      .catch((error: unknown) => options.logger.warn({ err: error }, "pricing tick failed; prices stay as they are until the next tick"))
      .finally(() => {
        running = null;
        schedule();
      });
  }

  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
