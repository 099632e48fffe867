/**
 * POST /graphql on the console's own origin (the Vite server forwards it to the API) with the bearer
 * token. GraphQL errors become react-admin HttpErrors so its auth and notification machinery sees them:
 * UNAUTHENTICATED → 401 (authProvider.checkError signs out), FORBIDDEN → 403, anything else → 500.
 * Expected business failures (a payload's `errors: [UserError]`) are mapped by userErrorsToHttpError.
 */
import { HttpError } from "ra-core";

export interface GraphQLRequest {
  query: string;
  variables: Record<string, unknown>;
}

export interface UserError {
  code: string;
  message: string;
  field?: string | null;
}

export type GraphQLTransport = (request: GraphQLRequest) => Promise<Record<string, unknown>>;

interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const STATUS_BY_CODE: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400, GRAPHQL_VALIDATION_FAILED: 400 };

/** Turns a GraphQL response body into its data, or throws an HttpError carrying the first error's code. */
export function readGraphQLResponse(body: GraphQLResponse, httpStatus = 200): Record<string, unknown> {
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? "INTERNAL_SERVER_ERROR";
    throw new HttpError(first.message, STATUS_BY_CODE[code] ?? 500, { code, errors: undefined });
  }
  if (!body.data) throw new HttpError(`The API answered ${httpStatus} without data`, httpStatus >= 400 ? httpStatus : 502);
  return body.data;
}

/**
 * A payload's non-empty `errors` as react-admin expects a server-side validation failure: the first
 * message for the notification, and `body.errors` mapping each input field to its message so the form
 * shows it under that input (`root.serverError` when no field is named). Field paths may be given
 * relative to the mutation's `input` ("input.name" and "name" both mean the "name" input).
 */
export function userErrorsToHttpError(errors: UserError[]): HttpError {
  const byField: Record<string, unknown> = {};
  for (const error of errors) {
    const field = error.field?.replace(/^input\./, "");
    if (field && !(field in byField)) byField[field] = error.message;
  }
  byField.root = { serverError: errors[0]!.message };
  return new HttpError(errors[0]!.message, 400, { code: errors[0]!.code, errors: byField });
}

/** The browser transport: fetch with the current token. */
export function fetchTransport(getToken: () => string | null, url = "/graphql"): GraphQLTransport {
  return async (request) => {
    const token = getToken();
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(request),
      });
    } catch {
      throw new HttpError("The API cannot be reached; check your connection and try again.", 503);
    }
    let body: GraphQLResponse;
    try {
      body = (await response.json()) as GraphQLResponse;
    } catch {
      throw new HttpError(`The API answered ${response.status} ${response.statusText}`, response.status >= 400 ? response.status : 502);
    }
    return readGraphQLResponse(body, response.status);
  };
}
