/**
 * The payment gateway seen by checkout: charge, look up, refund and void, all idempotent by our own
 * payment intent id, so a retried or reconciled call can never charge or refund twice. Two
 * implementations: the built-in test gateway (development and tests) and Stripe.
 */
export interface ChargeRequest {
  /** Our payment intent id: the gateway's idempotency key. */
  intentId: string;
  amountMinor: number;
  currency: string;
  paymentToken: string;
  description: string;
  /** Called with the gateway's id of the payment as soon as it exists, before it is confirmed, so a
   * crash or timeout after this point can be settled by looking the payment up directly. */
  onReference?: (reference: string) => Promise<void>;
}

export type ChargeResult =
  | { status: "succeeded"; reference: string }
  | { status: "declined"; code: string; message: string }
  /** The token is not one the gateway knows: bad input, not a decline. */
  | { status: "invalid_token"; message: string };

/** What the gateway knows about a charge made (or not) under our intent id. */
export type ChargeLookup =
  | { status: "succeeded"; reference: string }
  | { status: "refunded"; reference: string }
  /** The gateway is still deciding (e.g. Stripe's "processing"): ask again later. */
  | { status: "pending" }
  | { status: "none" };

export interface RefundRequest {
  /** Our refund id (or `intent:<id>` for a refund of a payment that never became an order): the idempotency key. */
  refundKey: string;
  reference: string;
  amountMinor: number;
}

export interface PaymentGateway {
  readonly name: string;
  charge(request: ChargeRequest, signal?: AbortSignal): Promise<ChargeResult>;
  /** `reference` is the gateway's id when onReference recorded one. */
  lookup(intentId: string, reference: string | null): Promise<ChargeLookup>;
  refund(request: RefundRequest): Promise<{ reference: string }>;
  /** Makes sure no charge can succeed under this intent id from now on (a late request is refused). */
  void(intentId: string, reference: string | null): Promise<void>;
}
