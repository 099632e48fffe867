/**
 * The built-in test gateway: a stand-in for the card network in development and tests, with Stripe's
 * test tokens. It keeps its own ledger in the `test_gateway` schema of the database (outside our
 * migrations, like an external system's books), so a charge made by a process that died is still
 * there for the reconciler to find, and tests can count charges and refunds.
 *
 *   tok_visa, tok_mastercard             succeed
 *   tok_chargeDeclined                   declined (card_declined)
 *   tok_chargeDeclinedInsufficientFunds  declined (insufficient_funds)
 *   tok_timeout                          never answers (the checkout times out)
 *   tok_gatewayError                     the gateway fails (HTTP 500 at a real one)
 *   anything else                        invalid_token
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { ChargeLookup, ChargeRequest, ChargeResult, PaymentGateway, RefundRequest } from "./payment.gateway.js";

const SUCCEEDING = new Set(["tok_visa", "tok_mastercard"]);
const DECLINES: Record<string, { code: string; message: string }> = {
  tok_chargeDeclined: { code: "card_declined", message: "Your card was declined." },
  tok_chargeDeclinedInsufficientFunds: { code: "insufficient_funds", message: "Your card has insufficient funds." },
};
/** How long tok_timeout hangs: far past any sensible checkout timeout. */
const HANG_MS = 120_000;

const LEDGER = `
CREATE SCHEMA IF NOT EXISTS test_gateway;
CREATE TABLE IF NOT EXISTS test_gateway.charges (
  intent_id      text PRIMARY KEY,
  reference      text NOT NULL UNIQUE,
  token          text,
  amount_minor   int NOT NULL,
  currency       text NOT NULL,
  status         text NOT NULL CHECK (status IN ('SUCCEEDED', 'DECLINED', 'VOIDED')),
  refunded_minor int NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor),
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS test_gateway.refunds (
  refund_key       text PRIMARY KEY,
  reference        text NOT NULL UNIQUE,
  charge_reference text NOT NULL REFERENCES test_gateway.charges (reference),
  amount_minor     int NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);`;

interface ChargeRow {
  reference: string;
  status: "SUCCEEDED" | "DECLINED" | "VOIDED";
  amount_minor: number;
  refunded_minor: number;
  token: string | null;
}

export function createTestGateway(pool: pg.Pool): PaymentGateway {
  let ready: Promise<void> | null = null;
  const ledger = () => {
    ready ??= (async () => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        // Several processes may start at once: one creates the ledger, the others wait for it.
        await client.query("SELECT pg_advisory_xact_lock(hashtextextended('test_gateway.ledger', 0))");
        await client.query(LEDGER);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        ready = null;
        throw error;
      } finally {
        client.release();
      }
    })();
    return ready;
  };

  const existing = async (intentId: string): Promise<ChargeRow | null> => {
    const { rows } = await pool.query<ChargeRow>(
      "SELECT reference, status, amount_minor, refunded_minor, token FROM test_gateway.charges WHERE intent_id = $1",
      [intentId],
    );
    return rows[0] ?? null;
  };

  const asResult = (row: ChargeRow): ChargeResult => {
    if (row.status === "SUCCEEDED") return { status: "succeeded", reference: row.reference };
    if (row.status === "VOIDED") return { status: "declined", code: "voided", message: "This payment was cancelled." };
    return { status: "declined", ...(DECLINES[row.token ?? ""] ?? { code: "card_declined", message: "Your card was declined." }) };
  };

  return {
    name: "test",
    async charge(request: ChargeRequest, signal?: AbortSignal): Promise<ChargeResult> {
      await ledger();
      const token = request.paymentToken;
      if (token === "tok_timeout") {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, HANG_MS);
          timer.unref();
          signal?.addEventListener("abort", () => {
            clearTimeout(timer);
            resolve();
          });
        });
        throw new Error("test gateway: tok_timeout never answers");
      }
      if (token === "tok_gatewayError") throw new Error("test gateway: internal error (HTTP 500)");
      const decline = DECLINES[token];
      if (!SUCCEEDING.has(token) && !decline) return { status: "invalid_token", message: `unknown payment token "${token}"` };
      const reference = `ch_test_${request.intentId}`;
      await request.onReference?.(reference);
      const { rows } = await pool.query<ChargeRow>(
        `INSERT INTO test_gateway.charges (intent_id, reference, token, amount_minor, currency, status)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (intent_id) DO NOTHING
         RETURNING reference, status, amount_minor, refunded_minor, token`,
        [request.intentId, reference, token, request.amountMinor, request.currency, decline ? "DECLINED" : "SUCCEEDED"],
      );
      const row = rows[0] ?? (await existing(request.intentId));
      if (!row) throw new Error("test gateway: charge vanished");
      return asResult(row);
    },

    async lookup(intentId: string): Promise<ChargeLookup> {
      // The test gateway is keyed by our intent id: it needs no reference.
      await ledger();
      const row = await existing(intentId);
      if (!row || row.status !== "SUCCEEDED") return { status: "none" };
      return row.refunded_minor > 0 ? { status: "refunded", reference: row.reference } : { status: "succeeded", reference: row.reference };
    },

    async refund(request: RefundRequest): Promise<{ reference: string }> {
      await ledger();
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const inserted = await client.query<{ reference: string }>(
          `INSERT INTO test_gateway.refunds (refund_key, reference, charge_reference, amount_minor)
           VALUES ($1, $2, $3, $4) ON CONFLICT (refund_key) DO NOTHING RETURNING reference`,
          [request.refundKey, `re_test_${randomUUID()}`, request.reference, request.amountMinor],
        );
        if (inserted.rows.length === 0) {
          await client.query("ROLLBACK");
          const { rows } = await pool.query<{ reference: string }>("SELECT reference FROM test_gateway.refunds WHERE refund_key = $1", [request.refundKey]);
          return { reference: rows[0]!.reference };
        }
        const updated = await client.query(
          `UPDATE test_gateway.charges SET refunded_minor = refunded_minor + $2
           WHERE reference = $1 AND status = 'SUCCEEDED' AND refunded_minor + $2 <= amount_minor`,
          [request.reference, request.amountMinor],
        );
        if (updated.rowCount !== 1) throw new Error(`test gateway: charge ${request.reference} cannot be refunded ${request.amountMinor}`);
        await client.query("COMMIT");
        return { reference: inserted.rows[0]!.reference };
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },

    async void(intentId: string): Promise<void> {
      await ledger();
      await pool.query(
        `INSERT INTO test_gateway.charges (intent_id, reference, amount_minor, currency, status)
         VALUES ($1, $2, 0, 'XXX', 'VOIDED') ON CONFLICT (intent_id) DO NOTHING`,
        [intentId, `void_${randomUUID()}`],
      );
    },
  };
}
