/**
 * The copies a list of event cards prefetches: both reads at low priority without outage retries,
 * handed to a click once, never when older than MAX_AGE_MS, at most KEPT of them, and cancelled when
 * the fan chooses an event. The browser cases (Save-Data, a stale copy corrected) are in
 * e2e/seat-map.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { prefetchAllowed } from "./event-prefetch";

interface Sent {
  query: string;
  variables: Record<string, unknown>;
  options: { signal?: AbortSignal; priority?: string; policy?: { maxRetries: number } };
  resolve: (data: unknown) => void;
  reject: (error: unknown) => void;
}
const sent: Sent[] = [];
vi.mock("../../app/graphql-fetch", () => ({
  fetchGraphQL: (query: string, variables: Record<string, unknown>, options: Sent["options"]) =>
    new Promise((resolve, reject) => {
      sent.push({ query, variables, options, resolve, reject });
      options.signal?.addEventListener("abort", () => reject(new Error("aborted")));
    }),
}));
vi.mock("../../app/session", () => ({ onTokenChange: () => () => {} }));
const { cancelPrefetches, KEPT, MAX_AGE_MS, prefetchEvent, takePrefetchedEvent } = await import("./prefetched-events");

const EVENT = { id: "e1", name: "Arena night" };
const MAP = [{ sectionId: "s1", rows: ["A"], numbers: [1], xSteps: [0], ySteps: [0], statuses: "A", features: "0" }];
/** Answers the two reads of `eventId` sent so far. */
function answer(eventId: string) {
  for (const request of sent) {
    if (request.variables.id === eventId) request.resolve({ event: { ...EVENT, id: eventId } });
    if (request.variables.eventId === eventId) request.resolve({ event: { id: eventId, seatMap: MAP } });
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  sent.length = 0;
});
afterEach(() => {
  cancelPrefetches();
  for (let index = 1; index <= 12; index++) takePrefetchedEvent(`e${index}`);
  vi.useRealTimers();
});

describe("prefetched events", () => {
  it("sends the event's and the seat map's reads at low priority, without outage retries, and hands the copy over once", async () => {
    const done = prefetchEvent("e1");
    expect(sent.map((request) => [request.query.match(/query (\w+)/)?.[1], request.variables, request.options.priority, request.options.policy?.maxRetries])).toEqual([
      ["EventPage", { id: "e1" }, "low", 0],
      ["SeatMap", { eventId: "e1" }, "low", 0],
    ]);
    // Asked again while it is coming or kept: not sent twice.
    void prefetchEvent("e1");
    expect(sent).toHaveLength(2);
    answer("e1");
    await done;
    const copy = takePrefetchedEvent("e1")!;
    expect(await copy.event).toEqual(EVENT);
    expect(await copy.sections).toEqual(MAP);
    expect(takePrefetchedEvent("e1")).toBeNull();
  });

  it("never hands over a copy older than MAX_AGE_MS, and fetches it again when asked after that", async () => {
    const done = prefetchEvent("e1");
    answer("e1");
    await done;
    vi.advanceTimersByTime(MAX_AGE_MS - 1);
    void prefetchEvent("e1");
    expect(sent).toHaveLength(2);
    vi.advanceTimersByTime(1);
    void prefetchEvent("e1");
    expect(sent).toHaveLength(4);
    // The new copy is young; an old one is dropped at the click.
    expect(takePrefetchedEvent("e1")).not.toBeNull();
    void prefetchEvent("e2");
    vi.advanceTimersByTime(MAX_AGE_MS);
    expect(takePrefetchedEvent("e2")).toBeNull();
  });

  it("keeps at most KEPT copies, dropping (and cancelling) the oldest", async () => {
    for (let index = 1; index <= KEPT + 1; index++) void prefetchEvent(`e${index}`);
    expect(sent[0]!.options.signal!.aborted).toBe(true);
    expect(takePrefetchedEvent("e1")).toBeNull();
    expect(takePrefetchedEvent(`e${KEPT + 1}`)).not.toBeNull();
  });

  it("cancels the copies still coming when the fan chooses an event, keeps those in, and forgets a failed one", async () => {
    const first = prefetchEvent("e1");
    answer("e1");
    await first;
    void prefetchEvent("e2");
    const coming = sent.filter((request) => request.variables.id === "e2" || request.variables.eventId === "e2");
    cancelPrefetches();
    expect(coming.map((request) => request.options.signal!.aborted)).toEqual([true, true]);
    expect(takePrefetchedEvent("e2")).toBeNull();
    expect(takePrefetchedEvent("e1")).not.toBeNull();

    const failed = prefetchEvent("e3");
    sent.at(-1)!.reject(new Error("network"));
    await failed;
    expect(takePrefetchedEvent("e3")).toBeNull();
  });
});

describe("prefetchAllowed", () => {
  it("prefetches unless the fan asks to save data or the line is 2G-slow", () => {
    expect(prefetchAllowed(undefined)).toBe(true);
    expect(prefetchAllowed({ effectiveType: "4g" })).toBe(true);
    expect(prefetchAllowed({ effectiveType: "3g", saveData: false })).toBe(true);
    expect(prefetchAllowed({ effectiveType: "4g", saveData: true })).toBe(false);
    expect(prefetchAllowed({ effectiveType: "2g" })).toBe(false);
    expect(prefetchAllowed({ effectiveType: "slow-2g" })).toBe(false);
  });
});
