/**
 * The waiting room lives in Redis, one set of keys per event (hash-tagged, so one Cluster shard).
 * Every state change is one Lua script, atomic on the server and timed by Redis's own clock, so
 * several API processes agree on order and limits without coordinating:
 *
 *   tickets  hash  queueToken → {u: userId, s: join sequence, l: lane P(resale)|G(eneral), j: joined ms,
 *                                st: WAITING|ADMITTED|EXPIRED|LEFT|USED, a: admitted ms, x: admission expiry ms}
 *   users    hash  userId → queueToken            (one live ticket per account)
 *   pre      zset  token → join sequence           (joined before on-sale; shuffled at on-sale)
 *   queue    zset  token → admission order         (presale: sequence; pre-queue: 1e12 + shuffled rank;
 *                                                   after on-sale: 2e12 + sequence, i.e. first come, first served)
 *   active   zset  token → admission expiry ms     (admitted and not yet used, left or expired)
 *   state    hash  shuffled, closed, admitted, expired, left, used, firstAdmittedAt, lastAdmittedAt
 *
 * ENTER also counts the join rate limits on rate-limiter-flexible's keys (`<prefix>rate:join-ip:<address>`,
 * `…join-account:<userId>`), which carry no event hash tag: on one Redis node that is free; a Redis
 * Cluster would need them tagged with the event (limits per event) or counted in a call of their own.
 */
import { runScript, type Redis } from "../platform/redis.js";
import type { WaitingRoomKeys } from "../platform/redis-keys.js";

const NOW = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)`;

/** KEYS users tickets pre queue sequence state; ARGV userId newToken onSaleMs lane → {token, 1 new | 0 existing | -1 closed}. */
const JOIN = `${NOW}
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then
  local raw = redis.call('HGET', KEYS[2], existing)
  if raw then
    local ticket = cjson.decode(raw)
    if ticket.st == 'WAITING' or (ticket.st == 'ADMITTED' and ticket.x > now) then return {existing, 0} end
  end
end
if redis.call('HGET', KEYS[6], 'closed') == '1' then return {'', -1} end
local seq = redis.call('INCR', KEYS[5])
redis.call('HSET', KEYS[2], ARGV[2], cjson.encode({u = ARGV[1], s = seq, l = ARGV[4], j = now, st = 'WAITING'}))
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if ARGV[4] == 'P' then
  redis.call('ZADD', KEYS[4], seq, ARGV[2])
elseif now < tonumber(ARGV[3]) and redis.call('HGET', KEYS[6], 'shuffled') ~= '1' then
  redis.call('ZADD', KEYS[3], seq, ARGV[2])
else
  redis.call('ZADD', KEYS[4], 2000000000000 + seq, ARGV[2])
end
return {ARGV[2], 1}`;

/**
 * What a ticket view needs, read at one instant (waiting-room.view.ts turns it into what the API shows):
 * the state hash's closed/admitted/firstAdmittedAt/lastAdmittedAt, Redis's clock, then per token its
 * ticket JSON and 0-based rank in the queue (false, i.e. nil, when absent).
 */
const READ_VIEW = `
local function room(stateKey, now)
  local state = redis.call('HMGET', stateKey, 'closed', 'admitted', 'firstAdmittedAt', 'lastAdmittedAt')
  return {state[1], state[2], state[3], state[4], now}
end`;

/** KEYS tickets queue state; ARGV tokens... → {closed, admitted, firstAdmittedAt, lastAdmittedAt, nowMs, raw₁, rank₁, raw₂, rank₂, ...}. */
const VIEWS = `${NOW}${READ_VIEW}
local result = room(KEYS[3], now)
for i = 1, #ARGV do
  result[#result + 1] = redis.call('HGET', KEYS[1], ARGV[i])
  result[#result + 1] = redis.call('ZRANK', KEYS[2], ARGV[i])
end
return result`;

/**
 * A whole join in one call for the usual case (the join fast lane, waiting-room.service.ts `join`):
 *   1. the two rate limits, each counted exactly as rate-limiter-flexible's RateLimiterRedis counts a
 *      point (same keys, fixed window set on first use): the per-address one first, the per-account
 *      one only if that passed, as consumeOrRefuse did one after the other;
 *   2. the fan's live ticket, if any (WAITING in an open room, or ADMITTED and not expired): returned;
 *   3. for an event that asks for more (proof of work, presale): stop here (GATE) and let the service
 *      check it, then JOIN;
 *   4. otherwise JOIN's own steps: a WAITING or live ADMITTED ticket is returned, a closed room refuses,
 *      else a new ticket is queued.
 * Steps 2 and 4 read in one atomic script what the service used to read in three round trips.
 * KEYS users tickets pre queue sequence state ipLimit accountLimit
 * ARGV userId newToken onSaleMs ipPoints ipSeconds accountPoints accountSeconds gated(1|0)
 * → {token, code, ...} with code 1 new, 0 existing (then closed, admitted, firstAdmittedAt,
 *   lastAdmittedAt, nowMs, raw, rank: VIEWS's layout for that token), -1 closed, 2 gate,
 *   -2 / -3 refused by the address / account limit (then ms before the window ends).
 */
const ENTER = `${NOW}${READ_VIEW}
local function consume(key, points, seconds)
  redis.call('SET', key, 0, 'EX', seconds, 'NX')
  local consumed = redis.call('INCRBY', key, 1)
  local ttl = redis.call('PTTL', key)
  if ttl == -1 then
    redis.call('EXPIRE', key, seconds)
    ttl = 1000 * tonumber(seconds)
  end
  if consumed > tonumber(points) then return ttl end
  return nil
end
local refused = consume(KEYS[7], ARGV[4], ARGV[5])
if refused then return {'', -2, refused} end
refused = consume(KEYS[8], ARGV[6], ARGV[7])
if refused then return {'', -3, refused} end
local function answer(token, code)
  local result = {token, code}
  for _, value in ipairs(room(KEYS[6], now)) do result[#result + 1] = value end
  result[#result + 1] = redis.call('HGET', KEYS[2], token)
  result[#result + 1] = redis.call('ZRANK', KEYS[4], token)
  return result
end
local closed = redis.call('HGET', KEYS[6], 'closed') == '1'
local existing = redis.call('HGET', KEYS[1], ARGV[1])
local holding = false
if existing then
  local raw = redis.call('HGET', KEYS[2], existing)
  if raw then
    local ticket = cjson.decode(raw)
    local admitted = ticket.st == 'ADMITTED' and ticket.x > now
    if (ticket.st == 'WAITING' and not closed) or admitted then return answer(existing, 0) end
    holding = ticket.st == 'WAITING' or admitted
  end
end
if ARGV[8] == '1' then return {'', 2} end
if holding then return answer(existing, 0) end
if closed then return {'', -1} end
local seq = redis.call('INCR', KEYS[5])
redis.call('HSET', KEYS[2], ARGV[2], cjson.encode({u = ARGV[1], s = seq, l = 'G', j = now, st = 'WAITING'}))
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if now < tonumber(ARGV[3]) and redis.call('HGET', KEYS[6], 'shuffled') ~= '1' then
  redis.call('ZADD', KEYS[3], seq, ARGV[2])
else
  redis.call('ZADD', KEYS[4], 2000000000000 + seq, ARGV[2])
end
return answer(ARGV[2], 1)`;

/**
 * KEYS queue active tickets state; ARGV maxActive maxByInventory ttlMs → {expired, activeNow, admitted tokens...}.
 * Frees the slots of admissions that expired unused, then admits from the head of the queue until
 * the active count reaches the smaller limit. Two schedulers running at once cannot exceed it.
 */
const ADMIT = `${NOW}
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, token in ipairs(expired) do
  local raw = redis.call('HGET', KEYS[3], token)
  if raw then
    local ticket = cjson.decode(raw)
    if ticket.st == 'ADMITTED' then
      ticket.st = 'EXPIRED'
      redis.call('HSET', KEYS[3], token, cjson.encode(ticket))
    end
  end
  redis.call('ZREM', KEYS[2], token)
end
if #expired > 0 then redis.call('HINCRBY', KEYS[4], 'expired', #expired) end
local active = redis.call('ZCARD', KEYS[2])
local slots = math.min(tonumber(ARGV[1]), tonumber(ARGV[2])) - active
local result = {#expired, active}
if slots > 0 then
  local popped = redis.call('ZPOPMIN', KEYS[1], slots)
  for i = 1, #popped, 2 do
    local token = popped[i]
    local raw = redis.call('HGET', KEYS[3], token)
    if raw then
      local ticket = cjson.decode(raw)
      ticket.st = 'ADMITTED'
      ticket.a = now
      ticket.x = now + tonumber(ARGV[3])
      redis.call('HSET', KEYS[3], token, cjson.encode(ticket))
      redis.call('ZADD', KEYS[2], ticket.x, token)
      result[#result + 1] = token
    end
  end
  local admitted = #result - 2
  if admitted > 0 then
    result[2] = active + admitted
    redis.call('HINCRBY', KEYS[4], 'admitted', admitted)
    redis.call('HSETNX', KEYS[4], 'firstAdmittedAt', now)
    redis.call('HSET', KEYS[4], 'lastAdmittedAt', now)
  end
end
return result`;

/** KEYS users tickets pre queue active state; ARGV userId token newStatus(LEFT|USED) → 1 when changed. */
const FINISH = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
local raw = redis.call('HGET', KEYS[2], ARGV[2])
if not raw then return 0 end
local ticket = cjson.decode(raw)
if ticket.st == 'WAITING' then
  if ARGV[3] ~= 'LEFT' then return 0 end
  redis.call('ZREM', KEYS[3], ARGV[2])
  redis.call('ZREM', KEYS[4], ARGV[2])
elseif ticket.st == 'ADMITTED' then
  redis.call('ZREM', KEYS[5], ARGV[2])
else
  return 0
end
ticket.st = ARGV[3]
redis.call('HSET', KEYS[2], ARGV[2], cjson.encode(ticket))
redis.call('HINCRBY', KEYS[6], string.lower(ARGV[3]), 1)
return 1`;

/** KEYS pre queue state draw; ARGV n, tokens (shuffled order) ×n, public ids ×n → 1 when shuffled now. */
const SHUFFLE = `
if redis.call('HGET', KEYS[3], 'shuffled') == '1' then return 0 end
local n = tonumber(ARGV[1])
for i = 1, n do
  if redis.call('ZSCORE', KEYS[1], ARGV[1 + i]) then
    redis.call('ZADD', KEYS[2], 1000000000000 + i, ARGV[1 + i])
  end
end
redis.call('DEL', KEYS[1], KEYS[4])
for i = 1, n do redis.call('RPUSH', KEYS[4], ARGV[1 + n + i]) end
redis.call('HSET', KEYS[3], 'shuffled', '1')
return 1`;

/** KEYS queue tickets state; closes the room: no joins, every waiting ticket EXPIRED. → number closed. */
const CLOSE = `
if redis.call('HGET', KEYS[3], 'closed') == '1' then return 0 end
redis.call('HSET', KEYS[3], 'closed', '1')
local waiting = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, token in ipairs(waiting) do
  local raw = redis.call('HGET', KEYS[2], token)
  if raw then
    local ticket = cjson.decode(raw)
    ticket.st = 'EXPIRED'
    redis.call('HSET', KEYS[2], token, cjson.encode(ticket))
  end
end
redis.call('DEL', KEYS[1])
return #waiting`;

export interface TicketRecord {
  u: string;
  s: number;
  l: "P" | "G";
  j: number;
  st: "WAITING" | "ADMITTED" | "EXPIRED" | "LEFT" | "USED";
  a?: number;
  x?: number;
}

/** The room's state and Redis's clock at the instant tickets were read (VIEWS). */
export interface RoomSnapshot {
  closed: boolean;
  admitted: number;
  firstAdmittedAt: number | null;
  lastAdmittedAt: number | null;
  nowMs: number;
}

/** One ticket as read: its JSON (null when there is no such ticket) and 0-based queue rank (null when not queued). */
export interface TicketRead {
  raw: string | null;
  rank: number | null;
}

/** A join's limits: the rate-limiter-flexible key of each and its fixed window (waiting-room.service.ts). */
export interface JoinLimits {
  ipKey: string;
  ipPoints: number;
  ipSeconds: number;
  accountKey: string;
  accountPoints: number;
  accountSeconds: number;
}

export type Entered =
  | { outcome: "NEW" | "EXISTING"; token: string; snapshot: RoomSnapshot; ticket: TicketRead }
  | { outcome: "CLOSED" | "GATE" }
  | { outcome: "RATE_LIMITED"; msBeforeNext: number };

export interface RoomScripts {
  /** The ticket reads and room snapshot of `tokens`, in one call. */
  views(keys: WaitingRoomKeys, tokens: readonly string[]): Promise<{ snapshot: RoomSnapshot; tickets: TicketRead[] }>;
  /** ENTER: rate limits, then the fan's live ticket, a GATE for gated events, or a new ticket; one call. */
  enter(keys: WaitingRoomKeys, limits: JoinLimits, userId: string, token: string, onSaleMs: number, gated: boolean): Promise<Entered>;
  join(keys: WaitingRoomKeys, userId: string, token: string, onSaleMs: number, lane: "P" | "G"): Promise<{ token: string; outcome: "NEW" | "EXISTING" | "CLOSED" }>;
  admit(keys: WaitingRoomKeys, maxActive: number, maxByInventory: number, ttlMs: number): Promise<{ expired: number; active: number; admitted: string[] }>;
  finish(keys: WaitingRoomKeys, userId: string, token: string, status: "LEFT" | "USED"): Promise<boolean>;
  shuffle(keys: WaitingRoomKeys, tokens: readonly string[], publicIds: readonly string[]): Promise<boolean>;
  close(keys: WaitingRoomKeys): Promise<number>;
}

type Reply = string | number | null;

function snapshotOf(reply: readonly Reply[], at: number): RoomSnapshot {
  const [closed, admitted, first, last, now] = reply.slice(at, at + 5);
  return {
    closed: closed === "1",
    admitted: Number(admitted ?? 0),
    firstAdmittedAt: first ? Number(first) : null,
    lastAdmittedAt: last ? Number(last) : null,
    nowMs: Number(now),
  };
}

const ticketAt = (reply: readonly Reply[], at: number): TicketRead => ({ raw: (reply[at] as string | null) ?? null, rank: (reply[at + 1] as number | null) ?? null });

export function roomScripts(redis: Redis): RoomScripts {
  return {
    async views(keys, tokens) {
      const reply = (await runScript(redis, VIEWS, 3, keys.tickets, keys.queue, keys.state, ...tokens)) as Reply[];
      return { snapshot: snapshotOf(reply, 0), tickets: tokens.map((_, index) => ticketAt(reply, 5 + 2 * index)) };
    },
    async enter(keys, limits, userId, token, onSaleMs, gated) {
      const reply = (await runScript(
        redis,
        ENTER,
        8,
        keys.users,
        keys.tickets,
        keys.preQueue,
        keys.queue,
        keys.sequence,
        keys.state,
        limits.ipKey,
        limits.accountKey,
        userId,
        token,
        onSaleMs,
        limits.ipPoints,
        limits.ipSeconds,
        limits.accountPoints,
        limits.accountSeconds,
        gated ? 1 : 0,
      )) as Reply[];
      const code = reply[1] as number;
      if (code === -2 || code === -3) return { outcome: "RATE_LIMITED", msBeforeNext: reply[2] as number };
      if (code === -1) return { outcome: "CLOSED" };
      if (code === 2) return { outcome: "GATE" };
      return { outcome: code === 1 ? "NEW" : "EXISTING", token: reply[0] as string, snapshot: snapshotOf(reply, 2), ticket: ticketAt(reply, 7) };
    },
    async join(keys, userId, token, onSaleMs, lane) {
      const [found, code] = (await runScript(redis, JOIN, 6, keys.users, keys.tickets, keys.preQueue, keys.queue, keys.sequence, keys.state, userId, token, onSaleMs, lane)) as [string, number];
      return { token: found, outcome: code === 1 ? "NEW" : code === 0 ? "EXISTING" : "CLOSED" };
    },
    async admit(keys, maxActive, maxByInventory, ttlMs) {
      const result = (await runScript(redis, ADMIT, 4, keys.queue, keys.active, keys.tickets, keys.state, maxActive, Math.max(0, Math.floor(maxByInventory)), ttlMs)) as [
        number,
        number,
        ...string[],
      ];
      const [expired, active, ...admitted] = result;
      return { expired, active, admitted };
    },
    async finish(keys, userId, token, status) {
      return (await runScript(redis, FINISH, 6, keys.users, keys.tickets, keys.preQueue, keys.queue, keys.active, keys.state, userId, token, status)) === 1;
    },
    async shuffle(keys, tokens, publicIds) {
      return (await runScript(redis, SHUFFLE, 4, keys.preQueue, keys.queue, keys.state, keys.draw, tokens.length, ...tokens, ...publicIds)) === 1;
    },
    async close(keys) {
      return (await runScript(redis, CLOSE, 3, keys.queue, keys.tickets, keys.state)) as number;
    },
  };
}
