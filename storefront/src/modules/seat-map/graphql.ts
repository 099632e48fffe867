import { gql } from "@apollo/client";

/**
 * The whole venue in one compact read: per section, parallel lists (rows, numbers, x, y) and one
 * character per seat for status and features. No seat ids: a seat is named by section, row and
 * number (holdSeats' `seats`, seatStatusChanged's row/number), which keeps the arena's map near
 * 85 KB on the wire instead of 475 KB (random ids do not compress).
 */
export const SEAT_MAP = gql`
  query SeatMap($eventId: ID!) {
    event(id: $eventId) {
      id
      seatMap {
        sectionId
        rows
        numbers
        x
        y
        statuses
        features
      }
    }
  }
`;

export const SEAT_STATUS_CHANGED = gql`
  subscription SeatStatusChanged($eventId: ID!) {
    seatStatusChanged(eventId: $eventId) {
      eventId
      sectionId
      row
      number
      status
      available
    }
  }
`;

export interface SeatMapSection {
  sectionId: string;
  rows: string[];
  numbers: number[];
  x: number[];
  y: number[];
  statuses: string;
  features: string;
}

export interface SeatStatusChange {
  eventId: string;
  sectionId: string;
  row: string | null;
  number: number | null;
  status: "AVAILABLE" | "HELD" | "SOLD" | "BLOCKED";
  available: number;
}

/** A seat as holdSeats' `seats` names it. */
export interface SeatAddress {
  sectionId: string;
  row: string;
  number: number;
}
