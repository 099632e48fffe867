/**
 * Every Redis key and pub/sub channel is built here. Keys of one event share the hash tag
 * `{event:ID}` so a Redis Cluster keeps them on one shard (multi-key Lua scripts stay legal); the
 * configurable prefix gives each test run and deployment its own keyspace. Redis pub/sub ignores the
 * database index, so channels carry the prefix too.
 */
export interface RedisKeys {
  prefix: string;
  /** Channel of seat and GA status changes of one event. */
  seatStatusChannel(eventId: string): string;
  /** Channel of section price changes of one event. */
  sectionPriceChannel(eventId: string): string;
  /** Fast-path claim of one seat: value `userId:holdId`, expires with the hold (or sooner while pending). */
  seatClaim(eventId: string, seatId: string): string;
  /** Hash of per-section counts of one event (`<sectionId>` = available, `<sectionId>:total`). */
  availability(eventId: string): string;
}

export function redisKeys(prefix: string): RedisKeys {
  const event = (eventId: string) => `${prefix}{event:${eventId}}`;
  return {
    prefix,
    seatStatusChannel: (eventId) => `${event(eventId)}:seat-status`,
    sectionPriceChannel: (eventId) => `${event(eventId)}:section-price`,
    seatClaim: (eventId, seatId) => `${event(eventId)}:seat:${seatId}`,
    availability: (eventId) => `${event(eventId)}:availability`,
  };
}
