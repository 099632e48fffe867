/**
 * Open-loop load: requests leave at a fixed rate whatever the answers' latency, as a crowd of clients
 * polling on their own clocks does. A closed loop (autocannon at a fixed concurrency) sends the next
 * request only when one is answered, so at saturation its latency is concurrency ÷ throughput and
 * says how long the queue in front of the server is, not how long a request takes; an open loop below
 * saturation measures the request itself.
 *
 * Each request is timed twice: from when it was due (its slot in the schedule: a late send, whether
 * the server or this process was busy, counts against it, so no coordinated omission) and from when it
 * was actually written (the server's own share). Sockets are kept alive and capped at `maxSockets`;
 * a request due while all are busy waits for one, and that wait counts in the "from due" figure.
 */
import { request, Agent } from "node:http";
import { performance } from "node:perf_hooks";
import { percentiles } from "./common.js";

export interface OpenLoopResult {
  /** Requests answered with 200 within the run. */
  count: number;
  non2xx: number;
  errors: number;
  /** Requests per second actually sent (below `rate` when this process could not keep up). */
  sentPerSecond: number;
  fromDue: { p50: number; p95: number; p99: number; max: number };
  fromSend: { p50: number; p95: number; p99: number; max: number };
}

export async function openLoop(options: { url: string; rate: number; seconds: number; maxSockets: number; body: () => string }): Promise<OpenLoopResult> {
  const url = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets });
  const fromDue: number[] = [];
  const fromSend: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let sent = 0;
  let pending = 0;
  const started = performance.now();
  const total = Math.floor(options.rate * options.seconds);
  const interval = 1_000 / options.rate;
  let sendingSeconds = options.seconds;

  const fire = (due: number) => {
    const body = options.body();
    pending++;
    const sending = performance.now();
    const outgoing = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on("end", () => {
          const now = performance.now();
          pending--;
          if (response.statusCode !== 200) non2xx++;
          else {
            fromDue.push(now - due);
            fromSend.push(now - sending);
          }
        });
      },
    );
    outgoing.on("error", () => {
      pending--;
      errors++;
    });
    outgoing.end(body);
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // Every request whose slot has come (a late tick sends the ones it missed at once).
      while (sent < total && started + sent * interval <= now) fire(started + sent++ * interval);
      if (sent < total) setTimeout(tick, Math.max(0, started + sent * interval - performance.now()));
      else {
        sendingSeconds = (performance.now() - started) / 1_000;
        resolve();
      }
    };
    tick();
  });
  // Answers still out get a few seconds; whatever has not come back by then counts as an error.
  const deadline = performance.now() + 10_000;
  while (pending > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  errors += pending;
  agent.destroy();
  const summary = (latencies: number[]) => {
    const { p50, p95, p99 } = percentiles(latencies);
    return { p50, p95, p99, max: latencies[latencies.length - 1] ?? NaN };
  };
  return { count: fromDue.length, non2xx, errors, sentPerSecond: sent / sendingSeconds, fromDue: summary(fromDue), fromSend: summary(fromSend) };
}
