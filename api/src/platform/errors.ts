/**
 * Errors of the partner contract. Expected business failures are returned as values (`Result`) and
 * become `UserError`s in payloads; outages and bugs throw and reach clients as a GraphQL error with an
 * `extensions.code` and no stack trace.
 */
export const ERROR_CODES = [
  "VALIDATION",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "EMAIL_TAKEN",
  "INVALID_CREDENTIALS",
  "NOT_ON_SALE",
  "NOT_ADMITTED",
  "SEAT_UNAVAILABLE",
  "LIMIT_EXCEEDED",
  "HOLD_EXPIRED",
  "PAYMENT_DECLINED",
  "PAYMENT_UNAVAILABLE",
  "RATE_LIMITED",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface DomainError<C extends ErrorCode = ErrorCode> {
  code: C;
  message: string;
  field?: string;
  /** RATE_LIMITED: when to try again. */
  retryAfterSeconds?: number;
}

export type Result<T, C extends ErrorCode = ErrorCode> = { ok: true; value: T } | { ok: false; error: DomainError<C> };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export function fail<C extends ErrorCode>(code: C, message: string, field?: string): { ok: false; error: DomainError<C> } {
  return { ok: false, error: field === undefined ? { code, message } : { code, message, field } };
}

/** Thrown for failures that are not part of a mutation's payload (queries, auth on the transport). */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
