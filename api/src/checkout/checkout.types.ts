import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { Event } from "../catalogue/catalogue.types.js";
import { HoldLine } from "../hold/hold.types.js";
import { connectionTypes, enumOf, Money, UserError } from "../platform/graphql.js";
import { Ticket } from "../ticket/ticket.types.js";

export type OrderStatus = "PENDING" | "CONFIRMED" | "CANCELLED" | "REFUNDED";
export const OrderStatusEnum = enumOf<OrderStatus>(["PENDING", "CONFIRMED", "CANCELLED", "REFUNDED"]);
registerEnumType(OrderStatusEnum, {
  name: "OrderStatus",
  description: "CONFIRMED once paid; CANCELLED while its refund is on the way; REFUNDED when the gateway confirmed it.",
});

@InputType({ description: "Pay for a hold at its locked prices." })
export class CheckoutInput {
  @Field(() => ID, { description: "The hold to pay for." })
  holdId!: string;

  @Field(() => String, { description: "Client-generated; retries with the same key return the same order." })
  idempotencyKey!: string;

  @Field(() => String, {
    description: "Payment method token from the payment gateway (test gateway: 'tok_visa' succeeds, 'tok_chargeDeclined' is declined).",
  })
  paymentToken!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Waiting-room events: the admission token the hold was placed with (it may have expired since); when given it must be yours and the purchase frees your shopper slot at once. Optional: a live hold was placed while admitted, so it can be paid until it expires.",
  })
  admissionToken?: string | null;
}

@ObjectType({ description: "A fee added to the subtotal, shown before the fan commits." })
export class FeeLine {
  @Field(() => String, { description: "SERVICE (a percentage of the subtotal) or FACILITY (per ticket)." })
  kind!: string;

  @Field(() => Money, { description: "Amount of this fee." })
  amount!: Money;
}

@ObjectType({ description: "A paid purchase: its lines at the locked prices, fees, total and tickets." })
export class Order {
  @Field(() => ID, { description: "Stable id." })
  id!: string;

  @Field(() => OrderStatusEnum, { description: "Where the order stands." })
  status!: OrderStatus;

  @Field(() => Event, { description: "The event." })
  event!: Event;

  @Field(() => [HoldLine], { description: "One line per ticket, at the price locked by the hold." })
  lines!: HoldLine[];

  @Field(() => Money, { description: "Sum of the lines." })
  subtotal!: Money;

  @Field(() => [FeeLine], { description: "Service fee, facility fee, ... shown before the fan commits." })
  fees!: FeeLine[];

  @Field(() => Money, { description: "What was charged: subtotal plus fees." })
  total!: Money;

  @Field(() => [Ticket], { description: "One ticket per line." })
  tickets!: Ticket[];

  @Field(() => Date, { description: "When it was paid." })
  createdAt!: Date;
}

export const { Connection: OrderConnection } = connectionTypes(Order, "Order");
export type OrderConnection = InstanceType<typeof OrderConnection>;

@ObjectType({ description: "Result of checkout. Errors: VALIDATION, NOT_FOUND, HOLD_EXPIRED, PAYMENT_DECLINED, PAYMENT_UNAVAILABLE." })
export class CheckoutPayload {
  @Field(() => Order, { nullable: true, description: "The order, when paid (also on a retry with the same key)." })
  order?: Order | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}

@ObjectType({ description: "Result of cancelOrder. Errors: VALIDATION, NOT_FOUND." })
export class CancelOrderPayload {
  @Field(() => Order, { nullable: true, description: "The cancelled order (REFUNDED once the gateway confirmed the refund)." })
  order?: Order | null;

  @Field(() => [UserError], { description: "Empty on success." })
  errors!: UserError[];
}
