/**
 * The gateway behind a timeout and a circuit breaker (opossum: a maintained breaker with rolling
 * statistics and half-open trials, rather than our own). While the gateway is slow or failing, the
 * breaker opens and checkouts get PAYMENT_UNAVAILABLE at once instead of piling up behind it; after
 * `paymentBreakerResetMs` one trial charge decides whether it closes again. Declines are answers, not
 * failures: they never open the breaker.
 */
import CircuitBreaker from "opossum";
import type pg from "pg";
import type Stripe from "stripe";
import type { Config } from "../platform/config.js";
import type { Logger } from "../platform/logger.js";
import type { ChargeRequest, ChargeResult, PaymentGateway } from "./payment.gateway.js";
import { createStripeClient, createStripeGateway } from "./payment.stripe.js";
import { createTestGateway } from "./payment.test-gateway.js";

export type ChargeOutcome =
  | ChargeResult
  /** Not charged: the breaker is open, so the gateway was not called. */
  | { status: "unavailable"; uncertain: false; message: string }
  /** Timed out or failed mid-call: the gateway may or may not have charged. */
  | { status: "unavailable"; uncertain: true; message: string };

export interface Payments {
  gateway: PaymentGateway;
  /** Present when payments go to Stripe (for webhook verification). */
  stripe: Stripe | null;
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  breakerState(): "closed" | "open" | "half-open";
  shutdown(): void;
}

export function createPayments(config: Config, pool: pg.Pool, logger: Logger): Payments {
  const stripe = config.stripeSecretKey ? createStripeClient({ secretKey: config.stripeSecretKey, timeoutMs: config.paymentTimeoutMs }) : null;
  const gateway = stripe ? createStripeGateway(stripe) : createTestGateway(pool);
  return withBreaker(gateway, stripe, config, logger);
}

export function withBreaker(
  gateway: PaymentGateway,
  stripe: Stripe | null,
  config: Pick<Config, "paymentTimeoutMs" | "paymentBreakerResetMs">,
  logger: Logger,
): Payments {
  const breaker = new CircuitBreaker((request: ChargeRequest, signal: AbortSignal) => gateway.charge(request, signal), {
    timeout: config.paymentTimeoutMs,
    resetTimeout: config.paymentBreakerResetMs,
    errorThresholdPercentage: 50,
    volumeThreshold: 3,
    rollingCountTimeout: 30_000,
  });
  breaker.on("open", () => logger.warn({ gateway: gateway.name }, "payment gateway failing: circuit breaker open"));
  breaker.on("halfOpen", () => logger.info({ gateway: gateway.name }, "payment circuit breaker half-open: trying one charge"));
  breaker.on("close", () => logger.info({ gateway: gateway.name }, "payment gateway recovered: circuit breaker closed"));

  return {
    gateway,
    stripe,
    async charge(request) {
      const abort = new AbortController();
      try {
        return await breaker.fire(request, abort.signal);
      } catch (error) {
        abort.abort();
        const code = (error as { code?: string }).code;
        if (code === "EOPENBREAKER") {
          return { status: "unavailable", uncertain: false, message: "payments are temporarily unavailable; please try again in a minute" };
        }
        logger.warn({ err: error, gateway: gateway.name, intentId: request.intentId }, "payment gateway call failed");
        return {
          status: "unavailable",
          uncertain: true,
          message: code === "ETIMEDOUT" ? "the payment provider did not answer in time" : "the payment provider failed",
        };
      }
    },
    breakerState() {
      return breaker.opened ? "open" : breaker.halfOpen ? "half-open" : "closed";
    },
    shutdown() {
      breaker.shutdown();
    },
  };
}
