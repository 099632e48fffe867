/**
 * The home page's query as plain text, sent by the small fetch client (app/graphql-fetch.ts), so the
 * home page needs neither Apollo nor graphql's parser. The event card's fragment is text too, and
 * Apollo's documents that show cards (the event page, search) interpolate the same text, so a card
 * shows the same fields whichever client fetched it.
 */
import { gql } from "../../shared/graphql-text";

export const EVENT_CARD_FIELDS = gql`
  fragment EventCardFields on Event {
    id
    name
    artist
    category
    status
    startsAt
    onSaleAt
    waitingRoomEnabled
    currency
    lowestAllInPrice {
      amount
      currency
    }
    venue {
      id
      name
      city
      country
      timezone
    }
    sections {
      price {
        amount
        currency
      }
      allInPrice {
        amount
        currency
      }
      fees {
        kind
        amount {
          amount
          currency
        }
      }
      available
      total
    }
  }
`;

export const HOME_EVENTS = gql`
  query HomeEvents($first: Int!) {
    events(first: $first) {
      totalCount
      edges {
        node {
          ...EventCardFields
        }
      }
    }
  }
  ${EVENT_CARD_FIELDS}
`;
