/**
 * Riding out a short outage, the parts both GraphQL clients share (Apollo's link in outage-retry.ts
 * and the home page's small fetch client in graphql-fetch.ts): how to recognise an answer that says
 * "try again" (SERVICE_UNAVAILABLE, with `extensions.retryAfterSeconds`), how long to wait before
 * each retry, and the busy flag the banner shows while any request waits. No imports, so the home
 * page can use it without loading Apollo.
 */

export interface RetryPolicy {
  /** Retries after the first attempt before the error is passed on. */
  maxRetries: number;
  /** First backoff; doubles each retry. */
  baseDelayMs: number;
  /** Longest backoff (before jitter). */
  maxDelayMs: number;
  random: () => number;
}

export const DEFAULT_POLICY: RetryPolicy = { maxRetries: 6, baseDelayMs: 1_000, maxDelayMs: 15_000, random: Math.random };

/** How long to wait before retry number `retry` (0-based): backoff or the server's hint, whichever is longer, plus up to half again. */
export function retryDelayMs(retry: number, retryAfterSeconds: number | null, policy: RetryPolicy): number {
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  const wait = Math.max(backoff, (retryAfterSeconds ?? 0) * 1_000);
  return Math.round(wait + policy.random() * wait * 0.5);
}

/** The retry hint of an answer whose errors say SERVICE_UNAVAILABLE, or undefined when they say anything else. */
export function unavailableHint(errors: readonly { extensions?: Record<string, unknown> | null }[] | undefined): { retryAfterSeconds: number | null } | undefined {
  const error = errors?.find((item) => item.extensions?.code === "SERVICE_UNAVAILABLE");
  if (!error) return undefined;
  const hint = error.extensions?.retryAfterSeconds;
  return { retryAfterSeconds: typeof hint === "number" && hint > 0 ? hint : null };
}

/** Requests waiting to be retried right now (the banner shows while there is any). */
let waiting = 0;
const listeners = new Set<() => void>();

export const busyState = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** True while some request is waiting out an outage. */
  isBusy(): boolean {
    return waiting > 0;
  },
  /** +1 when a request starts waiting to retry, -1 when it stops (answered, gave up, or cancelled). */
  change(by: 1 | -1): void {
    waiting += by;
    for (const listener of listeners) listener();
  },
};
