/**
 * Placing holds: the group-commit engine in front of PostgreSQL's `hold_seats_batch`
 * (prisma/sql/functions/hold_seats_batch.sql), which decides every hold. The mechanism, in order:
 *
 * 1. Queue. `place(request)` queues the request and returns a promise of PostgreSQL's decision. The
 *    requests of one turn of the event loop are pumped together (setImmediate).
 * 2. Lanes. At most `concurrency` lanes (HOLD_BATCH_CONCURRENCY) run at once, each on one pool
 *    connection that it keeps while requests keep coming. Fetching a connection from the pool per
 *    batch cost about a millisecond per batch under load: the pool hands one out on the next tick,
 *    after every continuation already queued, the answered callers' included.
 * 3. Batches. A lane takes up to `maxBatch` (HOLD_BATCH_MAX) queued requests and sends them in one
 *    call: one round trip, one transaction, one commit, decided one after another in arrival order
 *    (first come, first served). While batches are in flight, arriving requests wait and go together
 *    in the next: under load batches grow by themselves, a lone request goes at once, alone. The next
 *    batch is sent the moment the previous answer is in, before that batch's callers run.
 * 4. Split on failure. A batch that fails as a whole (a request the database rejects) is retried one
 *    request at a time in the same lane, so one request's failure is only ever its own. A lost
 *    connection (no SQLSTATE, 08…, 57P…) fails the batch's requests and stops the lane; the pool
 *    discards the connection and queued requests go on a new lane.
 * 5. Deadlock retry. Batches lock seats in one order, so only two batches each holding one fan's
 *    lock can deadlock (the same fan's requests in both at once): such a call is tried again, up to
 *    three times.
 * 6. Commit mode. `synchronousCommit` (HOLD_SYNCHRONOUS_COMMIT, default "off" in the API, "on" when
 *    not given here) is set for the batch's transaction only, in the same statement. "off" answers a
 *    batch before its WAL is flushed: a PostgreSQL crash can lose the holds of its last few hundred
 *    milliseconds, never an order (docs/architecture.md, "Crashes").
 */
import type pg from "pg";
import type { SynchronousCommit } from "../platform/config.js";
import type { HoldLineRow } from "./hold.db.js";

export interface HoldRequest {
  holdId: string;
  eventId: string;
  userId: string;
  requestKey: string | null;
  seatIds: readonly string[] | null;
  sectionId: string | null;
  quantity: number | null;
  /** Best-available picks may strand a seat when no other choice exists; explicit picks may not. */
  allowSingleGaps: boolean;
}

/** The JSON hold_seats returns (snake_case, as PostgreSQL builds it). */
interface RawOutcome {
  outcome: string;
  hold_id: string;
  expires_at: string;
  currency: string;
  subtotal_minor: number;
  ga_available: number | null;
  lines: { section_id: string; seat_id: string | null; price_minor: number }[];
  status: string;
  on_sale_at: string;
  max: number;
  owned: number;
  available: number;
  seats: ({ seat_id: string; status: UnavailableSeat["status"]; hold_id: string | null; holder_user_id: string | null; held_until: string | null } | string)[];
}

export interface HoldPlacer {
  /** Places one hold: its outcome is PostgreSQL's decision, committed. */
  place(request: HoldRequest): Promise<HoldOutcome>;
}

export type HoldOutcome =
  | { outcome: "HELD"; holdId: string; expiresAt: Date; currency: string; subtotalMinor: number; lines: HoldLineRow[]; gaAvailable: number | null }
  | { outcome: "REPLAYED"; holdId: string; expiresAt: Date }
  | { outcome: "ACTIVE_HOLD"; holdId: string; expiresAt: Date }
  | { outcome: "NOT_FOUND" }
  | { outcome: "NOT_ON_SALE"; status: string; onSaleAt: Date }
  | { outcome: "SEAT_LIMIT"; max: number; owned: number }
  | { outcome: "UNAVAILABLE"; seats: UnavailableSeat[] }
  | { outcome: "STRANDED"; seatIds: string[] }
  | { outcome: "GA_SHORT"; available: number };

export interface UnavailableSeat {
  seatId: string;
  /** Null when the seat is not part of the event. */
  status: "AVAILABLE" | "HELD" | "SOLD" | "BLOCKED" | null;
  holdId: string | null;
  holderUserId: string | null;
  heldUntil: Date | null;
}

/** Places one hold per call; see the header. */
export function createHoldPlacer(pool: pg.Pool, options: { maxBatch: number; concurrency: number; synchronousCommit?: SynchronousCommit }): HoldPlacer {
  interface Pending {
    request: HoldRequest;
    resolve: (outcome: HoldOutcome) => void;
    reject: (error: unknown) => void;
  }
  type Answer = { raw: RawOutcome } | { error: unknown };
  const queue: Pending[] = [];
  // The setting applies to this statement's transaction only (set_config's `is_local`), and PostgreSQL
  // reads it when the transaction commits, after the SELECT: its place in the list does not matter.
  const synchronousCommit = options.synchronousCommit ?? "on";
  const sql =
    synchronousCommit === "on"
      ? `SELECT hold_seats_batch($1::jsonb) AS results`
      : `SELECT hold_seats_batch($1::jsonb) AS results, set_config('synchronous_commit', $2, true)`;
  const parameters = (requests: HoldRequest[]) => {
    const batch = JSON.stringify(requests.map(toArguments));
    return synchronousCommit === "on" ? [batch] : [batch, synchronousCommit];
  };
  let lanes = 0;
  let scheduled = false;

  /** PostgreSQL's answer for each request, or the error that request alone ran into. Never rejects. */
  async function decide(client: pg.ClientBase, requests: HoldRequest[]): Promise<Answer[]> {
    try {
      return (await call(client, requests)).map((raw) => ({ raw }));
    } catch (error) {
      if (requests.length === 1 || connectionLost(error)) return requests.map(() => ({ error }));
      // One at a time, within this batch's slot: a request that fails fails alone.
      const answers: Answer[] = [];
      for (const request of requests) answers.push(...(await decide(client, [request])));
      return answers;
    }
  }

  /**
   * One call of hold_seats_batch, in arrival order (first come, first served). A deadlock is tried
   * again: batches lock their seats in one order, so only two batches each holding one fan's lock can
   * deadlock (the same fan's requests in both, at once). The query is written to the connection before
   * this function first awaits.
   */
  async function call(client: pg.ClientBase, requests: HoldRequest[]): Promise<RawOutcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows } = await client.query<{ results: RawOutcome[] }>(sql, parameters(requests));
        return rows[0]!.results;
      } catch (error) {
        if ((error as { code?: string }).code !== DEADLOCK || attempt >= 3) throw error;
      }
    }
  }

  function settle(batch: Pending[], answers: Answer[]): void {
    batch.forEach((pending, index) => {
      const answer = answers[index];
      try {
        if (answer && "raw" in answer) pending.resolve(toOutcome(answer.raw));
        else pending.reject(answer ? answer.error : new Error("hold_seats_batch returned fewer results than requests"));
      } catch (error) {
        pending.reject(error);
      }
    });
  }

  /** A lane: one connection, batch after batch, until the queue is empty. */
  async function lane(first: Pending[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      for (const pending of first) pending.reject(error);
      return;
    }
    // A lost connection stops the lane: the pool discards the connection, and the requests still
    // queued go on a new one. Unheard, the connection's error event would end the process.
    let broken = false;
    const onError = () => {
      broken = true;
    };
    client.on("error", onError);
    try {
      let batch = first;
      let answered = decide(client, batch.map(({ request }) => request));
      for (;;) {
        const answers = await answered;
        if (answers.some((answer) => "error" in answer && connectionLost(answer.error))) broken = true;
        const next = broken ? [] : queue.splice(0, options.maxBatch);
        // The next batch goes to PostgreSQL before this one's callers run: under load they take a
        // while (Redis, responses), and PostgreSQL would wait for them.
        if (next.length > 0) answered = decide(client, next.map(({ request }) => request));
        settle(batch, answers);
        if (next.length === 0) break;
        batch = next;
      }
    } finally {
      client.off("error", onError);
      client.release(broken ? new Error("hold placer: connection lost") : undefined);
    }
  }

  function pump(): void {
    while (lanes < options.concurrency && queue.length > 0) {
      lanes++;
      void lane(queue.splice(0, options.maxBatch)).finally(() => {
        lanes--;
        pump(); // requests that came after this lane's last look at the queue
      });
    }
  }

  return {
    place(request) {
      return new Promise<HoldOutcome>((resolve, reject) => {
        queue.push({ request, resolve, reject });
        // Requests arriving in the same turn of the event loop go in one batch.
        if (!scheduled) {
          scheduled = true;
          setImmediate(() => {
            scheduled = false;
            pump();
          });
        }
      });
    },
  };
}

const DEADLOCK = "40P01";

/**
 * Whether an error means the connection is gone: no SQLSTATE (the socket closed, a protocol error),
 * a connection exception (08…) or the server ending the session (57P…: shutdown, terminated).
 */
function connectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code !== "string" || code.startsWith("08") || code.startsWith("57P");
}

/** A request as `hold_seats_batch` takes it (snake_case JSON). */
export function toArguments(request: HoldRequest) {
  return {
    hold_id: request.holdId,
    event_id: request.eventId,
    user_id: request.userId,
    request_key: request.requestKey,
    seat_ids: request.seatIds,
    section_id: request.sectionId,
    quantity: request.quantity,
    allow_single_gaps: request.allowSingleGaps,
  };
}

function toOutcome(result: RawOutcome): HoldOutcome {
  switch (result.outcome) {
    case "HELD":
      return {
        outcome: "HELD",
        holdId: result.hold_id,
        expiresAt: new Date(result.expires_at),
        currency: result.currency,
        subtotalMinor: result.subtotal_minor,
        gaAvailable: result.ga_available ?? null,
        lines: result.lines.map((line) => ({
          holdId: result.hold_id,
          sectionId: line.section_id,
          seatId: line.seat_id ?? null,
          priceMinor: line.price_minor,
          currency: result.currency,
        })),
      };
    case "REPLAYED":
    case "ACTIVE_HOLD":
      return { outcome: result.outcome, holdId: result.hold_id, expiresAt: new Date(result.expires_at) };
    case "NOT_ON_SALE":
      return { outcome: "NOT_ON_SALE", status: result.status, onSaleAt: new Date(result.on_sale_at) };
    case "SEAT_LIMIT":
      return { outcome: "SEAT_LIMIT", max: result.max, owned: result.owned };
    case "GA_SHORT":
      return { outcome: "GA_SHORT", available: result.available };
    case "STRANDED":
      return { outcome: "STRANDED", seatIds: result.seats as string[] };
    case "UNAVAILABLE": {
      const seats = result.seats as Exclude<RawOutcome["seats"][number], string>[];
      return {
        outcome: "UNAVAILABLE",
        seats: seats.map((seat) => ({
          seatId: seat.seat_id,
          status: seat.status ?? null,
          holdId: seat.hold_id ?? null,
          holderUserId: seat.holder_user_id ?? null,
          heldUntil: seat.held_until ? new Date(seat.held_until) : null,
        })),
      };
    }
    case "NOT_FOUND":
      return { outcome: "NOT_FOUND" };
    default:
      // A new outcome in the SQL must be mapped here, never read as something else.
      throw new Error(`hold_seats_batch returned an unknown outcome: ${String(result.outcome)}`);
  }
}
