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
import type { Availability } from "./hold/hold.availability.js";
import { createHoldLoaders, type HoldLoaders } from "./hold/hold.loaders.js";
import { createPricingLoaders, type PricingLoaders } from "./pricing/pricing.loaders.js";

export type Loaders = CatalogueLoaders & AuthLoaders & HoldLoaders & CheckoutLoaders & PricingLoaders & AdminVenueLoaders & AdminOrderLoaders;

export interface Context {
  app: App;
  viewer: Viewer | null;
  loaders: Loaders;
  /** The client's address (rate limits): the socket peer, or what trusted proxies say (platform/client-address.ts). */
  ip: string;
  /** Cost of the operation this context runs (platform/graphql-limits.ts), set before it executes. */
  queryCost: number;
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
 * A missing token is an anonymous request; a present but forged, altered or expired one is rejected
 * with UNAUTHENTICATED so clients know to sign in again rather than silently losing their identity.
 */
export async function createContext(app: App, authorization: unknown, ip = "unknown"): Promise<Context> {
  const token = bearerToken(authorization);
  let viewer: Viewer | null = null;
  if (token !== null) {
    viewer = await app.tokens.verify(token);
    if (!viewer) {
      throw new GraphQLError("the bearer token is invalid or expired; sign in again", {
        extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
      });
    }
  } else if (authorization !== undefined && authorization !== null && authorization !== "") {
    throw new GraphQLError("the Authorization header must be 'Bearer <token>'", {
      extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
    });
  }
  // Loaders are made on first use: most mutations (a hold, a checkout) never read through one.
  let loaders: Loaders | undefined;
  return {
    app,
    viewer,
    ip,
    queryCost: 0,
    get loaders() {
      return (loaders ??= createLoaders(app.db.pool, app.availability));
    },
  };
}
