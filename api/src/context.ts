/**
 * Composition of one API process (`App`): each domain's `<domain>.module.ts` builds its dependencies
 * from required inputs; this file only puts them in order (what a module needs is built before it)
 * and closes them in reverse. The per-request context is in request-context.ts.
 */
import { createDashboardModule, type DashboardModule } from "./admin/admin.dashboard.module.js";
import { startEventRefunds, type RefundPass } from "./admin/admin.events.refunds.js";
import { createAuthModule } from "./auth/auth.module.js";
import type { AuthDependencies } from "./auth/auth.service.js";
import type { TokenSigner } from "./auth/auth.tokens.js";
import { createCheckoutModule, type CheckoutModule } from "./checkout/checkout.module.js";
import type { Availability } from "./hold/hold.availability.js";
import { createHoldModule, createSeatInventory, type HoldModule } from "./hold/hold.module.js";
import { createOutboxModule, type OutboxModule } from "./outbox/outbox.module.js";
import type { Config } from "./platform/config.js";
import type { Periodic } from "./platform/periodic.js";
import { createPlatform, type Platform } from "./platform/platform.module.js";
import { createPartnerModule, type PartnerModule } from "./partner/partner.module.js";
import { createPricingModule, type PricingModule } from "./pricing/pricing.module.js";
import { createSearchModule, type SearchModule } from "./search/search.module.js";
import { createTicketModule } from "./ticket/ticket.module.js";
import type { TicketDependencies } from "./ticket/ticket.service.js";
import { createWaitingRoomModule, type WaitingRoomModule } from "./waiting-room/waiting-room.module.js";

export type App = Omit<Platform, "fastPath" | "failpoint" | "close"> &
  Pick<HoldModule, "holds" | "sweeper"> &
  Pick<CheckoutModule, "checkout" | "payments" | "lease" | "reconciler"> &
  Pick<WaitingRoomModule, "waitingRoom" | "queueFanOut" | "scheduler"> &
  Pick<SearchModule, "search" | "trending" | "elastic"> &
  Pick<OutboxModule, "emails"> &
  PricingModule &
  PartnerModule & {
    auth: AuthDependencies;
    tokens: TokenSigner;
    availability: Availability;
    tickets: TicketDependencies;
    /** The mass refund of CANCELLED events (admin.events.refunds.ts), on the reconciler's interval. */
    eventRefunds: Periodic<RefundPass>;
    /** The live sale dashboards (admin.dashboard.live.ts): one shared feed per followed event. */
    dashboards: DashboardModule;
    close(): Promise<void>;
  };

export function createApp(config: Config): App {
  const platform = createPlatform(config);
  const auth = createAuthModule(platform);
  const inventory = createSeatInventory(platform);
  const search = createSearchModule(platform);
  const { pricing, demand } = createPricingModule(platform);
  const room = createWaitingRoomModule(platform, inventory.availability, demand);
  const hold = createHoldModule(platform, inventory, { admission: room.admitsToHold, demand: search.heldDemand, signals: demand });
  const outbox = createOutboxModule(platform);
  const partner = createPartnerModule(platform);
  const checkout = createCheckoutModule(platform, {
    seatChanges: hold.seatChanges,
    admission: room.checkoutAdmission,
    demand: search.soldDemand,
    onOrderConfirmed: outbox.deliverSoon,
  });
  const { logger, db, redis, keys, pubsub } = platform;
  const eventRefunds = startEventRefunds(checkout.checkout, config.reconcileIntervalMs, logger);
  const dashboards = createDashboardModule(platform, room.waitingRoom);
  return {
    config,
    logger,
    db,
    redis,
    keys,
    pubsub,
    auth,
    tokens: auth.tokens,
    availability: inventory.availability,
    demand,
    holds: hold.holds,
    sweeper: hold.sweeper,
    checkout: checkout.checkout,
    payments: checkout.payments,
    lease: checkout.lease,
    reconciler: checkout.reconciler,
    tickets: createTicketModule(platform),
    waitingRoom: room.waitingRoom,
    queueFanOut: room.queueFanOut,
    scheduler: room.scheduler,
    search: search.search,
    trending: search.trending,
    elastic: search.elastic,
    emails: outbox.emails,
    pricing,
    partnerKeys: partner.partnerKeys,
    partnerBudget: partner.partnerBudget,
    partnerSales: partner.partnerSales,
    partnerFans: partner.partnerFans,
    webhooks: partner.webhooks,
    eventRefunds,
    dashboards,
    async close() {
      dashboards.feeds.close();
      await Promise.all([hold.sweeper.stop(), outbox.emails.stop(), room.scheduler.stop(), eventRefunds.stop(), auth.sessions.stop(), partner.partnerSales.stop(), partner.webhooks.worker.stop()]);
      await checkout.close();
      await search.close();
      await demand.close();
      await platform.close();
    },
  };
}
