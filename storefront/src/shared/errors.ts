/**
 * What a fan is told for each contract error code. Messages say what happened and what to do next;
 * the server's own message is kept only where it names specifics (which seats, which field).
 */
import { formatWait } from "./format";

export interface UserError {
  code: string;
  message: string;
  field?: string | null;
  retryAfterSeconds?: number | null;
}

export const PRESALE_CODE_REFUSED =
  "That presale code isn't valid for this event, or it has already been used. Check the code and try again, or join the general queue without a code.";

export function describeError(error: UserError): string {
  switch (error.code) {
    case "SEAT_UNAVAILABLE":
      return `Sorry, another fan got there first (${error.message}). The map now shows what changed: pick other seats or try best available.`;
    case "HOLD_EXPIRED":
      return "Your hold expired and the seats went back on sale. Pick your seats again.";
    case "PAYMENT_DECLINED":
      // The API's text is the card network's reason (insufficient funds, expired card...) followed by
      // what happens to the seats: both are for the fan.
      return error.message.trim() ? `${error.message.trim()} Nothing was charged.` : "Your card was declined. Nothing was charged: try another card.";
    case "PAYMENT_UNAVAILABLE":
      return "We could not reach the payment provider. Nothing was charged: please try again in a moment.";
    case "SERVICE_UNAVAILABLE":
      return "We’re very busy right now and could not finish this. Nothing was lost: please try again in a moment.";
    case "RATE_LIMITED":
      return `Too many attempts. Please wait ${formatWait(error.retryAfterSeconds ?? 10)} and try again.`;
    case "LIMIT_EXCEEDED":
      // With a field it is the per-fan ticket limit (its numbers help); without, the fan already holds
      // seats for this event (the API's text names a timestamp and an id, not for fans' eyes).
      return error.field ? `${error.message}.` : "You already hold seats for this event: pay for them or release them first.";
    case "NOT_ADMITTED":
      return "Your turn in the waiting room has ended or not started yet. Rejoin the queue to continue.";
    case "NOT_ON_SALE":
      return "Tickets for this event are not on sale right now.";
    case "VALIDATION":
      // A presale code the API refused (unknown, used up, or empty): the same words whatever the reason,
      // so a guessed code learns nothing, and the fan knows the way on.
      if (error.field === "accessCode") return PRESALE_CODE_REFUSED;
      return error.message;
    case "UNAUTHENTICATED":
      return "Please sign in first.";
    case "INVALID_CREDENTIALS":
      return "That email and password do not match an account.";
    case "EMAIL_TAKEN":
      return "An account with this email already exists. Sign in instead.";
    default:
      return error.message;
  }
}

const UNEXPECTED_RESPONSE = "Boxoffice sent an answer we could not read. Please try again in a moment.";

/** Errors of a failed request (network down, server error) as one readable line. */
export function describeFailure(error: unknown): string {
  // Still unavailable after the retries (app/outage-retry.ts): say so in words, not the server's.
  const errors = error && typeof error === "object" && "errors" in error ? (error as { errors: unknown }).errors : null;
  if (Array.isArray(errors) && errors.some((item: { extensions?: { code?: unknown } }) => item?.extensions?.code === "SERVICE_UNAVAILABLE")) {
    return describeError({ code: "SERVICE_UNAVAILABLE", message: "" });
  }
  // An answer that was not GraphQL (app/graphql-fetch.ts), or one Apollo could not parse: never the parser's words.
  if (Array.isArray(errors) && errors.some((item: { extensions?: { code?: unknown } }) => item?.extensions?.code === "UNEXPECTED_RESPONSE")) {
    return UNEXPECTED_RESPONSE;
  }
  if (error && typeof error === "object" && "message" in error) {
    const message = String((error as { message: unknown }).message);
    if ((error as { name?: unknown }).name === "ServerParseError" || /Unexpected token|is not valid JSON|JSON\.parse/.test(message)) return UNEXPECTED_RESPONSE;
    if (/fetch|network/i.test(message)) return "We could not reach Boxoffice. Check your connection and try again.";
    return message;
  }
  return "Something went wrong. Please try again.";
}
