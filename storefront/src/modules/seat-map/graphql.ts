import { gql } from "@apollo/client";

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
  /** Positions in tenths of a map unit: the first seat's absolute, each next one the step from the previous seat's. */
  xSteps: number[];
  ySteps: number[];
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
