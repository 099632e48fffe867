import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../request-context.js";
import { ApiError, type Result } from "../platform/errors.js";
import { Money, UserError } from "../platform/graphql.js";
import type { AdminOrderRow } from "./admin.orders.db.js";
import { createExportLink, exportTokensOf } from "./admin.orders.exports.js";
import * as orders from "./admin.orders.service.js";
import {
  AdminOrder,
  AdminOrderBuyer,
  AdminOrderEvent,
  AdminOrderFilter,
  AdminOrderPage,
  AdminOrderPayload,
  AdminOrderTicket,
  AdminPayment,
  AdminRefund,
  EventExportLinkInput,
  EventExportLinkPayload,
  ORDER_MUTATION_ERRORS,
  RefundOrderInput,
} from "./admin.orders.types.js";
import { AdminPageArgs } from "./admin.types.js";

export function toAdminOrder(row: AdminOrderRow): AdminOrder {
  return Object.assign(new AdminOrder(), {
    id: row.id,
    status: row.status,
    organizationId: row.organizationId,
    event: Object.assign(new AdminOrderEvent(), { id: row.eventId, name: row.eventName, startsAt: row.eventStartsAt, timezone: row.eventTimezone }),
    buyer: Object.assign(new AdminOrderBuyer(), { id: row.buyerId, email: row.buyerEmail, name: row.buyerName }),
    subtotal: Money.of(row.subtotalMinor, row.currency),
    fees: Money.of(row.feesMinor, row.currency),
    total: Money.of(row.totalMinor, row.currency),
    ticketCount: row.ticketCount,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    cancelledAt: row.cancelledAt,
  });
}

const dependencies = (ctx: Context): orders.AdminOrderDependencies => ({
  checkout: ctx.app.checkout,
  deliverEmailsSoon: () => {
    if (ctx.app.config.outboxPollIntervalMs > 0) ctx.app.emails.run().catch((error: unknown) => ctx.app.logger.warn({ err: error }, "email delivery failed"));
  },
});

/** The payload of an order mutation: the order read afresh after the commit, or the error. */
async function orderPayload(ctx: Context, result: Result<string, orders.AdminOrderError>): Promise<AdminOrderPayload> {
  if (!result.ok) return Object.assign(new AdminOrderPayload(), { order: null, errors: [UserError.from(result.error)] });
  ctx.loaders.adminTicketsByOrderId.clear(result.value);
  ctx.loaders.adminPaymentsByOrderId.clear(result.value);
  const row = await orders.findOrder(ctx.app.db.pool, ctx.viewer!, result.value);
  if (!row) throw new Error(`order ${result.value} is missing after its change`);
  return Object.assign(new AdminOrderPayload(), { order: toAdminOrder(row), errors: [] });
}

@Resolver(() => AdminOrder)
export class AdminOrderResolver {
  @Authorized("PROMOTER")
  @Query(() => AdminOrderPage, {
    description:
      "Orders of the events the viewer manages (a promoter: its organization's; an admin: all), one page at a time. " +
      "sortField: createdAt (default), total, status. Errors: VALIDATION, UNAUTHENTICATED, FORBIDDEN (a fan).",
  })
  async adminOrders(
    @Args(() => AdminPageArgs) args: AdminPageArgs,
    @Arg("filter", () => AdminOrderFilter, { nullable: true, description: "Narrow the list." }) filter: AdminOrderFilter | null,
    @Ctx() ctx: Context,
  ): Promise<AdminOrderPage> {
    const result = await orders.listOrders(ctx.app.db.pool, ctx.viewer!, { ...args, filter });
    if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.field);
    return Object.assign(new AdminOrderPage(), { items: result.value.rows.map(toAdminOrder), total: result.value.total });
  }

  @Authorized("PROMOTER")
  @Query(() => AdminOrder, {
    nullable: true,
    description: "One order the viewer manages; null when it does not exist or belongs to another organization. Errors: UNAUTHENTICATED, FORBIDDEN (a fan).",
  })
  async adminOrder(@Arg("id", () => ID, { description: "Order id." }) id: string, @Ctx() ctx: Context): Promise<AdminOrder | null> {
    const row = await orders.findOrder(ctx.app.db.pool, ctx.viewer!, id);
    return row ? toAdminOrder(row) : null;
  }

  @FieldResolver(() => [AdminOrderTicket], { description: "The order's tickets with their place, price and status." })
  async tickets(@Root() order: AdminOrder, @Ctx() ctx: Context): Promise<AdminOrderTicket[]> {
    return (await ctx.loaders.adminTicketsByOrderId.load(order.id)).map((row) =>
      Object.assign(new AdminOrderTicket(), {
        id: row.id,
        status: row.status,
        sectionId: row.sectionId,
        section: row.sectionName,
        seatId: row.seatId,
        row: row.rowLabel,
        seatNumber: row.seatNumber,
        price: Money.of(row.priceMinor, row.currency),
        scannedAt: row.scannedAt,
        voidedAt: row.voidedAt,
      }),
    );
  }

  @FieldResolver(() => [AdminPayment], { description: "The order's payments at the gateway, each with its refunds." })
  async payments(@Root() order: AdminOrder, @Ctx() ctx: Context): Promise<AdminPayment[]> {
    return (await ctx.loaders.adminPaymentsByOrderId.load(order.id)).map((row) =>
      Object.assign(new AdminPayment(), {
        id: row.id,
        provider: row.provider,
        reference: row.reference,
        status: row.status,
        amount: Money.of(row.amountMinor, row.currency),
        createdAt: row.createdAt,
        refunds: row.refunds.map((refund) =>
          Object.assign(new AdminRefund(), {
            id: refund.id,
            amount: Money.of(refund.amountMinor, refund.currency),
            reason: refund.reason,
            reference: refund.reference,
            confirmed: refund.reference !== null,
            createdAt: new Date(refund.createdAt),
          }),
        ),
      }),
    );
  }

  @Authorized("PROMOTER")
  @Mutation(() => AdminOrderPayload, {
    description:
      "Refund and cancel a paid order, as the fan's own cancellation does: its tickets VOID, its seats on sale again, the payment " +
      "refunded at the gateway (the order is CANCELLED until the gateway confirms, then REFUNDED). Idempotent: an order already " +
      "cancelled or refunded answers as it is, with no second refund. Not refundable (VALIDATION, nothing changed): an order never " +
      "paid, an event that has started, a ticket already scanned. " +
      ORDER_MUTATION_ERRORS,
  })
  async adminRefundOrder(@Arg("input", () => RefundOrderInput, { description: "The order and why." }) input: RefundOrderInput, @Ctx() ctx: Context): Promise<AdminOrderPayload> {
    return orderPayload(ctx, await orders.refundOrder(dependencies(ctx), ctx.viewer!, input));
  }

  @Authorized("PROMOTER")
  @Mutation(() => AdminOrderPayload, {
    description:
      "Send the order's confirmation email (with its tickets) to the buyer again, through the outbox. Only a CONFIRMED order " +
      "(VALIDATION otherwise). " +
      ORDER_MUTATION_ERRORS,
  })
  async resendOrderConfirmation(@Arg("id", () => ID, { description: "Order id." }) id: string, @Ctx() ctx: Context): Promise<AdminOrderPayload> {
    return orderPayload(ctx, await orders.resendConfirmation(dependencies(ctx), ctx.viewer!, id));
  }

  @Authorized("PROMOTER")
  @Mutation(() => EventExportLinkPayload, {
    description:
      "A download link (valid 5 minutes, for this one export of this one event) of the event's orders or attendees as CSV, " +
      "streamed by GET on the API's origin. Errors: VALIDATION, NOT_FOUND, FORBIDDEN (another organization's event). " +
      "(UNAUTHENTICATED without a token and FORBIDDEN for a fan come as GraphQL errors.)",
  })
  async createEventExportLink(
    @Arg("input", () => EventExportLinkInput, { description: "The event and the export." }) input: EventExportLinkInput,
    @Ctx() ctx: Context,
  ): Promise<EventExportLinkPayload> {
    const result = await createExportLink({ pool: ctx.app.db.pool, tokens: exportTokensOf(ctx.app.config.authTokenSecret) }, ctx.viewer!, input);
    if (!result.ok) return Object.assign(new EventExportLinkPayload(), { url: null, expiresAt: null, errors: [UserError.from(result.error)] });
    return Object.assign(new EventExportLinkPayload(), { ...result.value, errors: [] });
  }
}
