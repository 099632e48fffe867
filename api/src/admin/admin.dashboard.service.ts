/**
 * The live sale dashboard of one event, for its promoters and admins. Flow:
 * authorize (promoter of the event's organization, or ADMIN) → one snapshot computed from PostgreSQL
 * aggregates (admin.dashboard.db.ts) and the waiting room's Redis state (waiting-room.service.ts
 * `stats`) → the query returns it; the subscription receives it from admin.dashboard.live.ts, which
 * shares one computation among every subscriber of the event in this process.
 */
import type pg from "pg";
import type { Viewer } from "../auth/auth.tokens.js";
import { canManageOrganization } from "../auth/auth.guard.js";
import { fail, ok, type Result } from "../platform/errors.js";
import { isId } from "../platform/graphql.js";
import * as room from "../waiting-room/waiting-room.service.js";
import * as db from "./admin.dashboard.db.js";

/** Minutes of sales shown per minute (the chart's width). */
export const SALES_MINUTES = 60;
/** Minutes ahead shown of holds about to expire. */
export const EXPIRING_MINUTES = 10;
/** Price changes shown per section. */
export const PRICE_CHANGES_PER_SECTION = 30;

export interface DashboardDependencies {
  pool: pg.Pool;
  waitingRoom: room.WaitingRoomDependencies;
}

interface Money {
  amount: number;
  currency: string;
}

export interface DashboardSection {
  sectionId: string;
  name: string;
  kind: "SEATED" | "GENERAL_ADMISSION";
  total: number;
  sold: number;
  held: number;
  blocked: number;
  available: number;
  /** sold / total (0 to 1). */
  sellThrough: number;
  price: Money;
  floor: Money;
  ceiling: Money;
  dynamicPricing: boolean;
  pricingPaused: boolean;
  overridden: boolean;
  priceUpdatedAt: Date;
  lastExplanation: string | null;
  lastReasonCodes: string[];
  lastComputedAt: Date | null;
  priceHistory: { price: Money; previousPrice: Money | null; reason: string; explanation: string; at: Date }[];
}

export interface DashboardSnapshot {
  eventId: string;
  eventName: string;
  venueId: string;
  status: string;
  generatedAt: Date;
  ticketsSold: number;
  orders: number;
  revenue: Money;
  grossRevenue: Money;
  salesPerMinute: { minute: Date; tickets: number; revenue: Money }[];
  sections: DashboardSection[];
  waitingRoom: {
    enabled: boolean;
    waiting: number;
    preQueue: number;
    admitted: number;
    active: number;
    purchased: number;
    admissionRatePerMinute: number;
    soldOut: boolean;
  };
  holdsExpiring: { minutesFromNow: number; holds: number; tickets: number }[];
}

export type DashboardError = "NOT_FOUND" | "FORBIDDEN";

/** The event when the viewer may watch its sale: NOT_FOUND for an unknown id, FORBIDDEN for anyone but its promoters and admins. */
export async function authorize(pool: pg.Pool, viewer: Viewer, eventId: string): Promise<Result<db.DashboardEventRow, DashboardError>> {
  if (!isId(eventId)) return fail("NOT_FOUND", "no such event", "eventId");
  const event = await db.findDashboardEvent(pool, eventId.toLowerCase());
  if (!event) return fail("NOT_FOUND", "no such event", "eventId");
  if (!canManageOrganization(viewer, event.organizationId)) return fail("FORBIDDEN", "not your organization's event");
  return ok(event);
}

const money = (amount: number, currency: string): Money => ({ amount, currency });

/** Computes one snapshot: five aggregate statements on one pooled connection each, and one Redis pipeline, in parallel. */
export async function snapshot(deps: DashboardDependencies, eventId: string): Promise<DashboardSnapshot | null> {
  const event = await db.findDashboardEvent(deps.pool, eventId);
  if (!event) return null;
  const roomEvent = await deps.waitingRoom.events.get(eventId);
  const [totals, perMinute, sections, history, expiring, queue] = await Promise.all([
    db.salesTotals(deps.pool, eventId),
    db.salesPerMinute(deps.pool, eventId, SALES_MINUTES),
    db.sections(deps.pool, eventId),
    db.priceHistory(deps.pool, eventId, PRICE_CHANGES_PER_SECTION),
    db.expiringHolds(deps.pool, eventId, EXPIRING_MINUTES),
    roomEvent ? room.stats(deps.waitingRoom, roomEvent) : null,
  ]);
  const currency = event.currency;
  return {
    eventId: event.id,
    eventName: event.name,
    venueId: event.venueId,
    status: event.status,
    generatedAt: new Date(),
    ticketsSold: totals.ticketsSold,
    orders: totals.orders,
    revenue: money(totals.revenueMinor, currency),
    grossRevenue: money(totals.grossRevenueMinor, currency),
    salesPerMinute: perMinute.map((row) => ({ minute: row.minute, tickets: row.tickets, revenue: money(row.revenueMinor, currency) })),
    sections: sections.map((row) => {
      const available = Math.max(0, row.total - row.sold - row.held - row.blocked);
      return {
        sectionId: row.sectionId,
        name: row.name,
        kind: row.kind,
        total: row.total,
        sold: row.sold,
        held: row.held,
        blocked: row.blocked,
        available,
        sellThrough: row.total > 0 ? row.sold / row.total : 0,
        price: money(row.priceMinor, row.currency),
        floor: money(row.floorMinor, row.currency),
        ceiling: money(row.ceilingMinor, row.currency),
        dynamicPricing: row.dynamicPricing,
        pricingPaused: row.pricingPaused,
        overridden: row.overridden,
        priceUpdatedAt: row.priceUpdatedAt,
        lastExplanation: row.lastExplanation,
        lastReasonCodes: row.lastReasonCodes ?? [],
        lastComputedAt: row.lastComputedAt,
        priceHistory: history
          .filter((change) => change.sectionId === row.sectionId)
          .map((change) => ({
            price: money(change.priceMinor, row.currency),
            previousPrice: change.previousPriceMinor === null ? null : money(change.previousPriceMinor, row.currency),
            reason: change.reason,
            explanation: change.explanation,
            at: change.at,
          })),
      };
    }),
    waitingRoom: {
      enabled: roomEvent?.waitingRoomEnabled ?? false,
      waiting: queue?.waiting ?? 0,
      preQueue: queue?.preQueue ?? 0,
      admitted: queue?.admitted ?? 0,
      active: queue?.active ?? 0,
      purchased: queue?.purchased ?? 0,
      admissionRatePerMinute: queue?.admissionRatePerMinute ?? 0,
      soldOut: queue?.soldOut ?? false,
    },
    holdsExpiring: expiring,
  };
}
