import { gql } from "@apollo/client";

export const SEAT_MAP = gql`
  query SeatMap($eventId: ID!) {
    event(id: $eventId) {
      id
      seatMap {
        sectionId
        seatIds
        rows
        numbers
        x
        y
        statuses
      }
    }
  }
`;

export const SEAT_STATUS_CHANGED = gql`
  subscription SeatStatusChanged($eventId: ID!) {
    seatStatusChanged(eventId: $eventId) {
      eventId
      sectionId
      seatId
      status
      available
    }
  }
`;

export interface SeatMapSection {
  sectionId: string;
  seatIds: string[];
  rows: string[];
  numbers: number[];
  x: number[];
  y: number[];
  statuses: string;
}

export interface SeatStatusChange {
  eventId: string;
  sectionId: string;
  seatId: string | null;
  status: "AVAILABLE" | "HELD" | "SOLD" | "BLOCKED";
  available: number;
}
