import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { OrderStatusEnum, type OrderStatus } from "../checkout/checkout.types.js";
import { enumOf, Money, UserError } from "../platform/graphql.js";
import { EXPORT_KINDS, type ExportKind } from "./admin.orders.exports.js";

const ADMIN_ERRORS = "(UNAUTHENTICATED without a token and FORBIDDEN for a fan come as GraphQL errors.)";
export const ORDER_MUTATION_ERRORS = `Errors: VALIDATION, NOT_FOUND, FORBIDDEN (another organization's order). ${ADMIN_ERRORS}`;

export const ExportKindEnum = enumOf(EXPORT_KINDS);
registerEnumType(ExportKindEnum, { name: "ExportKind", description: "ORDERS: one CSV row per order. ATTENDEES: one CSV row per ticket." });

export const TicketAdminStatusEnum = enumOf(["VALID", "SCANNED", "VOID"] as const);
registerEnumType(TicketAdminStatusEnum, { name: "AdminTicketStatus", description: "VALID (admits), SCANNED (used at the door), VOID (refunded or cancelled)." });

export const PaymentStatusEnum = enumOf(["CREATED", "SUCCEEDED", "FAILED", "REFUNDED"] as const);
registerEnumType(PaymentStatusEnum, {
  name: "AdminPaymentStatus",
  description: "CREATED (being charged), SUCCEEDED (paid), FAILED (never charged), REFUNDED (paid back, confirmed by the gateway).",
});

@ObjectType({ description: "The event an order is for." })
export class AdminOrderEvent {
  @Field(() => ID, { description: "Event id." })
  id!: string;

  @Field(() => String, { description: "Event name." })
  name!: string;

  @Field(() => Date, { description: "When the event starts." })
  startsAt!: Date;

  @Field(() => String, { description: "The venue's IANA time zone: the event's times as the venue reads them." })
  timezone!: string;
}

@ObjectType({ description: "The fan who bought an order." })
export class AdminOrderBuyer {
  @Field(() => ID, { description: "User id." })
  id!: string;

  @Field(() => String, { description: "Email (lower-case)." })
  email!: string;

  @Field(() => String, { description: "Display name." })
  name!: string;
}

@ObjectType({ description: "A ticket of an order as the console shows it." })
export class AdminOrderTicket {
  @Field(() => ID, { description: "Ticket id." })
  id!: string;

  @Field(() => TicketAdminStatusEnum, { description: "Whether it admits, was used or was voided." })
  status!: "VALID" | "SCANNED" | "VOID";

  @Field(() => ID, { description: "Section id." })
  sectionId!: string;

  @Field(() => String, { description: "Section name." })
  section!: string;

  @Field(() => ID, { nullable: true, description: "Seat id; null in general admission." })
  seatId?: string | null;

  @Field(() => String, { nullable: true, description: "Row label; null in general admission." })
  row?: string | null;

  @Field(() => Int, { nullable: true, description: "Seat number in its row; null in general admission." })
  seatNumber?: number | null;

  @Field(() => Money, { description: "The price its order line locked." })
  price!: Money;

  @Field(() => Date, { nullable: true, description: "When it was scanned at the door." })
  scannedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: "When it was voided." })
  voidedAt?: Date | null;
}

@ObjectType({ description: "A refund of a payment." })
export class AdminRefund {
  @Field(() => ID, { description: "Refund id (the gateway's idempotency key)." })
  id!: string;

  @Field(() => Money, { description: "Amount refunded." })
  amount!: Money;

  @Field(() => String, { description: "Why: CANCELLED (an order cancelled by the fan, a promoter or the event's cancellation) or a checkout's own reason." })
  reason!: string;

  @Field(() => String, { nullable: true, description: "The gateway's id of the refund; null until the gateway confirmed it (the reconciler retries)." })
  reference?: string | null;

  @Field(() => Boolean, { description: "Whether the gateway confirmed it." })
  confirmed!: boolean;

  @Field(() => Date, { description: "When it was recorded." })
  createdAt!: Date;
}

@ObjectType({ description: "A payment of an order at the payment gateway, with its refunds." })
export class AdminPayment {
  @Field(() => ID, { description: "Payment intent id (the gateway's idempotency key)." })
  id!: string;

  @Field(() => String, { description: "Payment provider: stripe, or test (the built-in test gateway)." })
  provider!: string;

  @Field(() => String, { nullable: true, description: "The provider's id of the charge." })
  reference?: string | null;

  @Field(() => PaymentStatusEnum, { description: "Where the payment stands." })
  status!: "CREATED" | "SUCCEEDED" | "FAILED" | "REFUNDED";

  @Field(() => Money, { description: "Amount charged." })
  amount!: Money;

  @Field(() => [AdminRefund], { description: "Its refunds (at most one today: refunds are of the whole order)." })
  refunds!: AdminRefund[];

  @Field(() => Date, { description: "When the payment started." })
  createdAt!: Date;
}

@ObjectType({ description: "An order as the admin console shows it: buyer, event, amounts; tickets and payments on the show page." })
export class AdminOrder {
  @Field(() => ID, { description: "Order id." })
  id!: string;

  @Field(() => OrderStatusEnum, { description: "Where the order stands." })
  status!: OrderStatus;

  @Field(() => AdminOrderEvent, { description: "The event." })
  event!: AdminOrderEvent;

  @Field(() => ID, { description: "The organization of the event." })
  organizationId!: string;

  @Field(() => AdminOrderBuyer, { description: "Who bought it." })
  buyer!: AdminOrderBuyer;

  @Field(() => Money, { description: "Sum of the tickets' prices." })
  subtotal!: Money;

  @Field(() => Money, { description: "Fees." })
  fees!: Money;

  @Field(() => Money, { description: "What was charged." })
  total!: Money;

  @Field(() => Int, { description: "Number of tickets (void ones included)." })
  ticketCount!: number;

  @Field(() => Date, { description: "When it was paid." })
  createdAt!: Date;

  @Field(() => Date, { description: "When it last changed (paid, cancelled, refunded)." })
  updatedAt!: Date;

  @Field(() => Date, { nullable: true, description: "When it was cancelled." })
  cancelledAt?: Date | null;
}

@ObjectType({ description: "One page of admin orders with the total over all pages." })
export class AdminOrderPage {
  @Field(() => [AdminOrder], { description: "The orders of this page." })
  items!: AdminOrder[];

  @Field(() => Int, { description: "Orders matching the filter over all pages." })
  total!: number;
}

@InputType({ description: "Narrows the admin order list; all given filters must match." })
export class AdminOrderFilter {
  @Field(() => String, { nullable: true, description: "The buyer's email, exactly (case-insensitive)." })
  email?: string | null;

  @Field(() => ID, { nullable: true, description: "This order." })
  orderId?: string | null;

  @Field(() => ID, { nullable: true, description: "The order of this ticket." })
  ticketId?: string | null;

  @Field(() => ID, { nullable: true, description: "Orders of this event." })
  eventId?: string | null;

  @Field(() => OrderStatusEnum, { nullable: true, description: "Orders in this status." })
  status?: OrderStatus | null;

  @Field(() => Date, { nullable: true, description: "Paid at or after this time." })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "Paid before this time." })
  to?: Date | null;

  @Field(() => [ID], { nullable: true, description: "Only these orders (at most 100; react-admin's getMany)." })
  ids?: string[] | null;
}

@InputType({ description: "Refund and cancel a paid order." })
export class RefundOrderInput {
  @Field(() => ID, { description: "The order." })
  id!: string;

  @Field(() => String, { description: "Why (1 to 500 characters); kept in the audit log." })
  reason!: string;
}

@ObjectType({ description: "Result of an admin order mutation." })
export class AdminOrderPayload {
  @Field(() => AdminOrder, { nullable: true, description: "The order after the change; null on error." })
  order?: AdminOrder | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@InputType({ description: "Which export of which event." })
export class EventExportLinkInput {
  @Field(() => ID, { description: "The event." })
  eventId!: string;

  @Field(() => ExportKindEnum, { description: "Orders or attendees." })
  kind!: ExportKind;
}

@ObjectType({ description: "A short-lived download link of one CSV export." })
export class EventExportLinkPayload {
  @Field(() => String, {
    nullable: true,
    description: "Path on the API's origin to GET the CSV from (no Authorization header needed: the link carries a download token for this export only).",
  })
  url?: string | null;

  @Field(() => Date, { nullable: true, description: "When the link stops working." })
  expiresAt?: Date | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}
