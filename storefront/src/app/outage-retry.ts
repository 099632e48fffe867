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
import { busyState, DEFAULT_POLICY, retryDelayMs, unavailableHint, type RetryPolicy } from "./backoff";

/** Root mutation fields that are idempotent by a key in their input. */
export const IDEMPOTENT_MUTATIONS: ReadonlySet<string> = new Set(["holdSeats", "checkout"]);

/** Queries, and mutations whose every root field is idempotent by its key. */
export function isRetryable(operation: Pick<ApolloLink.Operation, "query" | "operationType">): boolean {
  if (operation.operationType === OperationTypeNode.QUERY) return true;
  if (operation.operationType !== OperationTypeNode.MUTATION) return false;
  const definition = operation.query.definitions.find((node) => node.kind === Kind.OPERATION_DEFINITION);
  if (!definition || definition.kind !== Kind.OPERATION_DEFINITION) return false;
  return definition.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && IDEMPOTENT_MUTATIONS.has(selection.name.value));
}

export function createOutageRetryLink(policy: RetryPolicy = DEFAULT_POLICY): ApolloLink {
  return new ApolloLink((operation, forward) => {
    if (!isRetryable(operation)) return forward(operation);
    return new Observable<ApolloLink.Result>((observer) => {
      let inner: Subscription | null = null;
      let timer: ReturnType<typeof setTimeout> | null = null;
      let counted = false;
      const settle = () => {
        if (counted) busyState.change(-1);
        counted = false;
      };
      const attempt = (retry: number) => {
        let retrying = false;
        inner = forward(operation).subscribe({
          next(result) {
            const outage = unavailableHint("errors" in result ? result.errors : undefined);
            if (outage && retry < policy.maxRetries) {
              retrying = true;
              if (!counted) busyState.change(+1);
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
