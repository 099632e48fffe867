import { createHash } from "node:crypto";
import { Redis } from "ioredis";

export type { Redis };

/**
 * A Redis connection that keeps reconnecting in the background. With `queueWhileOffline: false`
 * commands fail at once while Redis is away, instead of running late when it is back (a seat claim
 * sent during an outage must not land after its request has been answered). Commands issued in the
 * same turn of the event loop go out in one write (`corkEachTurn`): under load, the claims, counts and
 * publishes of many requests share a round trip.
 */
export function createRedis(url: string, name: string, onError: (error: Error) => void, queueWhileOffline = true): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: queueWhileOffline,
    // Not ioredis's auto-pipelining: see corkEachTurn.
    enableAutoPipelining: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  corkEachTurn(redis);
  // Connection errors repeat every retry while Redis is away: report the first of each outage only.
  let failing = false;
  redis.on("error", (error: Error) => {
    if (!failing) onError(error);
    failing = true;
  });
  redis.on("ready", () => {
    failing = false;
  });
  return redis;
}

/**
 * Holds a connection's writes from its first command in a turn of the event loop until the turn's I/O
 * callbacks have run (setImmediate), then sends them in one write: the commands of all the requests a
 * turn serves share one syscall and reach Redis together, as ioredis's auto-pipelining did, without
 * its Pipeline objects. Those cost more than the writes they save: each Pipeline defines a `length`
 * getter on itself, which gives every pipeline a hidden class of its own, kept in V8's old generation
 * and pointing back at the pipeline, so no scavenge could free a pipeline, its commands or their
 * replies; they were copied twice and promoted, and waited for a full collection. Measured
 * (docs/performance-history.md, "Waiting room: what survives a scavenge"): 64 callers of one script on one
 * connection promoted 5.1 MB per scavenge with auto-pipelining (pauses ~12 ms), nothing without
 * (0.5 ms), and made 54% more calls corked than auto-pipelined. For the same reason the hot paths send
 * several commands as plain commands (`together`), not through `redis.pipeline()`.
 * Before the connection is ready (its own handshake, or commands waiting offline) nothing is held.
 */
export function corkEachTurn(redis: Redis): void {
  const send = redis.sendCommand.bind(redis);
  let corked: Redis["stream"] | null = null;
  const uncork = () => {
    const stream = corked!;
    corked = null;
    stream.uncork(); // (a stream replaced by a reconnect in the meantime is closed: this does nothing)
  };
  redis.sendCommand = (command, stream) => {
    if (corked === null && redis.status === "ready" && redis.stream?.writable) {
      corked = redis.stream;
      corked.cork();
      setImmediate(uncork);
    }
    return send(command, stream);
  };
}

/**
 * Commands sent together (one write, see corkEachTurn), answered as `pipeline.exec()` answers:
 * `[error, reply]` per command, in order. Not a transaction, as a pipeline is not one either.
 */
export function together(commands: readonly Promise<unknown>[]): Promise<[Error | null, unknown][]> {
  return Promise.all(commands.map((command) => command.then((reply): [null, unknown] => [null, reply], (error: Error): [Error, null] => [error, null])));
}

/**
 * Resolves once the connection is ready, or after `timeoutMs` whatever its state (a Redis that is
 * really away then fails the caller's command, as an outage should). Work that starts with the
 * process waits on this: with `queueWhileOffline: false` a command sent before the first connect
 * fails at once ("Stream isn't writeable"), although nothing is wrong.
 */
export function connected(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off("ready", done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    timer.unref();
    redis.once("ready", done);
  });
}

const shas = new Map<string, string>();

/**
 * Runs a Lua script by its SHA1 (EVALSHA) instead of sending its source with every call; the source
 * goes only when Redis does not know the script yet (first use, or after a restart: NOSCRIPT).
 */
export async function runScript(redis: Redis, lua: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown> {
  let sha = shas.get(lua);
  if (!sha) {
    sha = createHash("sha1").update(lua).digest("hex");
    shas.set(lua, sha);
  }
  try {
    return await redis.evalsha(sha, numberOfKeys, ...args);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("NOSCRIPT")) return redis.eval(lua, numberOfKeys, ...args);
    throw error;
  }
}
