import { gql } from "@apollo/client";
import { USER_ERROR_FIELDS } from "../../shared/fragments";
import type { UserError } from "../../shared/errors";

export const QUEUE_TICKET_FIELDS = gql`
  fragment QueueTicketFields on QueueTicket {
    queueToken
    status
    phase
    position
    estimatedWaitSeconds
    outlook
    presale
    admissionToken
    admissionExpiresAt
  }
`;

export const JOIN_WAITING_ROOM = gql`
  mutation JoinWaitingRoom($eventId: ID!, $accessCode: String) {
    joinWaitingRoom(eventId: $eventId, accessCode: $accessCode) {
      ticket {
        ...QueueTicketFields
      }
      errors {
        ...UserErrorFields
      }
    }
  }
  ${QUEUE_TICKET_FIELDS}
  ${USER_ERROR_FIELDS}
`;

export const LEAVE_WAITING_ROOM = gql`
  mutation LeaveWaitingRoom($eventId: ID!, $queueToken: String!) {
    leaveWaitingRoom(eventId: $eventId, queueToken: $queueToken) {
      ok
      errors {
        ...UserErrorFields
      }
    }
  }
  ${USER_ERROR_FIELDS}
`;

export const QUEUE_STATUS = gql`
  query QueueStatus($eventId: ID!, $queueToken: String!) {
    queueStatus(eventId: $eventId, queueToken: $queueToken) {
      ...QueueTicketFields
    }
  }
  ${QUEUE_TICKET_FIELDS}
`;

export const QUEUE_POSITION_CHANGED = gql`
  subscription QueuePositionChanged($eventId: ID!, $queueToken: String!) {
    queuePositionChanged(eventId: $eventId, queueToken: $queueToken) {
      ...QueueTicketFields
    }
  }
  ${QUEUE_TICKET_FIELDS}
`;

export interface QueueTicket {
  queueToken: string;
  status: "WAITING" | "ADMITTED" | "EXPIRED" | "LEFT";
  phase: string;
  position: number | null;
  estimatedWaitSeconds: number | null;
  outlook: "LIKELY" | "UNLIKELY" | "SOLD_OUT";
  presale: boolean;
  admissionToken: string | null;
  admissionExpiresAt: string | null;
}

export interface JoinPayload {
  ticket: QueueTicket | null;
  errors: UserError[];
}
