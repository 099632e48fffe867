import { gql } from "@apollo/client";
import type { Money } from "../../shared/format";
import { EVENT_CARD_FIELDS } from "./home-events";

export const EVENT_SECTION_FIELDS = gql`
  fragment EventSectionFields on EventSection {
    section {
      id
      name
      kind
      capacity
    }
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
    dynamicPricing
    allInFloor {
      amount
      currency
    }
    allInCeiling {
      amount
      currency
    }
    available
    total
  }
`;

export const EVENT_PAGE = gql`
  query EventPage($id: ID!) {
    event(id: $id) {
      ...EventCardFields
      holdDurationSeconds
      maxSeatsPerUser
      presaleEnabled
      dynamicPricing
      dynamicPriceRange {
        minAllIn {
          amount
          currency
        }
        maxAllIn {
          amount
          currency
        }
      }
      venue {
        id
        capacity
        location {
          lat
          lon
        }
        map {
          bounds {
            x
            y
            width
            height
          }
          stage {
            x
            y
            width
            height
          }
        }
        sections {
          id
          name
          kind
          shape {
            polygon
            labelX
            labelY
          }
        }
      }
      sections {
        ...EventSectionFields
      }
    }
  }
  ${EVENT_CARD_FIELDS}
  ${EVENT_SECTION_FIELDS}
`;

export const SECTION_PRICE_CHANGED = gql`
  subscription SectionPriceChanged($eventId: ID!) {
    sectionPriceChanged(eventId: $eventId) {
      ...EventSectionFields
    }
  }
  ${EVENT_SECTION_FIELDS}
`;

export interface EventSectionData {
  section: { id: string; name: string; kind: "SEATED" | "GENERAL_ADMISSION"; capacity: number };
  /** Base price, before fees. */
  price: Money;
  /** What one ticket costs: base plus every mandatory fee. The figure fans see first. */
  allInPrice: Money;
  /** The mandatory fees of one ticket (allInPrice = price + these). */
  fees: { kind: string; amount: Money }[];
  /** The price moves with demand between the section's published floor and ceiling. */
  dynamicPricing: boolean;
  /** The lowest and highest the all-in price may go (the section's published floor and ceiling plus fees). */
  allInFloor: Money;
  allInCeiling: Money;
  available: number;
  total: number;
}

export interface EventCardData {
  id: string;
  name: string;
  artist: string;
  category: string;
  status: string;
  startsAt: string;
  onSaleAt: string;
  waitingRoomEnabled: boolean;
  currency: string;
  venue: { id: string; name: string; city: string; country: string; timezone: string };
  /** The card's "from" price: the lowest all-in price of a section with tickets left (null without sections). */
  lowestAllInPrice: Money | null;
  sections: { price: Money; allInPrice: Money; fees: { kind: string; amount: Money }[]; available: number; total: number }[];
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface EventPageData extends Omit<EventCardData, "sections" | "venue"> {
  holdDurationSeconds: number;
  maxSeatsPerUser: number;
  /** A presale runs: the waiting room asks for an access code before joining. */
  presaleEnabled: boolean;
  /** Some section's price moves with demand, within dynamicPriceRange (all-in). */
  dynamicPricing: boolean;
  dynamicPriceRange: { minAllIn: Money; maxAllIn: Money } | null;
  venue: EventCardData["venue"] & {
    capacity: number;
    location: { lat: number; lon: number };
    map: { bounds: Rect; stage: Rect | null } | null;
    sections: {
      id: string;
      name: string;
      kind: string;
      shape: { polygon: number[]; labelX: number; labelY: number } | null;
    }[];
  };
  sections: EventSectionData[];
}
