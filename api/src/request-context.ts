/**
 * What one GraphQL request or subscription runs with: the viewer from its bearer token, its client
 * address, its operation's cost, and DataLoaders made per request so their caches never outlive it.
 */
import { GraphQLError } from "graphql";
import type pg from "pg";
import { createAdminOrderLoaders, type AdminOrderLoaders } from "./admin/admin.orders.loaders.js";
import { createAdminVenueLoaders, type AdminVenueLoaders } from "./admin/admin.venues.loaders.js";
import { createAuthLoaders, type AuthLoaders } from "./auth/auth.loaders.js";
import { bearerToken, type Viewer } from "./auth/auth.tokens.js";
import { createCatalogueLoaders, type CatalogueLoaders } from "./catalogue/catalogue.loaders.js";
import { createCheckoutLoaders, type CheckoutLoaders } from "./checkout/checkout.loaders.js";
import type { App } from "./context.js";
import type { Partner } from "./partner/partner.auth.js";
import { PartnerRefusal, type PartnerCharge } from "./partner/partner.gate.js";
import { isWellFormedKey, looksLikeKey } from "./partner/partner.keys.js";
import type { Availability } from "./hold/hold.availability.js";
import { createHoldLoaders, type HoldLoaders } from "./hold/hold.loaders.js";
import { createPricingLoaders, type PricingLoaders } from "./pricing/pricing.loaders.js";

export type Loaders = CatalogueLoaders & AuthLoaders & HoldLoaders & CheckoutLoaders & PricingLoaders & AdminVenueLoaders & AdminOrderLoaders;

export interface Context {
  app: App;
  viewer: Viewer | null;
  /**
   * The partner calling with an API key (`Authorization: Bearer bo_live_…`), or null. A key request has
   * no viewer, unless it acts for one of its fans (Boxoffice-Fan): then `viewer` is that fan.
   */
  partner: Partner | null;
  loaders: Loaders;
  /** The client's address (rate limits): the socket peer, or what trusted proxies say (platform/client-address.ts). */
  ip: string;
  /** Cost of the operation this context runs (platform/graphql-limits.ts), set before it executes. */
  queryCost: number;
  /** A partner's request: what it was charged, until it is settled (partner/partner.gate.ts). */
  partnerCharge?: PartnerCharge;
}

export function createLoaders(pool: pg.Pool, availability: Availability): Loaders {
  return {
    ...createCatalogueLoaders(pool, availability),
    ...createAuthLoaders(pool),
    ...createHoldLoaders(pool),
    ...createCheckoutLoaders(pool),
    ...createPricingLoaders(pool),
    ...createAdminVenueLoaders(pool),
    ...createAdminOrderLoaders(pool),
  };
}

/**
 * A missing token is an anonymous request; a present but forged, altered or expired one, or one whose
 * session an admin ended (auth/auth.sessions.ts), is rejected with UNAUTHENTICATED so clients know to
 * sign in again rather than silently losing their identity.
 *
 * `fan` is the Boxoffice-Fan header (graphql-ws: connectionParams `boxoffice-fan`): with an API key
 * that has holds:write, the request runs as that partner's fan (partner/partner.fans.ts), with the key
 * still as `partner` (its scopes gate every root field, its budget is charged). Every transport calls
 * this one function, so they resolve the fan the same way.
 */
export async function createContext(app: App, authorization: unknown, ip: string | (() => string) = "unknown", fan?: unknown): Promise<Context> {
  const token = bearerToken(authorization);
  let viewer: Viewer | null = null;
  let partner: Partner | null = null;
  if (token !== null && looksLikeKey(token)) {
    partner = isWellFormedKey(token) ? await app.partnerKeys.authenticate(token) : null;
    if (!partner) {
      throw new GraphQLError("this API key is not valid or has been revoked", { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
    }
  } else if (token !== null) {
    viewer = await app.tokens.verify(token);
    if (!viewer) {
      throw new GraphQLError("the bearer token is invalid or expired; sign in again", {
        extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
      });
    }
    const ended = app.auth.sessions.refusal(viewer);
    if (ended !== null) throw new GraphQLError(ended, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
  } else if (authorization !== undefined && authorization !== null && authorization !== "") {
    throw new GraphQLError("the Authorization header must be 'Bearer <token>'", {
      extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
    });
  }
  if (fan !== undefined && fan !== null && fan !== "") {
    viewer = await partnerFan(app, partner, fan);
    // A partner acts for many fans from one server: the per-address limits (waiting-room joins) count
    // each fan on its own; the key's budget limits the partner as a whole.
    ip = `partner-fan:${viewer.id}`;
  }
  return new RequestContext(app, viewer, partner, ip);
}

/**
 * The context object: one allocation per request (every queueStatus poll makes one), its lazy parts
 * getters on the prototype rather than closures made per request.
 * - Loaders are made on first use: most mutations (a hold, a checkout) never read through one.
 * - The address too, when given as a function: only sign-up, sign-in and joining a waiting room read
 *   it (their rate limits), and the socket's peer costs a system call (getpeername) the first time a
 *   connection is asked; a hold never reads it.
 */
class RequestContext implements Context {
  readonly app: App;
  viewer: Viewer | null;
  partner: Partner | null;
  queryCost = 0;
  partnerCharge?: PartnerCharge;
  // Plain properties, not #private ones: Apollo copies a context by its own property descriptors onto
  // the same prototype, and a copy has no #private slots.
  private readonly addressOf: string | (() => string);
  private address: string | undefined;
  private loadersMade: Loaders | undefined;

  constructor(app: App, viewer: Viewer | null, partner: Partner | null, address: string | (() => string)) {
    this.app = app;
    this.viewer = viewer;
    this.partner = partner;
    this.addressOf = address;
  }

  get ip(): string {
    return (this.address ??= typeof this.addressOf === "string" ? this.addressOf : this.addressOf());
  }

  get loaders(): Loaders {
    return (this.loadersMade ??= createLoaders(this.app.db.pool, this.app.availability));
  }
}

/** The fan a key acts for (Boxoffice-Fan), or a refusal: only a key with holds:write, only its organization's fans. */
async function partnerFan(app: App, partner: Partner | null, fan: unknown): Promise<Viewer> {
  if (!partner || !partner.scopes.includes("holds:write")) {
    throw new PartnerRefusal("only an API key with the holds:write scope may act for a fan (Boxoffice-Fan)", {
      extensions: { code: "FORBIDDEN", http: { status: 403 }, requiredScope: "holds:write", requiredScopes: ["holds:write"] },
    });
  }
  const id = typeof fan === "string" ? await app.partnerFans.find(partner.organizationId, fan.trim()) : null;
  if (id === null) {
    throw new PartnerRefusal("no fan of this key's organization has this Boxoffice-Fan id; register it with upsertPartnerFan first", {
      extensions: { code: "UNAUTHENTICATED", http: { status: 401 }, reason: "UNKNOWN_FAN" },
    });
  }
  return { id, role: "FAN", organizationId: null };
}
