import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import { useEffect, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { describeError, describeFailure } from "../../../shared/errors";
import { formatEventDate, formatMoney } from "../../../shared/format";
import { PriceBreakdown } from "../../hold/components/PriceBreakdown";
import { CANCEL_ORDER, ORDER, ORDER_TICKETS, type CancelOrderPayload, type OrderData } from "../graphql";
import { TicketCard } from "./TicketCard";
import { useDocumentTitle } from "../../../shared/use-document-title";

const STATUS_LABELS: Record<OrderData["status"], string> = {
  PENDING: "Payment pending",
  CONFIRMED: "Confirmed",
  CANCELLED: "Cancelled — refund on its way",
  REFUNDED: "Cancelled and refunded",
};

/** One order: confirmation, tickets with rotating QR codes, the price paid, and cancel where allowed. */
export function OrderPage() {
  const { orderId = "" } = useParams();
  const [params] = useSearchParams();
  const client = useApolloClient();
  const { data, loading, error } = useQuery<{ order: OrderData | null }>(ORDER, { variables: { id: orderId }, fetchPolicy: "cache-and-network" });
  const order = data?.order;
  useDocumentTitle(order ? `Your tickets: ${order.event.name}` : loading ? undefined : "Order not found");
  const [cancel, cancelState] = useMutation<{ cancelOrder: CancelOrderPayload }>(CANCEL_ORDER);
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  // Fetch fresh barcodes when the current ones rotate out (one request for all tickets of the order).
  const nextRefresh = order?.tickets
    .filter((ticket) => ticket.status === "VALID")
    .reduce((earliest, ticket) => Math.min(earliest, Date.parse(ticket.barcodeRefreshesAt)), Infinity);
  useEffect(() => {
    if (!nextRefresh || !Number.isFinite(nextRefresh)) return;
    const delay = Math.max(500, nextRefresh - Date.now() + 250);
    const timer = setTimeout(() => {
      void client.query({ query: ORDER_TICKETS, variables: { id: orderId }, fetchPolicy: "network-only" }).catch(() => null);
    }, delay);
    return () => clearTimeout(timer);
  }, [nextRefresh, orderId, client]);

  if (error && !order) return <main className="page"><p className="error" role="alert">{describeFailure(error)}</p></main>;
  if (loading && !order) return <main className="page"><p aria-live="polite">Loading your order…</p></main>;
  if (!order) return <main className="page"><h1>Order not found</h1><p><Link to="/orders">Your orders</Link></p></main>;

  const cancellable =
    order.status === "CONFIRMED" && Date.parse(order.event.startsAt) > Date.now() && order.tickets.every((ticket) => ticket.status === "VALID");

  async function cancelOrder() {
    setMessage(null);
    try {
      const result = await cancel({ variables: { orderId } });
      const payload = result.data?.cancelOrder;
      if (payload?.errors.length) setMessage(payload.errors.map((item) => describeError(item)).join(" "));
      setConfirming(false);
    } catch (failure) {
      setMessage(describeFailure(failure));
    }
  }

  // The page's one main heading: "You're going!" right after the purchase, the event's name otherwise.
  const confirmed = Boolean(params.get("confirmed")) && order.status === "CONFIRMED";
  const EventHeading = confirmed ? "h2" : "h1";
  return (
    <main className="page order-page">
      {confirmed && (
        <section className="card success" role="status">
          <h1>You're going!</h1>
          <p>Your order is confirmed and we've emailed your receipt. Your tickets are below and in "My orders".</p>
        </section>
      )}
      <header>
        <EventHeading>{order.event.name}</EventHeading>
        <p className="event-meta">
          {formatEventDate(order.event.startsAt, order.event.venue.timezone)} · {order.event.venue.name}, {order.event.venue.city}
        </p>
        <p>
          Order <code>{order.id.slice(0, 8)}</code> · <span data-testid="order-status">{STATUS_LABELS[order.status]}</span> ·{" "}
          {formatMoney(order.total)}
        </p>
      </header>
      <div className="order-layout">
        <section aria-label="Tickets">
          <h3>
            {order.tickets.length} {order.tickets.length === 1 ? "ticket" : "tickets"}
          </h3>
          <ul className="tickets">
            {order.tickets.map((ticket) => (
              <TicketCard key={ticket.id} ticket={ticket} eventName={order.event.name} focused={ticket.id === params.get("ticket")} />
            ))}
          </ul>
        </section>
        <aside>
          <section className="card">
            <h3>What you paid</h3>
            <PriceBreakdown hold={order} />
          </section>
          {message && (
            <p className="error" role="alert">
              {message}
            </p>
          )}
          {cancellable && (
            <section className="card">
              <h3>Can't make it?</h3>
              {confirming ? (
                <>
                  <p>Your tickets will stop working and {formatMoney(order.total)} goes back to your card.</p>
                  <div className="actions">
                    <button type="button" className="danger" onClick={() => void cancelOrder()} disabled={cancelState.loading}>
                      {cancelState.loading ? "Cancelling…" : "Yes, cancel and refund"}
                    </button>
                    <button type="button" onClick={() => setConfirming(false)}>
                      Keep my tickets
                    </button>
                  </div>
                </>
              ) : (
                <button type="button" onClick={() => setConfirming(true)}>
                  Cancel this order
                </button>
              )}
            </section>
          )}
        </aside>
      </div>
    </main>
  );
}
