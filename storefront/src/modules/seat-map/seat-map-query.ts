import { gql } from "../../shared/graphql-text";

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
export const SEAT_MAP = gql`
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
