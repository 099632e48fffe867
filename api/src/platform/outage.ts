/**
 * Tells an outage of PostgreSQL or Redis apart from a bug. The one place that knows what the drivers
 * throw when their server is unreachable, restarting or refusing connections: formatError answers
 * those with SERVICE_UNAVAILABLE and a retry hint instead of INTERNAL_SERVER_ERROR. Nothing here
 * decides business outcomes; a request that failed this way changed nothing it had not committed, and
 * every mutation a client may retry is idempotent by its key.
 */

export type OutageOf = "postgres" | "redis" | "network";

/** Socket errors of a server that is down or unreachable (which server: see the caller's context). */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ENOTFOUND"]);

/**
 * PostgreSQL SQLSTATEs of a server that cannot serve right now: class 08 (connection exception),
 * 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting or stopping),
 * 53300 too_many_connections.
 */
const POSTGRES_STATES = new Set(["57P01", "57P02", "57P03", "53300"]);

/** What pg and pg-pool throw, without a code, when a connection cannot be had or was cut. */
const POSTGRES_MESSAGES = [
  "timeout exceeded when trying to connect",
  "Connection terminated due to connection timeout",
  "Connection terminated unexpectedly",
  "Client has encountered a connection error and is not queryable",
];

/** What ioredis throws for a command while its connection is away (offline queue off, or retries spent). */
const REDIS_MESSAGES = ["Stream isn't writeable and enableOfflineQueue options is false", "Connection is closed."];

/** The server behind an outage error, or null when `error` is anything else (a bug, a bad query). */
export function outageOf(error: unknown): OutageOf | null {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const found = classify(current);
    if (found) return found;
    // Node's connect gives an AggregateError when every address of a host refused.
    if (current instanceof AggregateError) {
      for (const inner of current.errors) {
        const innerFound = outageOf(inner);
        if (innerFound) return innerFound;
      }
    }
    current = current.cause;
  }
  return null;
}

function classify(error: Error): OutageOf | null {
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (POSTGRES_STATES.has(code) || (/^08[0-9A-Z]{3}$/.test(code) && isPostgresError(error))) return "postgres";
    if (SOCKET_CODES.has(code)) return "network";
  }
  if (error.name === "MaxRetriesPerRequestError" || REDIS_MESSAGES.includes(error.message)) return "redis";
  if (POSTGRES_MESSAGES.includes(error.message)) return "postgres";
  return null;
}

/** pg's server errors carry the SQLSTATE in `code` and a `severity`; so do only they. */
function isPostgresError(error: Error): boolean {
  return typeof (error as { severity?: unknown }).severity === "string";
}
