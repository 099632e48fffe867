/**
 * The Redis fast path's deadline (platform/fast-path.ts) judges Redis, not the event loop: an answer
 * that came in while the loop was busy past the deadline (a burst of requests) is used; a Redis that
 * does not answer in time is still given up on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFastPath } from "../../src/platform/fast-path.js";
import type { Logger } from "../../src/platform/logger.js";
import { connected, createRedis, type Redis } from "../../src/platform/redis.js";

let redis: Redis;

beforeAll(async () => {
  redis = createRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", "fast-path-test", () => undefined, false);
  await connected(redis, 5_000);
});
afterAll(() => redis.disconnect());

/** A logger that keeps its warnings. */
function recordingLogger(): { logger: Logger; warnings: unknown[][] } {
  const warnings: unknown[][] = [];
  return { logger: { warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger, warnings };
}

/** Keeps the event loop busy, as parsing a burst of requests in one turn does. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe("the Redis fast path's deadline", () => {
  it("uses an answer that arrived while the event loop was busy past the deadline, and warns of nothing", async () => {
    const { logger, warnings } = recordingLogger();
    const fastPath = createFastPath(logger, 20);
    const answers: (string | null)[] = [];
    for (let round = 0; round < 5; round++) {
      const answer = fastPath("ping", () => redis.ping());
      // Once the command is written (the connection sends at the end of the turn: platform/redis.ts corkEachTurn), the loop is kept busy:
      // Redis answers within a millisecond or two, and the answer waits in the socket meanwhile.
      await new Promise((resolve) => setImmediate(resolve));
      busyFor(120);
      answers.push(await answer);
    }
    expect(answers).toEqual(["PONG", "PONG", "PONG", "PONG", "PONG"]);
    expect(warnings).toEqual([]);
  });

  it("gives up on a command that does not answer by the deadline: null after about the deadline, with one warning", async () => {
    const { logger, warnings } = recordingLogger();
    const fastPath = createFastPath(logger, 30);
    const started = performance.now();
    const answer = await fastPath("never", () => new Promise<string>(() => undefined));
    const elapsed = performance.now() - started;
    expect(answer).toBeNull();
    expect(elapsed).toBeGreaterThanOrEqual(29);
    expect(elapsed).toBeLessThan(1_000);
    expect(warnings.length).toBe(1);
    expect((warnings[0]![0] as { err: Error; what: string }).what).toBe("never");
    expect((warnings[0]![0] as { err: Error }).err.message).toBe("timed out after 30 ms");
  });

  it("answers null at once, without a command, while Redis is not ready", async () => {
    const { logger } = recordingLogger();
    let sent = 0;
    const fastPath = createFastPath(logger, 1_000, () => false);
    expect(await fastPath("down", () => (sent++, redis.ping()))).toBeNull();
    expect(sent).toBe(0);
  });
});
