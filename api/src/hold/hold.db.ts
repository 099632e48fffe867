/**
 * Every SQL statement of holds. Placing a hold is one call of the `hold_seats` function (migration
 * 20261123220000_batched_holds), batched with the holds arriving alongside it (createHoldPlacer).
 * Ending holds goes through `end_holds`, which frees each hold's seats and places exactly once however
 * many callers race.
 */
import type pg from "pg";
import type { SynchronousCommit } from "../platform/config.js";

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

export interface HoldLineRow {
  holdId: string;
  sectionId: string;
  seatId: string | null;
  priceMinor: number;
  currency: string;
}

export interface HoldRow {
  id: string;
  eventId: string;
  userId: string;
  status: "ACTIVE" | "RELEASED" | "EXPIRED" | "CONVERTED";
  subtotalMinor: number;
  currency: string;
  expiresAt: Date;
}

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

/**
 * Natural batching (group commit): while `concurrency` batches are in flight, arriving requests wait
 * and then go together, up to `maxBatch` per call of `hold_seats_batch` (migration
 * 20261123220000_batched_holds): one round trip, one transaction and one commit for all of them,
 * decided one after another in arrival order. A lone request goes at once, alone. If a batch fails as
 * a whole (a deadlock between two batches, a request the database rejects), each of its requests is
 * retried on its own, so one request's failure is only ever its own.
 *
 * Each of the `concurrency` lanes keeps its pool connection for as long as requests keep coming, and
 * sends the next batch on it the moment the previous answer is in, before that batch's callers run.
 * Going through `pool.query` for every batch cost each batch about a millisecond under load: the pool
 * hands out a connection on the next tick, which runs only after every continuation already queued,
 * those of the callers just answered included (docs/PERFORMANCE.md, "Seventh round").
 *
 * `synchronousCommit` is PostgreSQL's setting for these transactions only (HOLD_SYNCHRONOUS_COMMIT;
 * "on" when not given): "off" answers a batch without waiting for its WAL flush (api/README.md, Holds).
 */
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
    default:
      return { outcome: "NOT_FOUND" };
  }
}

/** A seat or general-admission places given back by an ended hold. */
export interface FreedPlace {
  holdId: string;
  userId: string;
  eventId: string;
  sectionId: string;
  seatId: string | null;
  quantity: number;
}

const FREED_COLUMNS = `hold_id AS "holdId", user_id AS "userId", event_id AS "eventId", section_id AS "sectionId", seat_id AS "seatId", quantity`;

/** Releases the user's live hold; empty when it was not theirs, not live, or already ended. */
export async function releaseHold(db: pg.Pool, holdId: string, userId: string): Promise<FreedPlace[]> {
  const { rows } = await db.query<FreedPlace>(
    `SELECT ${FREED_COLUMNS} FROM end_holds(ARRAY(
       SELECT id FROM holds WHERE id = $1::uuid AND user_id = $2::uuid AND status = 'ACTIVE' AND expires_at > now()
     ), 'RELEASED')`,
    [holdId, userId],
  );
  return rows;
}

/**
 * Ends up to `limit` expired holds. Rows another process is already ending are skipped (SKIP LOCKED),
 * so any number of sweepers can run at once and each hold is ended by exactly one.
 */
export async function expireHolds(db: pg.Pool, limit: number): Promise<FreedPlace[]> {
  const { rows } = await db.query<FreedPlace>(
    `SELECT ${FREED_COLUMNS} FROM end_holds(ARRAY(
       SELECT id FROM holds WHERE status = 'ACTIVE' AND expires_at <= now()
       ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED
     ), 'EXPIRED')`,
    [limit],
  );
  return rows;
}

export async function findHoldsByIds(db: pg.Pool, ids: readonly string[]): Promise<HoldRow[]> {
  const { rows } = await db.query<HoldRow>(
    `SELECT id, event_id AS "eventId", user_id AS "userId", status, subtotal_minor AS "subtotalMinor", currency,
            expires_at AS "expiresAt"
     FROM holds WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return rows;
}

export async function findHoldLinesByHoldIds(db: pg.Pool, holdIds: readonly string[]): Promise<HoldLineRow[]> {
  const { rows } = await db.query<HoldLineRow>(
    `SELECT l.hold_id AS "holdId", l.section_id AS "sectionId", l.seat_id AS "seatId", l.price_minor AS "priceMinor", l.currency
     FROM hold_lines l
     LEFT JOIN seats s ON s.id = l.seat_id
     LEFT JOIN seat_rows r ON r.id = s.row_id
     WHERE l.hold_id = ANY($1::uuid[])
     ORDER BY l.section_id, r.sort_order, s.number, l.id`,
    [holdIds],
  );
  return rows;
}

export interface AvailabilityRow {
  eventId: string;
  sectionId: string;
  available: number;
  total: number;
  /** General admission: when the first live hold of the section expires (its places come back then). */
  nextExpiry: Date | null;
}

/**
 * Live counts per section, with lazy expiry: a seat whose hold has expired is available, and places of
 * expired general-admission holds the sweeper has not reached yet are counted as free.
 */
export async function countAvailability(db: pg.Pool, eventIds: readonly string[]): Promise<AvailabilityRow[]> {
  const { rows } = await db.query<AvailabilityRow>(
    `WITH seated AS (
       SELECT es.event_id, es.section_id,
              count(*) FILTER (WHERE es.status = 'AVAILABLE' OR (es.status = 'HELD' AND es.held_until <= now()))::int AS available,
              count(*) FILTER (WHERE es.status <> 'BLOCKED')::int AS total
       FROM event_seats es WHERE es.event_id = ANY($1::uuid[])
       GROUP BY es.event_id, es.section_id
     ), ga_holds AS (
       SELECT h.event_id, l.section_id,
              count(*) FILTER (WHERE h.expires_at <= now())::int AS lapsed,
              min(h.expires_at) FILTER (WHERE h.expires_at > now()) AS next_expiry
       FROM holds h JOIN hold_lines l ON l.hold_id = h.id AND l.seat_id IS NULL
       WHERE h.status = 'ACTIVE' AND h.event_id = ANY($1::uuid[])
       GROUP BY h.event_id, l.section_id
     )
     SELECT x.event_id AS "eventId", x.section_id AS "sectionId",
            CASE WHEN s.kind = 'GENERAL_ADMISSION'
                 THEN least(x.capacity, greatest(x.capacity - x.ga_held - x.ga_sold + coalesce(ga_holds.lapsed, 0), 0))
                 ELSE coalesce(seated.available, 0) END AS available,
            CASE WHEN s.kind = 'GENERAL_ADMISSION' THEN x.capacity ELSE coalesce(seated.total, 0) END AS total,
            ga_holds.next_expiry AS "nextExpiry"
     FROM event_sections x
     JOIN sections s ON s.id = x.section_id
     LEFT JOIN seated ON seated.event_id = x.event_id AND seated.section_id = x.section_id
     LEFT JOIN ga_holds ON ga_holds.event_id = x.event_id AND ga_holds.section_id = x.section_id
     WHERE x.event_id = ANY($1::uuid[])`,
    [eventIds],
  );
  return rows;
}

/** Seats of one section that a hold could take now (free, or held by an expired hold). */
export async function findFreeSeatIds(db: pg.Pool, eventId: string, sectionId: string): Promise<string[]> {
  const { rows } = await db.query<{ seatId: string }>(
    `SELECT seat_id AS "seatId" FROM event_seats
     WHERE event_id = $1::uuid AND section_id = $2::uuid
       AND (status = 'AVAILABLE' OR (status = 'HELD' AND held_until <= now()))`,
    [eventId, sectionId],
  );
  return rows.map((row) => row.seatId);
}

export interface HoldEventRow {
  id: string;
  venueId: string;
  status: string;
  onSaleAt: Date;
  startsAt: Date;
  maxSeatsPerUser: number;
  allowSingleSeatGaps: boolean;
  waitingRoomEnabled: boolean;
}

export async function findHoldEvent(db: pg.Pool, eventId: string): Promise<HoldEventRow | null> {
  const { rows } = await db.query<HoldEventRow>(
    `SELECT id, venue_id AS "venueId", status, on_sale_at AS "onSaleAt", starts_at AS "startsAt",
            max_seats_per_user AS "maxSeatsPerUser", allow_single_seat_gaps AS "allowSingleSeatGaps",
            waiting_room_enabled AS "waitingRoomEnabled"
     FROM events WHERE id = $1::uuid`,
    [eventId],
  );
  return rows[0] ?? null;
}

export interface VenueSeatRow {
  id: string;
  sectionId: string;
  sectionName: string;
  rowId: string;
  rowLabel: string;
  rowOrder: number;
  number: number;
  x: number;
  y: number;
  stageDistance: number;
}

export interface VenueSectionRow {
  id: string;
  name: string;
  kind: "SEATED" | "GENERAL_ADMISSION";
}

export async function findVenueLayout(db: pg.Pool, venueId: string): Promise<{ sections: VenueSectionRow[]; seats: VenueSeatRow[] }> {
  const [sections, seats] = await Promise.all([
    db.query<VenueSectionRow>(`SELECT id, name, kind FROM sections WHERE venue_id = $1::uuid`, [venueId]),
    db.query<VenueSeatRow>(
      `SELECT s.id, s.section_id AS "sectionId", sec.name AS "sectionName", s.row_id AS "rowId", r.label AS "rowLabel",
              r.sort_order AS "rowOrder", s.number, s.x, s.y, s.stage_distance AS "stageDistance"
       FROM seats s JOIN seat_rows r ON r.id = s.row_id JOIN sections sec ON sec.id = s.section_id
       WHERE sec.venue_id = $1::uuid
       ORDER BY s.section_id, r.sort_order, s.number`,
      [venueId],
    ),
  ]);
  return { sections: sections.rows, seats: seats.rows };
}

/** When the PostgreSQL server now answering started (it changes with every restart or failover). */
export async function postgresStartedAt(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ started: string }>(`SELECT pg_postmaster_start_time()::text AS started`);
  return rows[0]!.started;
}

/** Events fans can hold seats of now (as holdSeats decides it: on sale, on-sale time passed, not started). */
export async function findEventsOnSale(pool: pg.Pool): Promise<{ id: string; venueId: string }[]> {
  const { rows } = await pool.query<{ id: string; venueId: string }>(
    `SELECT id, venue_id AS "venueId" FROM events WHERE status IN ('ON_SALE', 'SCHEDULED') AND on_sale_at <= now() AND starts_at > now()`,
  );
  return rows;
}
