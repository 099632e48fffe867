import { gql } from "@apollo/client";

/** Every mutation's `errors` (the contract's UserError), selected the same way everywhere. */
export const USER_ERROR_FIELDS = gql`
  fragment UserErrorFields on UserError {
    code
    field
    message
    retryAfterSeconds
  }
`;

/** An event as a purchase refers to it: name, start and where (its zone formats the date). */
export const EVENT_SUMMARY_FIELDS = gql`
  fragment EventSummaryFields on Event {
    id
    name
    startsAt
    venue {
      id
      name
      city
      timezone
    }
  }
`;
