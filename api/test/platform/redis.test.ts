/**
 * The API's Redis connections (platform/redis.ts): commands issued in one turn of the event loop
 * leave in one write (corkEachTurn), without ioredis's Pipeline objects, and `together` answers as
 * `pipeline.exec()` did. Counted on the connection's socket: the writes Node hands to the kernel.
 */
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connected, createRedis, together, type Redis } from "../../src/platform/redis.js";

let redis: Redis;
const key = `redis-test:${process.pid}:${Date.now()}`;

beforeAll(async () => {
  redis = createRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", "redis-test", () => undefined, false);
  await connected(redis, 5_000);
});
afterAll(async () => {
  await redis.del(key, `${key}:list`);
  redis.disconnect();
});

/** Counts the socket's writes to the kernel (`_write` one buffer, `_writev` several) and the commands in each. */
function countWrites(socket: Socket): { writes: number[]; stop(): void } {
  const writes: number[] = [];
  const target = socket as Socket & { _write: (...args: unknown[]) => void; _writev: (chunks: unknown[], ...rest: unknown[]) => void };
  const write = target._write;
  const writev = target._writev;
  target._write = function (this: Socket, ...args: unknown[]) {
    writes.push(1);
    return write.apply(this, args);
  };
  target._writev = function (this: Socket, chunks: unknown[], ...rest: unknown[]) {
    writes.push(chunks.length);
    return writev.apply(this, [chunks, ...rest]);
  };
  return {
    writes,
    stop() {
      target._write = write;
      target._writev = writev;
    },
  };
}

describe("Redis connections", () => {
  it("send the commands of one turn in one write, and a later turn's in another", async () => {
    const counted = countWrites(redis.stream as Socket);
    try {
      const replies = await Promise.all(Array.from({ length: 50 }, (_, index) => redis.set(`${key}:${index % 5}`, String(index))));
      expect(replies).toEqual(Array.from({ length: 50 }, () => "OK"));
      expect(counted.writes).toEqual([50]);
      // The next turn is not held behind the first: its command leaves alone, and is answered.
      expect(await redis.get(`${key}:4`)).toBe("49");
      expect(counted.writes).toEqual([50, 1]);
    } finally {
      counted.stop();
      await redis.del(...Array.from({ length: 5 }, (_, index) => `${key}:${index}`));
    }
  });

  it("keep the order of commands within a turn", async () => {
    const writes = Array.from({ length: 20 }, (_, index) => redis.rpush(`${key}:list`, String(index)));
    const read = redis.lrange(`${key}:list`, 0, -1);
    await Promise.all(writes);
    expect(await read).toEqual(Array.from({ length: 20 }, (_, index) => String(index)));
  });

  it("answer `together` as pipeline.exec() does: [error, reply] per command, in order, one failure not failing the rest", async () => {
    await redis.set(key, "a string");
    const replies = await together([redis.get(key), redis.lpush(key, "x"), redis.strlen(key)]);
    expect(replies[0]).toEqual([null, "a string"]);
    expect(replies[1]![0]).toBeInstanceOf(Error);
    expect(String(replies[1]![0])).toMatch(/WRONGTYPE/);
    expect(replies[1]![1]).toBeNull();
    expect(replies[2]).toEqual([null, 8]);
  });

  it("never build an ioredis Pipeline for plain commands", async () => {
    const pipelines: unknown[] = [];
    const pipeline = redis.pipeline.bind(redis);
    redis.pipeline = ((...args: Parameters<Redis["pipeline"]>) => {
      pipelines.push(args);
      return pipeline(...args);
    }) as Redis["pipeline"];
    try {
      await Promise.all([redis.get(key), redis.strlen(key), together([redis.exists(key), redis.type(key)])]);
      expect(pipelines).toEqual([]);
    } finally {
      redis.pipeline = pipeline;
    }
  });
});
