/**
 * What a partner key may call. Scopes are Stripe-style "resource:access" names; each root field of the
 * schema that a key may use names the scope it needs. A key calling a field that is not listed here
 * (sign-in, the console's admin operations, key management itself) is refused: keys are for the
 * partner API, people use the console.
 *
 * - catalogue:read  browse events, venues, search, live seat and price updates
 * - orders:read     read the orders of the key's organization's events
 * - holds:write     waiting room, holds and checkout on behalf of a fan the partner signed in
 * - webhooks:manage register and manage webhook endpoints
 */
export const SCOPES = ["catalogue:read", "orders:read", "holds:write", "webhooks:manage"] as const;
export type Scope = (typeof SCOPES)[number];

export const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value);

/** Root field → the scope a key needs to call it (a list: any one of them). */
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
  order: "holds:write",
  // the change feed: each scope reads its own types (partner.changes.types.ts)
  changes: ["catalogue:read", "orders:read"],
  webhookEndpoints: "webhooks:manage",
  webhookDeliveries: "webhooks:manage",
  // Mutation
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

/** The first root field the scopes do not allow, with the scope it needs (null: not for keys at all); undefined when all are allowed. */
export function missingScope(fields: readonly string[], scopes: readonly string[]): { field: string; scope: Scope | null } | undefined {
  for (const field of fields) {
    // `__typename`, `__schema` and `__type`: GraphQL's own fields; reading the schema is for every key.
    if (field.startsWith("__")) continue;
    const needed = SCOPE_OF_FIELD[field];
    if (needed === undefined) return { field, scope: null };
    const anyOf: readonly Scope[] = typeof needed === "string" ? [needed] : needed;
    if (!anyOf.some((scope) => scopes.includes(scope))) return { field, scope: anyOf[0]! };
  }
  return undefined;
}
