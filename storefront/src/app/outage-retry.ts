/**
 * Riding out a short outage. When the API answers SERVICE_UNAVAILABLE (PostgreSQL or Redis briefly
 * away; `extensions.retryAfterSeconds` says how long to wait), the request is sent again after an
 * exponential backoff — never sooner than the server asked, with jitter so thousands of fans do not come
 * back in the same instant, and at most MAX_RETRIES times — while a banner tells the fan we are busy.
 *
 * Only requests that are safe to repeat are retried: queries, and the mutations that carry their own
 * idempotency key (holdSeats: `requestKey`, one per click; checkout: `idempotencyKey`, one per hold),
 * which the retry sends unchanged, so a retry returns the first attempt's hold or order instead of
 * making a second one. Anything else (register, cancelOrder, …) gets the error at once.
 */
import { ApolloLink } from "@apollo/client";
import { Kind, OperationTypeNode } from "graphql";
import { Observable, type Subscription } from "rxjs";

/** Root mutation fields that are idempotent by a key in their input. */
export const IDEMPOTENT_MUTATIONS: ReadonlySet<string> = new Set(["holdSeats", "checkout"]);

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

/** Queries, and mutations whose every root field is idempotent by its key. */
export function isRetryable(operation: Pick<ApolloLink.Operation, "query" | "operationType">): boolean {
  if (operation.operationType === OperationTypeNode.QUERY) return true;
  if (operation.operationType !== OperationTypeNode.MUTATION) return false;
  const definition = operation.query.definitions.find((node) => node.kind === Kind.OPERATION_DEFINITION);
  if (!definition || definition.kind !== Kind.OPERATION_DEFINITION) return false;
  return definition.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && IDEMPOTENT_MUTATIONS.has(selection.name.value));
}

/** The retry hint of a SERVICE_UNAVAILABLE answer, or undefined when the answer is anything else. */
function unavailable(result: ApolloLink.Result): { retryAfterSeconds: number | null } | undefined {
  const errors = "errors" in result ? result.errors : undefined;
  const error = errors?.find((item) => item.extensions?.code === "SERVICE_UNAVAILABLE");
  if (!error) return undefined;
  const hint = error.extensions?.retryAfterSeconds;
  return { retryAfterSeconds: typeof hint === "number" && hint > 0 ? hint : null };
}

// ---------------------------------------------------------------- what the banner shows

/** Requests waiting to be retried right now (the banner shows while there is any). */
let waiting = 0;
const listeners = new Set<() => void>();

function setWaiting(change: number): void {
  waiting += change;
  for (const listener of listeners) listener();
}

export const busyState = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** True while some request is waiting out an outage. */
  isBusy(): boolean {
    return waiting > 0;
  },
};

// ---------------------------------------------------------------- the link

export function createOutageRetryLink(policy: RetryPolicy = DEFAULT_POLICY): ApolloLink {
  return new ApolloLink((operation, forward) => {
    if (!isRetryable(operation)) return forward(operation);
    return new Observable<ApolloLink.Result>((observer) => {
      let inner: Subscription | null = null;
      let timer: ReturnType<typeof setTimeout> | null = null;
      let counted = false;
      const settle = () => {
        if (counted) setWaiting(-1);
        counted = false;
      };
      const attempt = (retry: number) => {
        let retrying = false;
        inner = forward(operation).subscribe({
          next(result) {
            const outage = unavailable(result);
            if (outage && retry < policy.maxRetries) {
              retrying = true;
              if (!counted) setWaiting(+1);
              counted = true;
              timer = setTimeout(() => attempt(retry + 1), retryDelayMs(retry, outage.retryAfterSeconds, policy));
              return;
            }
            settle();
            observer.next(result);
          },
          error(error: unknown) {
            settle();
            observer.error(error);
          },
          complete() {
            if (!retrying) observer.complete();
          },
        });
      };
      attempt(0);
      return () => {
        if (timer) clearTimeout(timer);
        inner?.unsubscribe();
        settle();
      };
    });
  });
}
