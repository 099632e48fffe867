/**
 * GET /healthz is answered before Express (server.ts, answerHealthy): the same answer as Express's
 * route, which still serves every other spelling of the path, conditional requests and other methods.
 * Express judging the lane's ETag fresh (304) shows the lane computes it exactly as Express does.
 */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../support/test-api.js";

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.stop());

function send(method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(new URL(path, api.url), { method, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("error", reject);
      incoming.on("end", () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

describe("GET /healthz", () => {
  it("answers as Express's route does: body, type, length and an ETag Express itself judges fresh", async () => {
    const lane = await send("GET", "/healthz", { "accept-encoding": "gzip, br" });
    expect(lane.status).toBe(200);
    expect(lane.body).toBe('{"ok":true}');
    expect(lane.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(lane.headers["content-length"]).toBe("11");
    expect(lane.headers["content-encoding"]).toBeUndefined();

    // "/healthz/" is Express's (its router ignores a trailing slash): the same answer, the same tag.
    const viaExpress = await send("GET", "/healthz/");
    expect(viaExpress.status).toBe(200);
    expect(viaExpress.body).toBe(lane.body);
    expect(viaExpress.headers["content-type"]).toBe(lane.headers["content-type"]);
    expect(viaExpress.headers.etag).toBe(lane.headers.etag);

    // A conditional request goes to Express, which answers 304 for the lane's tag.
    const conditional = await send("GET", "/healthz", { "if-none-match": lane.headers.etag! });
    expect(conditional.status).toBe(304);
    expect(conditional.body).toBe("");
  });

  it("answers HEAD with the headers alone, and leaves other methods to Express (404)", async () => {
    const head = await send("HEAD", "/healthz");
    expect(head.status).toBe(200);
    expect(head.headers["content-length"]).toBe("11");
    expect(head.body).toBe("");

    const post = await send("POST", "/healthz");
    expect(post.status).toBe(404);
  });
});
