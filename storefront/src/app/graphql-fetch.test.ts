/**
 * The home page's fetch client when what comes back is not a GraphQL answer: a proxy's HTML error page
 * while the API restarts must reach the fan as words, never as "Unexpected token '<'".
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { describeFailure } from "../shared/errors";
import type { RetryPolicy } from "./backoff";

const NO_RETRIES: RetryPolicy = { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, random: () => 0 };
let fetchGraphQL: typeof import("./graphql-fetch").fetchGraphQL;

beforeAll(async () => {
  // session.ts listens for other tabs' sign-ins on `window`; Node has none.
  vi.stubGlobal("window", new EventTarget());
  ({ fetchGraphQL } = await import("./graphql-fetch"));
});
afterEach(() => vi.unstubAllGlobals());

const answering = (...responses: (() => Response)[]) => {
  const fetch = vi.fn(async () => (responses.length > 1 ? responses.shift()! : responses[0]!)());
  vi.stubGlobal("fetch", fetch);
  return fetch;
};
const html = (status: number) => () => new Response("<html><body>Bad gateway</body></html>", { status, headers: { "content-type": "text/html" } });

describe("fetchGraphQL", () => {
  it("turns a proxy's HTML 502 into SERVICE_UNAVAILABLE, retried like the API's own, and described in words", async () => {
    const fetch = answering(html(502), () => Response.json({ data: { ok: true } }));
    await expect(fetchGraphQL("{ ok }", {}, { policy: { ...NO_RETRIES, maxRetries: 1 } })).resolves.toEqual({ ok: true });
    expect(fetch).toHaveBeenCalledTimes(2);

    answering(html(502));
    const failure = await fetchGraphQL("{ ok }", {}, { policy: NO_RETRIES }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: "GraphQLRequestError", errors: [{ extensions: { code: "SERVICE_UNAVAILABLE" } }] });
    expect(describeFailure(failure)).toBe("We’re very busy right now and could not finish this. Nothing was lost: please try again in a moment.");
  });

  it("turns any other answer that is not GraphQL into UNEXPECTED_RESPONSE, not retried, described in words", async () => {
    const fetch = answering(html(404));
    const failure = await fetchGraphQL("{ ok }", {}, { policy: { ...NO_RETRIES, maxRetries: 3 } }).catch((error: unknown) => error);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(failure).toMatchObject({ name: "GraphQLRequestError", errors: [{ extensions: { code: "UNEXPECTED_RESPONSE" } }] });
    expect(describeFailure(failure)).toBe("Boxoffice sent an answer we could not read. Please try again in a moment.");
    expect(describeFailure(new SyntaxError("Unexpected token '<', \"<html><bod\"... is not valid JSON"))).toBe("Boxoffice sent an answer we could not read. Please try again in a moment.");
  });
});
