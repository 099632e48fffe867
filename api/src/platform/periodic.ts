/**
 * A background job that runs every `intervalMs` in each API process (0 = only when called): never two
 * passes at once in one process, failures logged and retried at the next tick, and `stop()` waits for
 * a pass in flight. Jobs that run in several processes make their own work exclusive (SKIP LOCKED).
 */
import type { Logger } from "./logger.js";

export interface Periodic<T> {
  /** Runs a pass now, or joins the one in flight. */
  run(): Promise<T>;
  stop(): Promise<void>;
}

export function startPeriodic<T>(name: string, intervalMs: number, pass: () => Promise<T>, logger: Logger): Periodic<T> {
  let running: Promise<T> | null = null;
  let stopped = false;

  function run(): Promise<T> {
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  }

  const timer =
    intervalMs > 0
      ? setInterval(() => {
          if (stopped || running) return;
          run().catch((error: unknown) => logger.warn({ err: error, job: name }, "background job failed; retrying next interval"));
        }, intervalMs)
      : null;
  timer?.unref();

  return {
    run,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
