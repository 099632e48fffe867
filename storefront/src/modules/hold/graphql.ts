import { gql } from "@apollo/client";
import { EVENT_SUMMARY_FIELDS, USER_ERROR_FIELDS } from "../../shared/fragments";
import type { UserError } from "../../shared/errors";
import type { Money } from "../../shared/format";

/** What a fan pays, line by line: shared by holds and orders (both list HoldLines and FeeLines). */
export const PRICED_LINES = gql`
  fragment PricedLineFields on HoldLine {
    price {
      amount
      currency
    }
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

  fragment FeeLineFields on FeeLine {
    kind
    amount {
      amount
      currency
    }
  }
`;

export const HOLD_FIELDS = gql`
  fragment HoldFields on Hold {
    id
    status
    expiresAt
    lines {
      ...PricedLineFields
    }
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
  }
  ${PRICED_LINES}
`;

export const HOLD_SEATS = gql`
  mutation HoldSeats($input: HoldSeatsInput!) {
    holdSeats(input: $input) {
      hold {
        ...HoldFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
  ${HOLD_FIELDS}
  ${USER_ERROR_FIELDS}
`;

export const RELEASE_HOLD = gql`
  mutation ReleaseHold($holdId: ID!) {
    releaseHold(holdId: $holdId) {
      ok
      errors {
        ...UserErrorFields
      }
    }
  }
  ${USER_ERROR_FIELDS}
`;

export const HOLD_QUERY = gql`
  query Hold($id: ID!) {
    hold(id: $id) {
      ...HoldFields
      event {
        ...EventSummaryFields
        currency
        waitingRoomEnabled
      }
    }
  }
  ${HOLD_FIELDS}
  ${EVENT_SUMMARY_FIELDS}
`;

/** The fan's live hold for an event, wherever it was placed (another tab, another device). */
export const ACTIVE_HOLDS = gql`
  query ActiveHolds($eventId: ID) {
    viewer {
      id
      activeHolds(eventId: $eventId) {
        ...HoldFields
      }
    }
  }
  ${HOLD_FIELDS}
`;

export const SECTION_SEATS = gql`
  query SectionSeats($eventId: ID!, $sectionId: ID!) {
    event(id: $eventId) {
      id
      seats(sectionId: $sectionId) {
        id
        row
        number
        status
      }
    }
  }
`;

export interface HoldData {
  id: string;
  status: string;
  expiresAt: string;
  lines: { price: Money; section: { id: string; name: string }; seat: { id: string; row: string; number: number } | null }[];
  subtotal: Money;
  fees: { kind: string; amount: Money }[];
  total: Money;
}

export interface HoldWithEvent extends HoldData {
  event: {
    id: string;
    name: string;
    currency: string;
    waitingRoomEnabled: boolean;
    startsAt: string;
    venue: { id: string; name: string; city: string; timezone: string };
  };
}

export interface HoldSeatsPayload {
  hold: HoldData | null;
  errors: UserError[];
}
