/** The order actions' documents are valid against api/schema.graphql (the list and show are checked with RESOURCES in data-provider.test.ts). */
import { readFileSync } from "node:fs";
import { buildSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { ORDER_DOCUMENTS } from "../dataProvider/operations";
import { createOrderActions } from "./orders-api";

const schema = buildSchema(readFileSync(new URL("../../../api/schema.graphql", import.meta.url), "utf8"));

describe("order documents against api/schema.graphql", () => {
  for (const [field, document] of Object.entries(ORDER_DOCUMENTS)) {
    it(`${field} is valid`, () => {
      expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
    });
  }
});

describe("order actions", () => {
  it("send their variables as the schema declares them and reject with the API's message", async () => {
    const sent: { query: string; variables: Record<string, unknown> }[] = [];
    const actions = createOrderActions(async (request) => {
      sent.push(request);
      if (request.query.includes("adminRefundOrder")) return { adminRefundOrder: { order: null, errors: [{ code: "VALIDATION", message: "the event has started", field: "id" }] } };
      return { createEventExportLink: { url: "/admin/exports/events/e/orders.csv?token=t", expiresAt: "2026-12-02T12:00:00.000Z", errors: [] } };
    });
    await expect(actions.refund("o", "Why")).rejects.toThrow("the event has started");
    expect(await actions.exportLink("e", "ORDERS")).toEqual({ url: "/admin/exports/events/e/orders.csv?token=t", expiresAt: "2026-12-02T12:00:00.000Z" });
    expect(sent.map((request) => request.variables)).toEqual([{ input: { id: "o", reason: "Why" } }, { input: { eventId: "e", kind: "ORDERS" } }]);
  });
});
