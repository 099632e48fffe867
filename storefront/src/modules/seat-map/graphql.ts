import { gql } from "@apollo/client";
import { gql as text } from "../../shared/graphql-text";

/**
 * The whole venue in one compact read: per section, parallel lists (rows, numbers, positions) and one
 * character per seat for status and features. No seat ids: a seat is named by section, row and
 * number (holdSeats' `seats`, seatStatusChanged's row/number), which keeps the arena's map small
 * (random ids do not compress). Positions come as xSteps/ySteps, tenths of a map unit as the step
 * from the previous seat (SeatStore adds them up): 25 KB br for the seeded arena's map where x and y
 * as floats made it 84 KB, and 475 KB with ids. Plain text, sent with the small fetch client
 * (app/graphql-fetch.ts): Apollo would walk every element of every list of the answer, which at 4×
 * slower CPU cost the first frame more than half a second.
 */
export const SEAT_MAP = text`
  query SeatMap($eventId: ID!) {
    event(id: $eventId) {
      id
      seatMap {
        sectionId
        rows
        numbers
        xSteps
        ySteps
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
