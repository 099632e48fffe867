/**
 * Stripe adapter (used when STRIPE_SECRET_KEY is set): one confirmed PaymentIntent per checkout,
 * created with our payment intent id as Stripe's idempotency key and in its metadata, so a retry never
 * charges twice and the reconciler can find a charge whose answer a crashed process never saw. The
 * webhook endpoint verifies Stripe's signature and hands settled payments to the reconciler.
 *
 * Card errors are declines; unknown or malformed payment methods are bad input; every other failure
 * (network, 5xx, rate limit) throws, which the circuit breaker counts.
 */
import Stripe from "stripe";
import type { ChargeLookup, ChargeRequest, ChargeResult, PaymentGateway, RefundRequest } from "./payment.gateway.js";

export interface StripeOptions {
  secretKey: string;
  timeoutMs: number;
  /** For tests against a local stand-in of the Stripe API. */
  host?: string;
  port?: number;
  protocol?: "http" | "https";
}

export function createStripeClient(options: StripeOptions): Stripe {
  return new Stripe(options.secretKey, {
    timeout: options.timeoutMs,
    // No silent retries: a retry that lands after our timeout could charge behind our back. Every
    // call is idempotent, so our own settlement retries instead.
    maxNetworkRetries: 0,
    appInfo: { name: "boxoffice" },
    ...(options.host ? { host: options.host, port: options.port, protocol: options.protocol ?? "https" } : {}),
  });
}

export function createStripeGateway(stripe: Stripe): PaymentGateway {
  const find = async (intentId: string, reference: string | null): Promise<Stripe.PaymentIntent | null> => {
    if (reference) return stripe.paymentIntents.retrieve(reference);
    // Without a reference the payment was never created, or its creation's answer was lost; search
    // is eventually consistent, which is why the reconciler waits PAYMENT_SETTLE_AFTER_MS first.
    const found = await stripe.paymentIntents.search({ query: `metadata['intentId']:'${intentId}'`, limit: 1 });
    return found.data[0] ?? null;
  };

  return {
    name: "stripe",
    async charge(request: ChargeRequest): Promise<ChargeResult> {
      try {
        const paymentMethod = request.paymentToken.startsWith("tok_")
          ? (await stripe.paymentMethods.create({ type: "card", card: { token: request.paymentToken } }, { idempotencyKey: `method:${request.intentId}` })).id
          : request.paymentToken;
        // Created unconfirmed first, so its id is on record before any money can move.
        const created = await stripe.paymentIntents.create(
          {
            amount: request.amountMinor,
            currency: request.currency.toLowerCase(),
            payment_method: paymentMethod,
            automatic_payment_methods: { enabled: true, allow_redirects: "never" },
            description: request.description,
            metadata: { intentId: request.intentId },
          },
          { idempotencyKey: `create:${request.intentId}` },
        );
        await request.onReference?.(created.id);
        const intent = await stripe.paymentIntents.confirm(created.id, { error_on_requires_action: true }, { idempotencyKey: `confirm:${request.intentId}` });
        if (intent.status === "succeeded") return { status: "succeeded", reference: intent.id };
        // "processing" may still succeed: not an answer yet (the checkout settles it from the lookup).
        throw new Error(`Stripe payment ${intent.id} is ${intent.status}`);
      } catch (error) {
        if (error instanceof Stripe.errors.StripeCardError) {
          return { status: "declined", code: error.decline_code ?? error.code ?? "card_declined", message: error.message };
        }
        if (error instanceof Stripe.errors.StripeInvalidRequestError && /payment_method|token|card/.test(error.param ?? "")) {
          return { status: "invalid_token", message: error.message };
        }
        throw error;
      }
    },

    async lookup(intentId: string, reference: string | null): Promise<ChargeLookup> {
      const intent = await find(intentId, reference);
      if (!intent) return { status: "none" };
      if (intent.status === "processing") return { status: "pending" };
      if (intent.status !== "succeeded") return { status: "none" };
      const charge = typeof intent.latest_charge === "string" ? await stripe.charges.retrieve(intent.latest_charge) : intent.latest_charge;
      return charge?.refunded ? { status: "refunded", reference: intent.id } : { status: "succeeded", reference: intent.id };
    },

    async refund(request: RefundRequest): Promise<{ reference: string }> {
      const refund = await stripe.refunds.create(
        { payment_intent: request.reference, amount: request.amountMinor },
        { idempotencyKey: `refund:${request.refundKey}` },
      );
      return { reference: refund.id };
    },

    async void(intentId: string, reference: string | null): Promise<void> {
      const intent = await find(intentId, reference);
      if (intent && intent.status !== "succeeded" && intent.status !== "canceled" && intent.status !== "processing") {
        await stripe.paymentIntents.cancel(intent.id);
      }
    },
  };
}

/** Verifies a webhook delivery; null when the signature, timestamp or payload is not valid. */
export function verifyStripeWebhook(stripe: Stripe, rawBody: Buffer, signature: string | undefined, secret: string): Stripe.Event | null {
  if (!signature) return null;
  try {
    return stripe.webhooks.constructEvent(rawBody, signature, secret);
  } catch {
    return null;
  }
}

/** A succeeded PaymentIntent of ours: our intent id and Stripe's reference. */
export function succeededPayment(event: Stripe.Event): { intentId: string; reference: string } | null {
  if (event.type !== "payment_intent.succeeded") return null;
  const object = event.data.object;
  const intentId = object.metadata?.intentId;
  return intentId ? { intentId, reference: object.id } : null;
}
