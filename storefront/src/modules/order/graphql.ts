import { gql } from "@apollo/client";
import { EVENT_SUMMARY_FIELDS, USER_ERROR_FIELDS } from "../../shared/fragments";
import type { UserError } from "../../shared/errors";
import { PRICED_LINES } from "../hold/graphql";
import type { Money } from "../../shared/format";

export const TICKET_FIELDS = gql`
  fragment TicketFields on Ticket {
    id
    status
    barcode
    barcodeRefreshesAt
    barcodeRotationSeconds
    section {
      id
      name
    }
    seat {
      id
      row
      number
    }
  }
`;

export const ORDER_FIELDS = gql`
  fragment OrderFields on Order {
    id
    status
    createdAt
    subtotal {
      amount
      currency
    }
    fees {
      ...FeeLineFields
    }
    total {
      amount
      currency
    }
    lines {
      ...PricedLineFields
    }
    tickets {
      ...TicketFields
    }
    event {
      ...EventSummaryFields
      status
    }
  }
  ${TICKET_FIELDS}
  ${PRICED_LINES}
  ${EVENT_SUMMARY_FIELDS}
`;

export const MY_ORDERS = gql`
  query MyOrders($first: Int!, $after: String) {
    myOrders(first: $first, after: $after) {
      totalCount
      edges {
        node {
          id
          status
          createdAt
          total {
            amount
            currency
          }
          tickets {
            id
          }
          event {
            ...EventSummaryFields
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${EVENT_SUMMARY_FIELDS}
`;

export const ORDER = gql`
  query Order($id: ID!) {
    order(id: $id) {
      ...OrderFields
    }
  }
  ${ORDER_FIELDS}
`;

/** Only the tickets again: what the rotating barcode needs, without re-reading the whole order. */
export const ORDER_TICKETS = gql`
  query OrderTickets($id: ID!) {
    order(id: $id) {
      id
      tickets {
        ...TicketFields
      }
    }
  }
  ${TICKET_FIELDS}
`;

export const CANCEL_ORDER = gql`
  mutation CancelOrder($orderId: ID!) {
    cancelOrder(orderId: $orderId) {
      order {
        ...OrderFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
  ${ORDER_FIELDS}
  ${USER_ERROR_FIELDS}
`;

export interface TicketData {
  id: string;
  status: "VALID" | "SCANNED" | "VOID";
  barcode: string;
  barcodeRefreshesAt: string;
  /** The API's rotation window: the ticket says how often its code changes from this, never a guess. */
  barcodeRotationSeconds: number;
  section: { id: string; name: string };
  seat: { id: string; row: string; number: number } | null;
}

export interface OrderData {
  id: string;
  status: "PENDING" | "CONFIRMED" | "CANCELLED" | "REFUNDED";
  createdAt: string;
  subtotal: Money;
  fees: { kind: string; amount: Money }[];
  total: Money;
  lines: { price: Money; section: { id: string; name: string }; seat: { id: string; row: string; number: number } | null }[];
  tickets: TicketData[];
  event: { id: string; name: string; startsAt: string; status: string; venue: { id: string; name: string; city: string; timezone: string } };
}

export interface CancelOrderPayload {
  order: OrderData | null;
  errors: UserError[];
}
