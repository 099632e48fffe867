/**
 * A very small GraphQL client for the first page a fan opens: one `fetch` POST of a query written as
 * plain text, with the same bearer token and the same outage retries (backoff.ts) as the Apollo
 * client. Apollo Client with graphql's parser, graphql-ws and rxjs weighs ~48 KB gzipped; the home
 * page and the header need only this, so Apollo loads with the first page that needs its cache or
 * subscriptions (app/ApolloPage.tsx) and the home page stays within its JavaScript budget
 * (e2e/build.test.ts). Queries only: nothing here caches, subscribes or mutates.
 */
import { useEffect, useState } from "react";
import { busyState, DEFAULT_POLICY, retryDelayMs, unavailableHint, type RetryPolicy } from "./backoff";
import { getToken } from "./session";

export interface GraphQLErrorItem {
  message: string;
  extensions?: Record<string, unknown> | null;
}

/** An answer with errors and no data; `errors` as the API sent them (shared/errors.ts describes them). */
export class GraphQLRequestError extends Error {
  constructor(readonly errors: GraphQLErrorItem[]) {
    super(errors.map((error) => error.message).join("; "));
    this.name = "GraphQLRequestError";
  }
}

interface Answer<T> {
  data?: T | null;
  errors?: GraphQLErrorItem[];
}

/**
 * The response as a GraphQL answer. A body that is not one — a proxy's HTML error page or an empty
 * 502 while the API restarts — becomes an error with a code instead of a JSON parse error: from a
 * 5xx, SERVICE_UNAVAILABLE (retried like the API's own); otherwise UNEXPECTED_RESPONSE.
 */
async function readAnswer<T>(response: Response): Promise<Answer<T>> {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed !== null && typeof parsed === "object" && ("data" in parsed || "errors" in parsed)) return parsed as Answer<T>;
  } catch {
    // Not JSON: described below.
  }
  const code = response.status >= 500 ? "SERVICE_UNAVAILABLE" : "UNEXPECTED_RESPONSE";
  return { errors: [{ message: `The server answered ${response.status} without a GraphQL answer`, extensions: { code } }] };
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

/**
 * Sends `query` to /graphql and returns its data. A SERVICE_UNAVAILABLE answer is retried after the
 * shared backoff while the busy banner shows (so is a 5xx that is not a GraphQL answer); other errors
 * without data reject with GraphQLRequestError, and a network failure rejects as fetch does.
 */
export async function fetchGraphQL<T>(
  query: string,
  variables: Record<string, unknown>,
  options: { signal?: AbortSignal; policy?: RetryPolicy; priority?: RequestPriority } = {},
): Promise<T> {
  const policy = options.policy ?? DEFAULT_POLICY;
  let waiting = false;
  try {
    for (let retry = 0; ; retry++) {
      const token = getToken();
      const response = await fetch("/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
        signal: options.signal,
        ...(options.priority ? { priority: options.priority } : {}),
      });
      const answer = await readAnswer<T>(response);
      const outage = unavailableHint(answer.errors);
      if (outage && retry < policy.maxRetries) {
        if (!waiting) busyState.change(+1);
        waiting = true;
        await sleep(retryDelayMs(retry, outage.retryAfterSeconds, policy), options.signal);
        continue;
      }
      if (answer.data == null) throw new GraphQLRequestError(answer.errors ?? [{ message: `The server answered ${response.status}` }]);
      return answer.data;
    }
  } finally {
    if (waiting) busyState.change(-1);
  }
}

/** `fetchGraphQL` as a React hook: the query runs when the component mounts (again when `variables` change) and is cancelled when it unmounts. */
export function useFetchQuery<T>(query: string, variables: Record<string, unknown>): { data: T | undefined; loading: boolean; error: unknown } {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<{ key: string; data?: T; error?: unknown }>({ key: "" });
  useEffect(() => {
    const controller = new AbortController();
    fetchGraphQL<T>(query, JSON.parse(key) as Record<string, unknown>, { signal: controller.signal }).then(
      (data) => setState({ key, data }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ key, error });
      },
    );
    return () => controller.abort();
  }, [query, key]);
  const current = state.key === key;
  return { data: current ? state.data : undefined, loading: !current, error: current ? state.error : undefined };
}
