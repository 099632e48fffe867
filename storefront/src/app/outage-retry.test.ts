/**
 * The storefront's outage retry, at the link: what is retried (queries, holdSeats and checkout with
 * their keys unchanged) and what is not, the delays (backoff, the server's retryAfterSeconds, jitter,
 * a bound), and the busy flag the banner shows. The end-to-end case against a real outage is
 * e2e/outage.test.ts.
 */
import { ApolloLink, gql } from "@apollo/client";
import { print, type DocumentNode, type OperationDefinitionNode } from "graphql";
import { Observable, lastValueFrom, toArray } from "rxjs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { busyState, retryDelayMs, type RetryPolicy } from "./backoff";
import { createOutageRetryLink, isRetryable } from "./outage-retry";

const UNAVAILABLE = { data: null, errors: [{ message: "busy", extensions: { code: "SERVICE_UNAVAILABLE", retryAfterSeconds: 2 } }] };
const policy: RetryPolicy = { maxRetries: 3, baseDelayMs: 1_000, maxDelayMs: 8_000, random: () => 0 };

const EVENTS = gql`query Events { events { edges { node { id } } } }`;
const HOLD = gql`mutation Hold($input: HoldSeatsInput!) { holdSeats(input: $input) { hold { id } errors { code } } }`;
const CHECKOUT = gql`mutation Pay($input: CheckoutInput!) { checkout(input: $input) { order { id } errors { code } } }`;
const REGISTER = gql`mutation Register($input: RegisterInput!) { register(input: $input) { token errors { code } } }`;
const MIXED = gql`mutation Mixed($input: HoldSeatsInput!) { holdSeats(input: $input) { errors { code } } releaseHold(holdId: "x") { errors { code } } }`;

/** A server that answers from a script, one answer per request, and records what it was sent. */
function scriptedServer(answers: ApolloLink.Result[]) {
  const sent: { query: string; variables: Record<string, unknown> }[] = [];
  const terminal = new ApolloLink(
    (operation) =>
      new Observable<ApolloLink.Result>((observer) => {
        sent.push({ query: print(operation.query), variables: operation.variables });
        observer.next(answers[Math.min(sent.length - 1, answers.length - 1)]!);
        observer.complete();
      }),
  );
  return { sent, terminal };
}

function run(query: typeof EVENTS, variables: Record<string, unknown>, answers: ApolloLink.Result[]) {
  const server = scriptedServer(answers);
  const link = ApolloLink.from([createOutageRetryLink(policy), server.terminal]);
  const results = lastValueFrom(ApolloLink.execute(link, { query, variables }, { client: {} as never }).pipe(toArray()));
  return { ...server, results };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("which requests are retried", () => {
  it("queries and the key-idempotent mutations, but not others or a mix", () => {
    const operation = (query: DocumentNode) => ({ query, operationType: (query.definitions[0] as OperationDefinitionNode).operation });
    expect(isRetryable(operation(EVENTS))).toBe(true);
    expect(isRetryable(operation(HOLD))).toBe(true);
    expect(isRetryable(operation(CHECKOUT))).toBe(true);
    expect(isRetryable(operation(REGISTER))).toBe(false);
    expect(isRetryable(operation(MIXED))).toBe(false);
  });
});

describe("the delays", () => {
  it("double from the base up to the bound, never below the server's retryAfterSeconds, plus up to half again of jitter", () => {
    expect([0, 1, 2, 3, 4, 5].map((retry) => retryDelayMs(retry, null, policy))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    expect([0, 1, 2].map((retry) => retryDelayMs(retry, 3, policy))).toEqual([3_000, 3_000, 4_000]);
    expect(retryDelayMs(0, 2, { ...policy, random: () => 0.5 })).toBe(2_500);
    expect(retryDelayMs(0, 2, { ...policy, random: () => 0.999 })).toBeLessThan(3_000);
  });
});

describe("retrying through an outage", () => {
  it("a query answered SERVICE_UNAVAILABLE twice is sent again after the hinted pauses and its answer arrives; the busy flag shows meanwhile", async () => {
    const ok = { data: { events: { edges: [] } } };
    const { sent, results } = run(EVENTS, {}, [UNAVAILABLE, UNAVAILABLE, ok]);
    expect(sent).toHaveLength(1);
    expect(busyState.isBusy()).toBe(true);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(sent).toHaveLength(1); // not before the server's 2 s
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sent).toHaveLength(3);
    expect(await results).toEqual([ok]);
    expect(busyState.isBusy()).toBe(false);
  });

  it("checkout is retried with the very same idempotencyKey, holdSeats with the same requestKey", async () => {
    const paid = { data: { checkout: { order: { id: "o1" }, errors: [] } } };
    const checkout = run(CHECKOUT, { input: { holdId: "h1", idempotencyKey: "key-1", paymentToken: "tok_visa" } }, [UNAVAILABLE, paid]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await checkout.results).toEqual([paid]);
    expect(checkout.sent.map((request) => request.variables)).toEqual([
      { input: { holdId: "h1", idempotencyKey: "key-1", paymentToken: "tok_visa" } },
      { input: { holdId: "h1", idempotencyKey: "key-1", paymentToken: "tok_visa" } },
    ]);
    const held = { data: { holdSeats: { hold: { id: "h2" }, errors: [] } } };
    const hold = run(HOLD, { input: { eventId: "e1", seatIds: ["s1"], requestKey: "request-1" } }, [UNAVAILABLE, held]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await hold.results).toEqual([held]);
    expect(hold.sent.map((request) => (request.variables.input as { requestKey: string }).requestKey)).toEqual(["request-1", "request-1"]);
  });

  it("a mutation without a key is not retried: the fan sees the error at once", async () => {
    const { sent, results } = run(REGISTER, { input: { email: "a@b.c", password: "p", name: "A" } }, [UNAVAILABLE]);
    expect(await results).toEqual([UNAVAILABLE]);
    expect(sent).toHaveLength(1);
    expect(busyState.isBusy()).toBe(false);
  });

  it("gives up after the bounded number of retries and passes the error on", async () => {
    const { sent, results } = run(EVENTS, {}, [UNAVAILABLE]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await results).toEqual([UNAVAILABLE]);
    expect(sent).toHaveLength(1 + policy.maxRetries);
    expect(busyState.isBusy()).toBe(false);
  });

  it("unsubscribing while waiting cancels the retry and clears the busy flag", async () => {
    const server = scriptedServer([UNAVAILABLE]);
    const link = ApolloLink.from([createOutageRetryLink(policy), server.terminal]);
    const subscription = ApolloLink.execute(link, { query: EVENTS }, { client: {} as never }).subscribe(() => undefined);
    expect(busyState.isBusy()).toBe(true);
    subscription.unsubscribe();
    expect(busyState.isBusy()).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.sent).toHaveLength(1);
  });
});
