import { useQuery } from "@apollo/client/react";
import { Link } from "react-router";
import { describeFailure } from "../../../shared/errors";
import { formatEventDate, formatMoney, type Money } from "../../../shared/format";
import { MY_ORDERS } from "../graphql";
import { useDocumentTitle } from "../../../shared/use-document-title";

interface OrderSummary {
  id: string;
  status: string;
  createdAt: string;
  total: Money;
  tickets: { id: string }[];
  event: { id: string; name: string; startsAt: string; venue: { id: string; name: string; city: string; timezone: string } };
}

interface MyOrders {
  myOrders: { totalCount: number; edges: { node: OrderSummary }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/** The fan's orders, newest first, a page at a time. */
export function OrdersPage() {
  const { data, loading, error, fetchMore } = useQuery<MyOrders>(MY_ORDERS, { variables: { first: 20 }, fetchPolicy: "cache-and-network" });
  useDocumentTitle("My orders");
  const orders = data?.myOrders.edges.map((edge) => edge.node) ?? [];
  return (
    <main className="page narrow">
      <h1>My orders</h1>
      {error && (
        <p className="error" role="alert">
          {describeFailure(error)}
        </p>
      )}
      {loading && !data && <p aria-live="polite">Loading…</p>}
      {data && orders.length === 0 && (
        <p>
          No orders yet. <Link to="/">Find an event</Link>
        </p>
      )}
      <ul className="order-list">
        {orders.map((order) => (
          <li key={order.id} className="card">
            <Link to={`/orders/${order.id}`}>
              <strong>{order.event.name}</strong>
            </Link>
            <p className="muted">
              {formatEventDate(order.event.startsAt, order.event.venue.timezone)} · {order.event.venue.name}, {order.event.venue.city}
            </p>
            <p>
              {order.tickets.length} {order.tickets.length === 1 ? "ticket" : "tickets"} · {formatMoney(order.total)} ·{" "}
              {order.status.charAt(0) + order.status.slice(1).toLowerCase()}
            </p>
          </li>
        ))}
      </ul>
      {data?.myOrders.pageInfo.hasNextPage && (
        <button
          type="button"
          onClick={() =>
            void fetchMore({
              variables: { after: data.myOrders.pageInfo.endCursor },
              updateQuery: (previous, { fetchMoreResult }) => ({
                myOrders: { ...fetchMoreResult.myOrders, edges: [...previous.myOrders.edges, ...fetchMoreResult.myOrders.edges] },
              }),
            })
          }
        >
          Show more
        </button>
      )}
    </main>
  );
}
