/**
 * The Stripe adapter against a local stand-in of Stripe's HTTP API (the real one is outside the
 * product and unreachable here): what we send (amount, metadata, idempotency keys) and how Stripe's
 * answers map to ours.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeClient, createStripeGateway } from "../../src/payment/payment.stripe.js";

interface Recorded {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  body: URLSearchParams;
}

let server: Server;
let port = 0;
const requests: Recorded[] = [];
const charged = new Map<string, { id: string; status: string; payment_method: string; metadata: Record<string, string>; latest_charge: null }>();

async function body(request: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of request) text += chunk;
  return text;
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const url = new URL(request.url!, "http://127.0.0.1");
    const form = new URLSearchParams(await body(request));
    requests.push({ method: request.method!, path: url.pathname, idempotencyKey: request.headers["idempotency-key"] as string | undefined, body: form });
    const reply = (status: number, json: unknown) => {
      response.writeHead(status, { "content-type": "application/json", "request-id": "req_test" });
      response.end(JSON.stringify(json));
    };
    if (request.method === "POST" && url.pathname === "/v1/payment_methods") {
      const token = form.get("card[token]");
      if (token === "tok_bogus") return reply(400, { error: { type: "invalid_request_error", param: "card[token]", message: "No such token" } });
      return reply(200, { id: `pm_${token}`, object: "payment_method", type: "card" });
    }
    if (request.method === "POST" && url.pathname === "/v1/payment_intents") {
      const intent = {
        id: `pi_${charged.size + 1}`,
        object: "payment_intent",
        status: "requires_confirmation",
        payment_method: form.get("payment_method")!,
        metadata: { intentId: form.get("metadata[intentId]")! },
        latest_charge: null,
      };
      charged.set(intent.metadata.intentId, intent);
      return reply(200, intent);
    }
    const confirm = /^\/v1\/payment_intents\/([^/]+)\/confirm$/.exec(url.pathname);
    if (request.method === "POST" && confirm) {
      const intent = [...charged.values()].find((candidate) => candidate.id === confirm[1])!;
      if (intent.payment_method === "pm_tok_chargeDeclined") {
        return reply(402, { error: { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." } });
      }
      if (intent.payment_method === "pm_tok_explode") return reply(500, { error: { type: "api_error", message: "boom" } });
      intent.status = "succeeded";
      return reply(200, intent);
    }
    const retrieve = /^\/v1\/payment_intents\/(pi_[^/]+)$/.exec(url.pathname);
    if (request.method === "GET" && retrieve) {
      const intent = [...charged.values()].find((candidate) => candidate.id === retrieve[1]);
      return intent ? reply(200, intent) : reply(404, { error: { type: "invalid_request_error", message: "No such payment_intent" } });
    }
    if (request.method === "GET" && url.pathname === "/v1/payment_intents/search") {
      const match = /metadata\['intentId'\]:'([^']+)'/.exec(url.searchParams.get("query") ?? "");
      const found = match ? charged.get(match[1]!) : undefined;
      return reply(200, { object: "search_result", data: found ? [found] : [], has_more: false, url: "/v1/payment_intents/search" });
    }
    if (request.method === "POST" && url.pathname === "/v1/refunds") return reply(200, { id: "re_1", object: "refund", status: "succeeded" });
    return reply(404, { error: { type: "invalid_request_error", message: `no route ${url.pathname}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const gateway = () =>
  createStripeGateway(createStripeClient({ secretKey: "sk_test_local", timeoutMs: 2_000, host: "127.0.0.1", port, protocol: "http" }));

describe("Stripe gateway", () => {
  it("records the PaymentIntent's id before confirming it, keyed by our intent id, and finds it again", async () => {
    const references: string[] = [];
    const result = await gateway().charge({
      intentId: "intent-1",
      amountMinor: 11_500,
      currency: "USD",
      paymentToken: "tok_visa",
      description: "Tickets",
      onReference: async (reference) => {
        references.push(reference);
      },
    });
    expect(result).toEqual({ status: "succeeded", reference: "pi_1" });
    expect(references).toEqual(["pi_1"]);
    const sent = requests.filter((request) => request.method === "POST").map((request) => [request.path, request.idempotencyKey]);
    expect(sent).toEqual([
      ["/v1/payment_methods", "method:intent-1"],
      ["/v1/payment_intents", "create:intent-1"],
      ["/v1/payment_intents/pi_1/confirm", "confirm:intent-1"],
    ]);
    const created = requests.find((request) => request.path === "/v1/payment_intents")!;
    expect(created.body.get("amount")).toBe("11500");
    expect(created.body.get("currency")).toBe("usd");
    expect(created.body.get("payment_method")).toBe("pm_tok_visa");
    expect(created.body.get("metadata[intentId]")).toBe("intent-1");
    expect(await gateway().lookup("intent-1", "pi_1")).toEqual({ status: "succeeded", reference: "pi_1" });
    expect(await gateway().lookup("intent-1", null)).toEqual({ status: "succeeded", reference: "pi_1" });
    expect(await gateway().lookup("intent-unknown", null)).toEqual({ status: "none" });
  });

  it("maps card errors to declines, bad tokens to invalid_token, and throws on server errors (the breaker counts those)", async () => {
    expect(await gateway().charge({ intentId: "intent-2", amountMinor: 100, currency: "USD", paymentToken: "tok_chargeDeclined", description: "x" })).toEqual({
      status: "declined",
      code: "generic_decline",
      message: "Your card was declined.",
    });
    expect((await gateway().charge({ intentId: "intent-3", amountMinor: 100, currency: "USD", paymentToken: "tok_bogus", description: "x" })).status).toBe("invalid_token");
    await expect(gateway().charge({ intentId: "intent-4", amountMinor: 100, currency: "USD", paymentToken: "tok_explode", description: "x" })).rejects.toThrow();
  });

  it("refunds with our refund id as the idempotency key", async () => {
    expect(await gateway().refund({ refundKey: "refund-1", reference: "pi_1", amountMinor: 11_500 })).toEqual({ reference: "re_1" });
    const sent = requests.find((request) => request.path === "/v1/refunds")!;
    expect(sent.idempotencyKey).toBe("refund:refund-1");
    expect(sent.body.get("payment_intent")).toBe("pi_1");
  });
});
