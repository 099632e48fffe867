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
import type { ChargeLookup, ChargeRequest, ChargeResult, PaymentGateway, RefundRequest } from "./payments.gateway.js";

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
    maxNetworkRetries: 1,
    appInfo: { name: "boxoffice" },
    ...(options.host ? { host: options.host, port: options.port, protocol: options.protocol ?? "https" } : {}),
  });
}

export function createStripeGateway(stripe: Stripe): PaymentGateway {
  const findIntent = async (intentId: string): Promise<Stripe.PaymentIntent | null> => {
    const found = await stripe.paymentIntents.search({ query: `metadata['intentId']:'${intentId}'`, limit: 1 });
    return found.data[0] ?? null;
  };

  return {
    name: "stripe",
    async charge(request: ChargeRequest): Promise<ChargeResult> {
      const method = request.paymentToken.startsWith("tok_")
        ? { payment_method_data: { type: "card" as const, card: { token: request.paymentToken } } }
        : { payment_method: request.paymentToken };
      try {
        const intent = await stripe.paymentIntents.create(
          {
            amount: request.amountMinor,
            currency: request.currency.toLowerCase(),
            confirm: true,
            automatic_payment_methods: { enabled: true, allow_redirects: "never" },
            description: request.description,
            metadata: { intentId: request.intentId },
            ...method,
          },
          { idempotencyKey: `charge:${request.intentId}` },
        );
        if (intent.status === "succeeded") return { status: "succeeded", reference: intent.id };
        return { status: "declined", code: intent.status, message: "The payment needs an action this checkout cannot take." };
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

    async lookup(intentId: string): Promise<ChargeLookup> {
      const intent = await findIntent(intentId);
      if (!intent || intent.status !== "succeeded") return { status: "none" };
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

    async void(intentId: string): Promise<void> {
      const intent = await findIntent(intentId);
      if (intent && intent.status !== "succeeded" && intent.status !== "canceled") await stripe.paymentIntents.cancel(intent.id);
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
