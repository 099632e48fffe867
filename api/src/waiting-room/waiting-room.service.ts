/**
 * The virtual waiting room of a high-demand on-sale (DESIGN.md, "Waiting room"):
 * - fans who join before on-sale wait in a pre-queue that is shuffled at on-sale with a seed whose
 *   SHA-256 was published beforehand (commit-reveal), so arriving early or refreshing gives no edge
 *   and anyone can check the draw; fans who join later queue first come, first served; presale fans
 *   (access code or verified-fan list) go ahead of both;
 * - one scheduler across all processes admits fans in batches up to the active-shopper limit and the
 *   remaining inventory times the conversion factor; admitted fans get a signed admission token that
 *   holdSeats and checkout require;
 * - a purchase, leaving, or an admission that expires unused frees the slot; when the event sells out
 *   the room closes and everyone still waiting is told at once.
 */
import { createHash, randomFillSync } from "node:crypto";
import type pg from "pg";
import type { Availability } from "../hold/hold.availability.js";
import { assertNever, fail, ok, type Result } from "../platform/errors.js";
import { isId } from "../platform/graphql.js";
import type { Logger } from "../platform/logger.js";
import type { LivePubSub } from "../platform/pubsub.js";
import type { DemandSignals } from "../pricing/pricing.demand.js";
import { addressBucket } from "../platform/client-address.js";
import { createLimiter, rateLimitRefusal, type Limiter } from "../platform/rate-limits.js";
import type { RedisKeys, WaitingRoomKeys } from "../platform/redis-keys.js";
import { together, type Redis } from "../platform/redis.js";
import * as db from "./waiting-room.db.js";
import type { JoinLimits, RoomScripts, TicketRecord } from "./waiting-room.scripts.js";
import type { Admission, AdmissionTokens } from "./waiting-room.tokens.js";
import type { ProofOfWork } from "./waiting-room.pow.js";
import { viewOf, type TicketView } from "./waiting-room.view.js";

export interface WaitingRoomDependencies {
  pool: pg.Pool;
  redis: Redis;
  keys: RedisKeys;
  scripts: RoomScripts;
  tokens: AdmissionTokens;
  availability: Availability;
  pubsub: LivePubSub;
  logger: Logger;
  limits: { perIp: Limiter; perAccount: Limiter };
  proofOfWork: ProofOfWork;
  events: { get(eventId: string): Promise<db.RoomEventRow | null> };
  /** The pre-queue draw of an event, committed once (db.ensureDraw) and then remembered by this process. */
  draws: { ensure(eventId: string): Promise<void> };
  /** Remaining inventory per event, shared by every ticket view for a second (one admission batch
   * makes every subscriber re-read its ticket: the inventory is read once, not once per fan). */
  remaining: { get(eventId: string): Promise<number> };
  /** Joins per minute for the pricing engine. */
  demand: Pick<DemandSignals, "queueJoin">;
}

export type { QueueOutlook, QueueStatus, TicketView } from "./waiting-room.view.js";

/** The join limits. No blocking beyond the window: ENTER (waiting-room.scripts.ts) counts them itself, the way these limiters do. */
export function createRateLimits(redis: Redis, keys: RedisKeys, perIpPerMinute: number, perAccountPerMinute: number) {
  return {
    perIp: createLimiter(redis, keys, { name: "join-ip", points: perIpPerMinute, windowSeconds: 60 }),
    perAccount: createLimiter(redis, keys, { name: "join-account", points: perAccountPerMinute, windowSeconds: 60 }),
  };
}

/** The public id of a ticket in the published draw: its token's SHA-256 (the token itself is a secret). */
export function publicId(queueToken: string): string {
  return createHash("sha256").update(queueToken).digest("hex");
}

/** The pre-queue order: public ids sorted by SHA-256(seed ":" publicId). Anyone can recompute it. */
export function drawOrder(seed: string, publicIds: readonly string[]): string[] {
  const keyed = publicIds.map((id) => ({ id, key: createHash("sha256").update(`${seed}:${id}`).digest("hex") }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((entry) => entry.id);
}

export const DRAW_RECIPE =
  "At on-sale, every ticket that joined before on-sale is ordered by SHA-256(seed + ':' + publicId) as lowercase hex, ascending, " +
  "where publicId = SHA-256(queueToken) in lowercase hex. Check that SHA-256(seed) equals the commitment published before on-sale, " +
  "then recompute the order from preQueue (sorted by publicId) and compare it with drawOrder.";

export interface JoinRequest {
  eventId: string;
  userId: string;
  ip: string;
  accessCode?: string | null;
  proofOfWork?: string | null;
}

/**
 * Joins the event's waiting room (or returns the fan's live ticket). The usual case — an on-sale
 * without proof of work or presale, its settings cached — is one Redis script (ENTER: both rate
 * limits, the live-ticket check and the insert) and no PostgreSQL; a gated event continues with the
 * proof of work, the presale entitlement and JOIN, in that order.
 */
export async function join(deps: WaitingRoomDependencies, request: JoinRequest): Promise<Result<TicketView>> {
  if (!isId(request.eventId)) return fail("VALIDATION", "eventId is not a valid id", "eventId");
  if (request.accessCode != null && (request.accessCode.trim().length === 0 || request.accessCode.length > 100)) {
    return fail("VALIDATION", "accessCode must be 1 to 100 characters", "accessCode");
  }
  const event = await deps.events.get(request.eventId);
  if (!event || event.status === "DRAFT") return fail("NOT_FOUND", "no such event", "eventId");
  if (!event.waitingRoomEnabled) return fail("VALIDATION", "this event has no waiting room: hold seats directly", "eventId");
  if (!(event.status === "SCHEDULED" || event.status === "ON_SALE") || event.startsAt.getTime() <= Date.now()) {
    return fail("NOT_ON_SALE", `the event is not on sale (${event.status})`, "eventId");
  }
  // Before on-sale a new ticket goes to the pre-queue, whose draw must be committed first (once per process).
  if (event.onSaleAt.getTime() > Date.now()) await deps.draws.ensure(event.id);
  const keys = deps.keys.waitingRoom(event.id);
  const gated = event.proofOfWorkEnabled || event.presaleEnabled;
  const entered = await deps.scripts.enter(keys, joinLimits(deps, request), request.userId, newQueueToken(), event.onSaleAt.getTime(), gated);
  switch (entered.outcome) {
    case "RATE_LIMITED":
      return { ok: false, error: rateLimitRefusal(entered.msBeforeNext) };
    case "CLOSED":
      return fail("NOT_ON_SALE", "sold out: the waiting room is closed", "eventId");
    case "NEW":
    case "EXISTING": {
      if (entered.outcome === "NEW") deps.demand.queueJoin(event.id);
      const view = await viewOf(viewSources(deps), event, entered.token, entered.snapshot, entered.ticket);
      if (!view) throw new Error(`queue ticket ${entered.token} vanished`);
      return ok(view);
    }
    case "GATE":
      return gatedJoin(deps, event, request);
    default:
      return assertNever(entered);
  }
}

/** The rest of a join for an event with proof of work or presale (ENTER has counted the rate limits and found no live ticket). */
async function gatedJoin(deps: WaitingRoomDependencies, event: db.RoomEventRow, request: JoinRequest): Promise<Result<TicketView>> {
  if (event.proofOfWorkEnabled) {
    if (!request.proofOfWork) return fail("VALIDATION", "this event asks for a proof of work: solve waitingRoomChallenge first", "proofOfWork");
    if (!(await deps.proofOfWork.verify(request.proofOfWork, event.id))) return fail("VALIDATION", "the proof of work is not valid", "proofOfWork");
  }
  let lane: "P" | "G" = "G";
  if (event.presaleEnabled && (request.accessCode != null || (await isVerifiedFan(deps.pool, event.id, request.userId)))) {
    if (!(await db.usePresaleAccess(deps.pool, event.id, request.userId, request.accessCode ?? null))) {
      return fail("VALIDATION", "this access code is not valid for this event, or has been used up", "accessCode");
    }
    lane = "P";
  }
  const keys = deps.keys.waitingRoom(event.id);
  const joined = await deps.scripts.join(keys, request.userId, newQueueToken(), event.onSaleAt.getTime(), lane);
  if (joined.outcome === "CLOSED") return fail("NOT_ON_SALE", "sold out: the waiting room is closed", "eventId");
  if (joined.outcome === "NEW") deps.demand.queueJoin(event.id);
  const view = await ticketView(deps, event, joined.token);
  if (!view) throw new Error(`queue ticket ${joined.token} vanished`);
  return ok(view);
}

/** The two join limits as ENTER counts them: rate-limiter-flexible's keys and windows (no blocking: createRateLimits sets none). */
function joinLimits(deps: WaitingRoomDependencies, request: JoinRequest): JoinLimits {
  const { perIp, perAccount } = deps.limits;
  return {
    ipKey: perIp.getKey(addressBucket(request.ip)),
    ipPoints: perIp.points,
    ipSeconds: perIp.duration,
    accountKey: perAccount.getKey(request.userId),
    accountPoints: perAccount.points,
    accountSeconds: perAccount.duration,
  };
}

/**
 * A queue token: 18 random bytes (144 bits), base64url. Taken from a pool refilled 4 KB at a time:
 * one randomBytes call per join was ~3% of the API's CPU under a flash crowd (one syscall each).
 */
const TOKEN_BYTES = 18;
const tokenPool = Buffer.alloc(TOKEN_BYTES * 228);
let tokenPoolAt = tokenPool.length;
export function newQueueToken(): string {
  if (tokenPoolAt + TOKEN_BYTES > tokenPool.length) {
    randomFillSync(tokenPool);
    tokenPoolAt = 0;
  }
  const token = tokenPool.toString("base64url", tokenPoolAt, tokenPoolAt + TOKEN_BYTES);
  tokenPoolAt += TOKEN_BYTES;
  return token;
}

async function isVerifiedFan(pool: pg.Pool, eventId: string, userId: string): Promise<boolean> {
  const { rowCount } = await pool.query(`SELECT 1 FROM presale_access WHERE event_id = $1::uuid AND user_id = $2::uuid AND kind = 'VERIFIED_FAN'`, [
    eventId,
    userId,
  ]);
  return rowCount === 1;
}

export async function status(deps: WaitingRoomDependencies, eventId: string, queueToken: string): Promise<Result<TicketView>> {
  const checked = await statusEvent(deps, eventId, queueToken);
  if (!checked.ok) return checked;
  const view = await ticketView(deps, checked.value, queueToken);
  return view ? ok(view) : fail("NOT_FOUND", "no such queue ticket", "queueToken");
}

/** queueStatus's checks of its arguments and event, before any ticket is read (the fan-out shares them). */
export async function statusEvent(deps: Pick<WaitingRoomDependencies, "events">, eventId: string, queueToken: string): Promise<Result<db.RoomEventRow>> {
  if (!isId(eventId)) return fail("VALIDATION", "eventId is not a valid id", "eventId");
  if (queueToken.length === 0 || queueToken.length > 100) return fail("VALIDATION", "queueToken is not a queue token", "queueToken");
  const event = await deps.events.get(eventId);
  if (!event || !event.waitingRoomEnabled) return fail("NOT_FOUND", "no such waiting room", "eventId");
  return ok(event);
}

export const viewSources = (deps: Pick<WaitingRoomDependencies, "tokens" | "remaining">) => ({ tokens: deps.tokens, remaining: (eventId: string) => deps.remaining.get(eventId) });

/** The view sources of each dependencies object, made once (ticketView runs on every queueStatus poll). */
const sourcesOf = new WeakMap<WaitingRoomDependencies, ReturnType<typeof viewSources>>();

/** One ticket's live state: one Redis script (VIEWS), plus the remaining inventory (cached counts). */
export async function ticketView(deps: WaitingRoomDependencies, event: db.RoomEventRow, queueToken: string): Promise<TicketView | null> {
  const read = await deps.scripts.views(deps.keys.waitingRoom(event.id), [queueToken]);
  let sources = sourcesOf.get(deps);
  if (!sources) sourcesOf.set(deps, (sources = viewSources(deps)));
  return viewOf(sources, event, queueToken, read.snapshot, read.tickets[0]!);
}

export async function remainingInventory(deps: Pick<WaitingRoomDependencies, "availability">, eventId: string): Promise<number> {
  const counts = (await deps.availability.counts([eventId])).get(eventId);
  let remaining = 0;
  for (const count of counts?.values() ?? []) remaining += count.available;
  return remaining;
}

export async function leave(deps: WaitingRoomDependencies, userId: string, eventId: string, queueToken: string): Promise<Result<true>> {
  if (!isId(eventId)) return fail("VALIDATION", "eventId is not a valid id", "eventId");
  if (queueToken.length === 0 || queueToken.length > 100) return fail("VALIDATION", "queueToken is not a queue token", "queueToken");
  const keys = deps.keys.waitingRoom(eventId);
  if (!(await deps.scripts.finish(keys, userId, queueToken, "LEFT"))) {
    const raw = await deps.redis.hget(keys.tickets, queueToken);
    const ticket = raw ? (JSON.parse(raw) as TicketRecord) : null;
    if (!ticket || ticket.u !== userId) return fail("NOT_FOUND", "no such queue ticket", "queueToken");
    return fail("VALIDATION", `this ticket is no longer in the queue (${ticket.st.toLowerCase()})`, "queueToken");
  }
  publish(deps, eventId, "LEFT", 1);
  return ok(true);
}

/**
 * Checks an admission token for holdSeats (live admissions only) or checkout (`allowExpired`: a hold
 * placed while admitted may be paid for after the admission lapses). NOT_ADMITTED otherwise.
 */
export async function verifyAdmission(
  deps: WaitingRoomDependencies,
  userId: string,
  eventId: string,
  token: string | null | undefined,
  options: { allowExpired?: boolean } = {},
): Promise<Result<Admission>> {
  if (!token) return fail("NOT_ADMITTED", "this event has a waiting room: join it and use the admission token you get", "admissionToken");
  const admission = await deps.tokens.verify(token, options);
  if (!admission || admission.eventId !== eventId || admission.userId !== userId) {
    return fail("NOT_ADMITTED", "this admission token is not valid for you and this event", "admissionToken");
  }
  if (!options.allowExpired) {
    if (admission.expiresAt.getTime() <= Date.now()) return fail("NOT_ADMITTED", "your admission has expired; join the waiting room again", "admissionToken");
    const score = await deps.redis.zscore(deps.keys.waitingRoom(eventId).active, admission.queueToken).catch(() => "unknown");
    if (score === null) return fail("NOT_ADMITTED", "your admission has ended; join the waiting room again", "admissionToken");
  }
  return ok(admission);
}

/** A purchase frees the shopper's slot at once. */
export async function markPurchased(deps: WaitingRoomDependencies, admission: Admission): Promise<void> {
  if (await deps.scripts.finish(deps.keys.waitingRoom(admission.eventId), admission.userId, admission.queueToken, "USED")) {
    publish(deps, admission.eventId, "LEFT", 1);
  }
}

export function publish(deps: Pick<WaitingRoomDependencies, "pubsub" | "logger">, eventId: string, kind: "ADMITTED" | "LEFT" | "CLOSED", count: number): void {
  deps.pubsub
    .publishTo("QUEUE", eventId, { eventId, kind, count, at: Date.now() })
    .catch((error: unknown) => deps.logger.warn({ err: error }, "queue update not published"));
}

export interface RoomStats {
  waiting: number;
  preQueue: number;
  active: number;
  admitted: number;
  expired: number;
  left: number;
  purchased: number;
  /** Fans admitted per minute, measured. */
  admissionRatePerMinute: number;
  /** Of the fans admitted, the share that left or let their admission expire without buying. */
  abandonment: number;
  remainingInventory: number;
  soldOut: boolean;
  shuffled: boolean;
}

export async function stats(deps: WaitingRoomDependencies, event: db.RoomEventRow): Promise<RoomStats> {
  const keys: WaitingRoomKeys = deps.keys.waitingRoom(event.id);
  const replies = await together([
    deps.redis.zcard(keys.queue),
    deps.redis.zcard(keys.preQueue),
    deps.redis.zcount(keys.active, Date.now(), "+inf"),
    deps.redis.hgetall(keys.state),
  ]);
  const failed = replies.find(([error]) => error);
  if (failed) throw failed[0]; // Redis away: an outage, answered as one (platform/outage.ts)
  const state = (replies[3]![1] ?? {}) as Record<string, string>;
  const admitted = Number(state.admitted ?? 0);
  const expired = Number(state.expired ?? 0);
  const left = Number(state.left ?? 0);
  const used = Number(state.used ?? 0);
  const first = Number(state.firstAdmittedAt ?? 0);
  const last = Number(state.lastAdmittedAt ?? 0);
  const minutes = first && last > first ? (last - first) / 60_000 : 0;
  return {
    waiting: replies[0]![1] as number,
    preQueue: replies[1]![1] as number,
    active: replies[2]![1] as number,
    admitted,
    expired,
    left,
    purchased: used,
    admissionRatePerMinute: minutes > 0 ? admitted / minutes : 0,
    abandonment: admitted > 0 ? (expired + left) / admitted : 0,
    remainingInventory: await remainingInventory(deps, event.id),
    soldOut: state.closed === "1",
    shuffled: state.shuffled === "1",
  };
}
