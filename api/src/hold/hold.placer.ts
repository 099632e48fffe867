/**
 * Placing holds: the group-commit engine (platform/batch-lanes.ts: queue, lanes that keep a
 * connection, batches that grow with the load, deadlock retry, split on failure) in front of
 * PostgreSQL's `hold_seats_batch` (prisma/sql/functions/hold_seats_batch.sql), which decides every
 * hold. What is particular to holds:
 *
 * - Order. A batch is decided one request after another in arrival order (first come, first served);
 *   lanes (HOLD_BATCH_CONCURRENCY) and batch size (HOLD_BATCH_MAX) are the API's settings.
 * - Deadlocks. Batches lock seats in one order, so only two batches each holding one fan's lock can
 *   deadlock (the same fan's requests in both at once); the retry settles it.
 * - Commit mode. `synchronousCommit` (HOLD_SYNCHRONOUS_COMMIT, default "off" in the API, "on" when
 *   not given here) is set for the batch's transaction only, in the same statement. "off" answers a
 *   batch before its WAL is flushed: a PostgreSQL crash can lose the holds of its last few hundred
 *   milliseconds, never an order (docs/architecture.md, "Crashes").
 */
import type pg from "pg";
import { createBatchLanes } from "../platform/batch-lanes.js";
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
  // The setting applies to this statement's transaction only (set_config's `is_local`), and PostgreSQL
  // reads it when the transaction commits, after the SELECT: its place in the list does not matter.
  const synchronousCommit = options.synchronousCommit ?? "on";
  const sql =
    synchronousCommit === "on"
      ? `SELECT hold_seats_batch($1::jsonb) AS results`
      : `SELECT hold_seats_batch($1::jsonb) AS results, set_config('synchronous_commit', $2, true)`;
  const submit = createBatchLanes<HoldRequest, RawOutcome>(pool, {
    name: "hold placer",
    maxBatch: options.maxBatch,
    concurrency: options.concurrency,
    // The query is written to the connection before this function first awaits.
    async run(client, requests) {
      const batch = JSON.stringify(requests.map(toArguments));
      const { rows } = await client.query<{ results: RawOutcome[] }>(sql, synchronousCommit === "on" ? [batch] : [batch, synchronousCommit]);
      return rows[0]!.results;
    },
  });
  return {
    // An outcome this file cannot map fails its own request only (the batch has committed).
    place: (request) => submit(request).then(toOutcome),
  };
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
