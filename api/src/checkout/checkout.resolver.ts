import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { canManageOrganization, signedIn } from "../auth/auth.guard.js";
import type { Viewer } from "../auth/auth.tokens.js";
import { toEvent } from "../catalogue/catalogue.resolver.js";
import { Event } from "../catalogue/catalogue.types.js";
import type { Context } from "../request-context.js";
import { toFeeLine, toLines } from "../hold/hold.resolver.js";
import { HoldLine } from "../hold/hold.types.js";
import { ApiError, type DomainError } from "../platform/errors.js";
import { decodeCursor, encodeCursor, isId, Money, UserError, validatePageSize } from "../platform/graphql.js";
import { toTicket } from "../ticket/ticket.resolver.js";
import { Ticket } from "../ticket/ticket.types.js";
import type { OrderRow } from "./checkout.db.js";
import * as db from "./checkout.db.js";
import * as checkout from "./checkout.service.js";
import { CancelOrderPayload, CheckoutInput, CheckoutPayload, FeeLine, Order, OrderConnection } from "./checkout.types.js";

class OrderNode extends Order {
  row!: OrderRow;
}

function toOrder(row: OrderRow): OrderNode {
  return Object.assign(new OrderNode(), {
    id: row.id,
    status: row.status,
    subtotal: Money.of(row.subtotalMinor, row.currency),
    total: Money.of(row.totalMinor, row.currency),
    createdAt: row.createdAt,
    row,
  });
}

/** The owner, a promoter of the event's organization, or an admin. */
function maySee(viewer: Viewer, order: OrderRow): boolean {
  return order.userId === viewer.id || canManageOrganization(viewer, order.organizationId);
}

async function loadOrder(ctx: Context, id: string): Promise<OrderRow> {
  const row = await ctx.loaders.orderById.load(id);
  if (!row) throw new Error(`order ${id} is missing`);
  return row;
}

const failed = (error: DomainError) => ({ order: null, errors: [UserError.from(error)] });

@Resolver(() => Order)
export class OrderResolver {
  @Authorized()
  @Mutation(() => CheckoutPayload, { description: "Pay for a hold at its locked prices. Same idempotencyKey => same order, charged once." })
  async checkout(@Arg("input", () => CheckoutInput, { description: "Hold, key and payment token." }) input: CheckoutInput, @Ctx() ctx: Context): Promise<CheckoutPayload> {
    const result = await checkout.checkout(ctx.app.checkout, ctx.viewer!.id, input);
    if (!result.ok) return Object.assign(new CheckoutPayload(), failed(result.error));
    return Object.assign(new CheckoutPayload(), { order: toOrder(await loadOrder(ctx, result.value)), errors: [] });
  }

  @Authorized()
  @Mutation(() => CancelOrderPayload, { description: "Cancel a paid order before the event starts: tickets void, seats back on sale, a full refund." })
  async cancelOrder(@Arg("orderId", () => ID, { description: "The order." }) orderId: string, @Ctx() ctx: Context): Promise<CancelOrderPayload> {
    if (!isId(orderId)) return Object.assign(new CancelOrderPayload(), failed({ code: "VALIDATION", message: "orderId is not a valid id", field: "orderId" }));
    const order = await ctx.loaders.orderById.load(orderId);
    if (!order || !maySee(ctx.viewer!, order)) return Object.assign(new CancelOrderPayload(), failed({ code: "NOT_FOUND", message: "no such order", field: "orderId" }));
    const result = await checkout.cancelOrder(ctx.app.checkout, orderId);
    if (!result.ok) return Object.assign(new CancelOrderPayload(), failed(result.error));
    ctx.loaders.orderById.clear(orderId);
    ctx.loaders.ticketsByOrderId.clear(orderId);
    return Object.assign(new CancelOrderPayload(), { order: toOrder(await loadOrder(ctx, orderId)), errors: [] });
  }

  @Authorized()
  @Query(() => OrderConnection, { description: "Orders of the signed-in user, newest first." })
  async myOrders(
    @Arg("first", () => Int, { nullable: true, defaultValue: 20, description: "Page size, 1 to 100." }) first: number,
    @Arg("after", () => String, { nullable: true, description: "endCursor of the previous page." }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<OrderConnection> {
    const limit = validatePageSize(first);
    let position: { createdAt: Date; id: string } | null = null;
    if (after) {
      const [createdAt, id] = decodeCursor(after, ["string", "string"]) as [string, string];
      if (!isId(id) || Number.isNaN(Date.parse(createdAt))) throw new ApiError("VALIDATION", "after is not a cursor returned by this API", "after");
      position = { createdAt: new Date(createdAt), id };
    }
    const userId = ctx.viewer!.id;
    const rows = await db.findOrdersOfUser(ctx.app.db.pool, userId, limit + 1, position);
    for (const row of rows) ctx.loaders.orderById.prime(row.id, row);
    return OrderConnection.from({
      items: rows.slice(0, limit).map((row) => ({ cursor: encodeCursor([row.createdAt.toISOString(), row.id]), node: toOrder(row) })),
      hasNextPage: rows.length > limit,
      countTotal: () => db.countOrdersOfUser(ctx.app.db.pool, userId),
    });
  }

  // Not @Authorized(): a partner key with orders:read reads orders without acting for a fan.
  @Query(() => Order, {
    nullable: true,
    description:
      "An order: visible to its owner, the event's promoters and admins, and an API key with orders:read of the event's " +
      "organization (whose ticket barcodes stay the holder's: FORBIDDEN there). Null for any other order.",
  })
  async order(@Arg("id", () => ID, { description: "Order id." }) id: string, @Ctx() ctx: Context): Promise<Order | null> {
    const partnerReads = ctx.partner?.scopes.includes("orders:read") ?? false;
    if (!partnerReads) signedIn(ctx);
    if (!isId(id)) throw new ApiError("VALIDATION", "id is not a valid id", "id");
    const row = await ctx.loaders.orderById.load(id);
    if (!row) return null;
    const visible = (ctx.viewer !== null && maySee(ctx.viewer, row)) || (partnerReads && ctx.partner!.organizationId === row.organizationId);
    return visible ? toOrder(row) : null;
  }

  @FieldResolver(() => Event, { description: "The event." })
  async event(@Root() order: OrderNode, @Ctx() ctx: Context): Promise<Event> {
    const row = await ctx.loaders.eventById.load(order.row.eventId);
    if (!row) throw new Error(`event ${order.row.eventId} of order ${order.id} is missing`);
    return toEvent(row);
  }

  @FieldResolver(() => [HoldLine], { description: "One line per ticket, at the price locked by the hold." })
  async lines(@Root() order: OrderNode, @Ctx() ctx: Context): Promise<HoldLine[]> {
    return toLines(ctx, order.row.eventId, await ctx.loaders.orderLinesByOrderId.load(order.id));
  }

  @FieldResolver(() => [FeeLine], { description: "Service fee, facility fee, ... as charged." })
  async fees(@Root() order: OrderNode, @Ctx() ctx: Context): Promise<FeeLine[]> {
    return (await ctx.loaders.orderFeesByOrderId.load(order.id)).map((fee) => toFeeLine(fee, fee.currency));
  }

  @FieldResolver(() => [Ticket], { description: "One ticket per line." })
  async tickets(@Root() order: OrderNode, @Ctx() ctx: Context): Promise<Ticket[]> {
    return (await ctx.loaders.ticketsByOrderId.load(order.id)).map(toTicket);
  }
}
