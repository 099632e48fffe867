/**
 * What a partner key may call. Scopes are Stripe-style "resource:access" names; each root field of the
 * schema that a key may use names the scope it needs. A key calling a field that is not listed here
 * (sign-in, the console's admin operations, key management itself) is refused: keys are for the
 * partner API, people use the console.
 *
 * - catalogue:read  browse events, venues, search, live seat and price updates
 * - orders:read     read the orders of the key's organization's events (partnerOrders, order)
 * - holds:write     waiting room, holds and checkout on behalf of a fan the partner signed in: the key
 *                   registers the fan (upsertPartnerFan) and names it in the Boxoffice-Fan header
 *                   (partner.fans.ts); without that header these fields have no fan and are UNAUTHENTICATED
 * - webhooks:manage register and manage webhook endpoints
 */
export const SCOPES = ["catalogue:read", "orders:read", "holds:write", "webhooks:manage"] as const;
export type Scope = (typeof SCOPES)[number];

export const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value);

/**
 * Root field → the scope a key needs to call it, or the scopes any one of which is enough (`order`:
 * a fan's own order with holds:write, any order of the organization with orders:read; the resolver
 * decides which orders each may see). Every field listed needs a sample in test/partner/scopes.test.ts.
 */
export const SCOPE_OF_FIELD: Readonly<Record<string, Scope | readonly Scope[]>> = {
  // Query
  events: "catalogue:read",
  event: "catalogue:read",
  venue: "catalogue:read",
  searchEvents: "catalogue:read",
  cities: "catalogue:read",
  waitingRoom: "catalogue:read",
  waitingRoomStats: "catalogue:read",
  waitingRoomChallenge: "holds:write",
  queueStatus: "holds:write",
  hold: "holds:write",
  myOrders: "holds:write",
  viewer: "holds:write",
  order: ["holds:write", "orders:read"],
  partnerOrders: "orders:read",
  // the change feed: each scope reads its own types (partner.changes.types.ts)
  changes: ["catalogue:read", "orders:read"],
  webhookEndpoints: "webhooks:manage",
  webhookDeliveries: "webhooks:manage",
  // Mutation
  upsertPartnerFan: "holds:write",
  joinWaitingRoom: "holds:write",
  leaveWaitingRoom: "holds:write",
  holdSeats: "holds:write",
  releaseHold: "holds:write",
  checkout: "holds:write",
  cancelOrder: "holds:write",
  createWebhookEndpoint: "webhooks:manage",
  updateWebhookEndpoint: "webhooks:manage",
  rotateWebhookSecret: "webhooks:manage",
  deleteWebhookEndpoint: "webhooks:manage",
  replayWebhookDelivery: "webhooks:manage",
  sendTestWebhook: "webhooks:manage",
  // Subscription
  seatStatusChanged: "catalogue:read",
  sectionPriceChanged: "catalogue:read",
  queuePositionChanged: "holds:write",
};

/** The scopes that each allow a root field ([] : not for keys at all). */
export function scopesOf(field: string): readonly Scope[] {
  const needed = SCOPE_OF_FIELD[field];
  return needed === undefined ? [] : typeof needed === "string" ? [needed] : needed;
}

/**
 * The first root field the scopes do not allow, with the scopes any one of which it needs ([]: not for
 * keys at all); undefined when all are allowed.
 */
export function missingScope(fields: readonly string[], scopes: readonly string[]): { field: string; needs: readonly Scope[] } | undefined {
  for (const field of fields) {
    // `__typename`, `__schema` and `__type`: GraphQL's own fields; reading the schema is for every key.
    if (field.startsWith("__")) continue;
    const needs = scopesOf(field);
    if (!needs.some((scope) => scopes.includes(scope))) return { field, needs };
  }
  return undefined;
}
