import { useMutation, useQuery } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { eventStorage } from "../../../app/session";
import { describeError, describeFailure, type UserError } from "../../../shared/errors";
import { formatEventDate, formatMoney } from "../../../shared/format";
import { Countdown } from "../../hold/components/Countdown";
import { PriceBreakdown } from "../../hold/components/PriceBreakdown";
import { HOLD_QUERY, type HoldWithEvent } from "../../hold/graphql";
import { admissionOfHold, storeAdmission, storeQueue } from "../../waiting-room/admission";
import { shapeExpiry } from "../card-expiry";
import { CHECKOUT, type CheckoutPayload } from "../graphql";
import { TEST_CARDS, tokenizeTestCard } from "../test-cards";
import { useDocumentTitle } from "../../../shared/use-document-title";

const SHOW_TEST_CARDS = import.meta.env.VITE_PAYMENTS !== "live";

/**
 * The API's answers to checkout (api/src/checkout/checkout.service.ts) are definite, except two that
 * name the idempotencyKey field: "outcome unknown" (the gateway timed out or failed and could not say
 * whether it charged) and "still being confirmed" (a retry arrived while the first was settling).
 * Only those, and a request whose answer never arrived (network), leave the payment's fate open.
 */
function outcomeUnknown(errors: readonly UserError[]): boolean {
  return errors.some((item) => item.field === "idempotencyKey");
}

/**
 * Pay for a hold at its locked prices. The fee breakdown and total are shown before paying. One
 * idempotency key per attempt, kept across reloads: a retried or double-clicked payment is charged
 * once. A new key is used after every definite answer (a decline, a gateway error settled as not
 * charged, a refused token), so the next card can pay; an unknown outcome keeps the key, so the retry
 * learns what happened instead of risking a second charge. A new key is safe: the API refuses a second
 * key while a payment for the hold is in flight.
 */
export function CheckoutPage() {
  const { holdId = "" } = useParams();
  const navigate = useNavigate();
  const { data, loading, error } = useQuery<{ hold: HoldWithEvent | null }>(HOLD_QUERY, { variables: { id: holdId }, fetchPolicy: "cache-and-network" });
  const [checkout, state] = useMutation<{ checkout: CheckoutPayload }>(CHECKOUT);
  const [card, setCard] = useState(SHOW_TEST_CARDS ? TEST_CARDS[0].number : "");
  const [expiry, setExpiry] = useState("12/30");
  const [cvc, setCvc] = useState("123");
  const [message, setMessage] = useState<string | null>(null);
  const [expired, setExpired] = useState(false);
  const hold = data?.hold;
  useDocumentTitle(hold ? `Checkout: ${hold.event.name}` : "Checkout");

  if (error && !hold) return <main className="page"><p className="error" role="alert">{describeFailure(error)}</p></main>;
  if (loading && !hold) return <main className="page"><p aria-live="polite">Loading your seats…</p></main>;
  if (!hold) return <main className="page"><h1>Hold not found</h1><p><Link to="/">Find an event</Link></p></main>;
  const activeHold = hold;
  // A paid hold (CONVERTED) is not an expired one: reopened from history, a bookmark or a second tab,
  // its checkout says the tickets are bought, not that the seats went back on sale.
  const paid = activeHold.status === "CONVERTED";
  const ended = expired || activeHold.status !== "ACTIVE" || Date.parse(activeHold.expiresAt) <= Date.now();

  function idempotencyKey(): string {
    const stored = sessionStorage.getItem(`boxoffice.checkout.${holdId}`);
    if (stored) return stored;
    const key = crypto.randomUUID();
    sessionStorage.setItem(`boxoffice.checkout.${holdId}`, key);
    return key;
  }

  async function pay(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    const paymentToken = tokenizeTestCard(card);
    if (!paymentToken) return setMessage("That card number is not one of the test cards listed below.");
    try {
      const result = await checkout({
        variables: {
          input: { holdId, idempotencyKey: idempotencyKey(), paymentToken, admissionToken: admissionOfHold(activeHold.event.id)?.token ?? null },
        },
      });
      const payload = result.data?.checkout;
      if (!payload) return setMessage("Something went wrong. Nothing was charged: please try again.");
      if (payload.order) {
        sessionStorage.removeItem(`boxoffice.checkout.${holdId}`);
        eventStorage.set(activeHold.event.id, "hold", null);
        storeAdmission(activeHold.event.id, null);
        storeQueue(activeHold.event.id, null);
        navigate(`/orders/${payload.order.id}?confirmed=1`, { replace: true });
        return;
      }
      // An answer settles the attempt for good (declined, refused, not charged, hold ended): the next
      // one gets a new key, or it would only replay this answer. Only an unknown outcome keeps the key,
      // and the API names the key when it says so (outcome unknown, or still being confirmed).
      if (!outcomeUnknown(payload.errors)) sessionStorage.removeItem(`boxoffice.checkout.${holdId}`);
      if (payload.errors.some((item) => item.code === "HOLD_EXPIRED")) setExpired(true);
      setMessage(
        outcomeUnknown(payload.errors)
          ? "We could not confirm your payment yet. Try again in a moment: you will not be charged twice, and if you were charged you get your tickets or a refund."
          : payload.errors.map((item) => describeError(item)).join(" "),
      );
    } catch (failure) {
      // Unknown outcome (network): the same key on retry cannot charge twice.
      setMessage(`${describeFailure(failure)} If you try again you will not be charged twice.`);
    }
  }

  return (
    <main className="page checkout-page">
      <h1>Checkout</h1>
      <p className="event-meta">
        {activeHold.event.name} · {formatEventDate(activeHold.event.startsAt, activeHold.event.venue.timezone)} · {activeHold.event.venue.name},{" "}
        {activeHold.event.venue.city}
      </p>
      <div className="checkout-layout">
        <section className="card" aria-label="Order summary">
          <h2>Your tickets</h2>
          {!ended && (
            <p>
              Seats held for <Countdown expiresAt={activeHold.expiresAt} onExpired={() => setExpired(true)} />
            </p>
          )}
          <PriceBreakdown hold={activeHold} />
          <p className="hint">Prices are locked while your seats are held. The total includes every fee.</p>
        </section>
        <section className="card" aria-label="Payment">
          <h2>Payment</h2>
          {paid ? (
            <>
              <p role="status">You have bought these tickets: this hold is paid for, and your tickets are in your orders.</p>
              <Link className="button primary" to="/orders">
                See your tickets
              </Link>
            </>
          ) : ended ? (
            <>
              <p className="error" role="alert">
                {describeError({ code: "HOLD_EXPIRED", message: "" })}
              </p>
              <Link className="button primary" to={`/events/${activeHold.event.id}`}>
                Choose seats again
              </Link>
            </>
          ) : (
            <form className="form" onSubmit={pay}>
              <label>
                Card number
                <input
                  name="card"
                  inputMode="numeric"
                  autoComplete="cc-number"
                  required
                  value={card}
                  onChange={(changed) => setCard(changed.target.value)}
                />
              </label>
              <div className="form-row">
                <label>
                  Expiry (MM/YY)
                  <input name="expiry" autoComplete="cc-exp" required pattern="\d{2}/\d{2}" value={expiry} inputMode="numeric" onChange={(changed) => setExpiry(shapeExpiry(changed.target.value))} />
                </label>
                <label>
                  CVC
                  <input name="cvc" autoComplete="cc-csc" inputMode="numeric" required pattern="\d{3,4}" value={cvc} onChange={(changed) => setCvc(changed.target.value)} />
                </label>
              </div>
              {message && (
                <p className="error" role="alert">
                  {message}
                </p>
              )}
              <button className="primary" type="submit" disabled={state.loading}>
                {state.loading ? "Paying…" : `Pay ${formatMoney(activeHold.total)}`}
              </button>
            </form>
          )}
          {SHOW_TEST_CARDS && (
            <details className="test-cards" open>
              <summary>Test cards (test payment gateway: no real money moves)</summary>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Card number</th>
                    <th scope="col">Result</th>
                  </tr>
                </thead>
                <tbody>
                  {TEST_CARDS.map((testCard) => (
                    <tr key={testCard.token}>
                      <td>
                        <button type="button" className="link" onClick={() => setCard(testCard.number)}>
                          {testCard.number}
                        </button>
                      </td>
                      <td>{testCard.outcome}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="hint">Any future expiry date and any 3-digit CVC.</p>
            </details>
          )}
        </section>
      </div>
    </main>
  );
}
