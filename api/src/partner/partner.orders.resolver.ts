import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import { toAdminOrder } from "../admin/admin.orders.resolver.js";
import { OrderStatusEnum, type OrderStatus } from "../checkout/checkout.types.js";
import type { Context } from "../request-context.js";
import { ApiError } from "../platform/errors.js";
import { decodeCursor, encodeCursor, isId, validatePageSize } from "../platform/graphql.js";
import * as db from "./partner.orders.db.js";
import { PartnerOrderConnection } from "./partner.orders.types.js";

const ERRORS = "Errors: VALIDATION. API keys with orders:read only: anyone else gets FORBIDDEN (anonymous: UNAUTHENTICATED) as a GraphQL error.";

@Resolver()
export class PartnerOrderResolver {
  // No @Authorized: a key is no viewer. The key's scopes were checked before this ran (partner.gate.ts).
  @Query(() => PartnerOrderConnection, {
    description:
      "Orders of the events of the key's organization, in the order they last changed (oldest change first), with their buyer, " +
      "event, totals and tickets (no barcodes: those go to the ticket holder). To follow changes, pass the updatedAt of the " +
      "last order seen as updatedSince, or keep the last endCursor; an order that changes again comes again. " +
      ERRORS,
  })
  async partnerOrders(
    @Arg("first", () => Int, { nullable: true, defaultValue: 20, description: "Page size, 1 to 100." }) first: number,
    @Arg("after", () => String, { nullable: true, description: "endCursor of the previous page." }) after: string | null,
    @Arg("eventId", () => ID, { nullable: true, description: "Only this event's orders." }) eventId: string | null,
    @Arg("status", () => OrderStatusEnum, { nullable: true, description: "Only orders in this status." }) status: OrderStatus | null,
    @Arg("updatedSince", () => Date, { nullable: true, description: "Only orders that changed at or after this time." }) updatedSince: Date | null,
    @Ctx() ctx: Context,
  ): Promise<PartnerOrderConnection> {
    const partner = ctx.partner;
    if (!partner) {
      if (!ctx.viewer) throw new ApiError("UNAUTHENTICATED", "partnerOrders is for partner API keys with the orders:read scope");
      throw new ApiError("FORBIDDEN", "partnerOrders is for partner API keys with the orders:read scope (the console reads adminOrders)");
    }
    const limit = validatePageSize(first);
    if (eventId != null && !isId(eventId)) throw new ApiError("VALIDATION", "eventId is not a valid id", "eventId");
    let position: { updatedAt: Date; id: string } | null = null;
    if (after) {
      const [updatedAt, id] = decodeCursor(after, ["string", "string"]) as [string, string];
      if (!isId(id) || Number.isNaN(Date.parse(updatedAt))) throw new ApiError("VALIDATION", "after is not a cursor returned by this API", "after");
      position = { updatedAt: new Date(updatedAt), id };
    }
    // (type-graphql passes an argument left out as undefined)
    const filter = { organizationId: partner.organizationId, eventId: eventId?.toLowerCase() ?? null, status: status ?? null, updatedSince: updatedSince ?? null };
    const rows = await db.listPartnerOrders(ctx.app.db.pool, { ...filter, after: position, limit: limit + 1 });
    return PartnerOrderConnection.from({
      items: rows.slice(0, limit).map((row) => ({ cursor: encodeCursor([row.updatedAt.toISOString(), row.id]), node: toAdminOrder(row) })),
      hasNextPage: rows.length > limit,
      countTotal: () => db.countPartnerOrders(ctx.app.db.pool, filter),
    });
  }
}
