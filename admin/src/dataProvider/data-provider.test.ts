/**
 * The data provider as a pure module: what GraphQL it would send for each react-admin call, and how it
 * maps answers and failures. A recording transport stands in for fetch; every document is also
 * validated against the committed api/schema.graphql.
 */
import { readFileSync } from "node:fs";
import { buildSchema, parse, validate } from "graphql";
import { HttpError } from "ra-core";
import { describe, expect, it } from "vitest";
import { createAuthProvider, FAN_REFUSED_MESSAGE } from "../auth/auth-provider";
import { createDataProvider } from "./data-provider";
import { readGraphQLResponse, type GraphQLRequest } from "./graphql-client";

function recorder(...answers: Record<string, unknown>[]) {
  const requests: GraphQLRequest[] = [];
  const transport = async (request: GraphQLRequest) => {
    requests.push(request);
    const answer = answers.shift();
    if (!answer) throw new Error("no answer queued");
    return answer;
  };
  return { requests, transport };
}

const rootField = (query: string) => /\{\s*(\w+)/.exec(query)![1];

describe("lists", () => {
  it("sends adminEvents with a 1-based page, the sort and the non-empty filters, and maps items and total", async () => {
    const { requests, transport } = recorder({ adminEvents: { items: [{ id: "e1", name: "Gig", venue: { id: "v1", name: "Hall" } }], total: 31 } });
    const result = await createDataProvider(transport).getList("events", {
      pagination: { page: 2, perPage: 10 },
      sort: { field: "startsAt", order: "DESC" },
      filter: { q: "gig", status: "ON_SALE", category: "" },
    });
    expect(rootField(requests[0]!.query)).toBe("adminEvents");
    expect(requests[0]!.query).toContain("$filter: AdminEventFilter");
    expect(requests[0]!.variables).toEqual({ page: 2, perPage: 10, sortField: "startsAt", sortOrder: "DESC", filter: { q: "gig", status: "ON_SALE" } });
    expect(result).toEqual({ data: [{ id: "e1", name: "Gig", venue: { id: "v1", name: "Hall" }, venueId: "v1" }], total: 31 });
  });

  it("caps perPage at 100 and sends no filter when none is set", async () => {
    const { requests, transport } = recorder({ adminVenues: { items: [], total: 0 } });
    await createDataProvider(transport).getList("venues", { pagination: { page: 1, perPage: 500 }, sort: { field: "name", order: "ASC" }, filter: {} });
    expect(requests[0]!.variables).toEqual({ page: 1, perPage: 100, sortField: "name", sortOrder: "ASC", filter: undefined });
  });

  it("getMany asks the list for { ids }, 100 ids per request", async () => {
    const ids = Array.from({ length: 150 }, (_, index) => `v${index}`);
    const { requests, transport } = recorder(
      { adminVenues: { items: ids.slice(0, 100).map((id) => ({ id })), total: 100 } },
      { adminVenues: { items: ids.slice(100).map((id) => ({ id })), total: 50 } },
    );
    const { data } = await createDataProvider(transport).getMany("venues", { ids });
    expect(requests.map((request) => request.variables)).toEqual([
      { page: 1, perPage: 100, filter: { ids: ids.slice(0, 100) }, sortField: undefined, sortOrder: undefined },
      { page: 1, perPage: 50, filter: { ids: ids.slice(100) }, sortField: undefined, sortOrder: undefined },
    ]);
    expect(data.map((record) => record.id)).toEqual(ids);
  });

  it("the audit log is sent without sort arguments (it is newest first by definition)", async () => {
    const { requests, transport } = recorder({ adminAuditLog: { items: [{ id: "a1", action: "event.create" }], total: 1 } });
    const result = await createDataProvider(transport).getList("audit", { pagination: { page: 1, perPage: 50 }, sort: { field: "createdAt", order: "DESC" }, filter: { entityType: "event" } });
    expect(requests[0]!.query).not.toContain("sortField");
    expect(requests[0]!.variables).toEqual({ page: 1, perPage: 50, filter: { entityType: "event" } });
    expect(result).toEqual({ data: [{ id: "a1", action: "event.create" }], total: 1 });
  });

  it("getManyReference filters the list on the target", async () => {
    const { requests, transport } = recorder({ adminEvents: { items: [], total: 0 } });
    await createDataProvider(transport).getManyReference("events", {
      target: "venueId",
      id: "v1",
      pagination: { page: 1, perPage: 5 },
      sort: { field: "startsAt", order: "ASC" },
      filter: {},
    });
    expect(requests[0]!.variables.filter).toEqual({ venueId: "v1" });
  });
});

describe("records", () => {
  it("getOne sends adminEvent(id) and a missing record is a 404-like failure", async () => {
    const { requests, transport } = recorder({ adminEvent: { id: "e1", venue: { id: "v1" } } }, { adminEvent: null });
    const provider = createDataProvider(transport);
    expect((await provider.getOne("events", { id: "e1" })).data).toEqual({ id: "e1", venue: { id: "v1" }, venueId: "v1" });
    expect(rootField(requests[0]!.query)).toBe("adminEvent");
    expect(requests[0]!.variables).toEqual({ id: "e1" });
    await expect(provider.getOne("events", { id: "gone" })).rejects.toMatchObject({ status: 400, message: "Not found" });
  });

  it("update sends the id and only the changed, editable fields (blank becomes null)", async () => {
    const { requests, transport } = recorder({ updateEvent: { event: { id: "e1", name: "New", venue: { id: "v2" } }, errors: [] } });
    const previous = { id: "e1", name: "Old", artist: "A", description: "x", venueId: "v1", status: "DRAFT", sections: [], venue: { id: "v1" } };
    const { data } = await createDataProvider(transport).update("events", {
      id: "e1",
      data: { ...previous, name: "New", description: "", venueId: "v2", status: "ON_SALE", sections: [{}] },
      previousData: previous,
    });
    expect(rootField(requests[0]!.query)).toBe("updateEvent");
    expect(requests[0]!.query).toContain("$input: UpdateEventInput!");
    expect(requests[0]!.variables).toEqual({ input: { id: "e1", name: "New", description: null, venueId: "v2" } });
    expect(data).toEqual({ id: "e1", name: "New", venue: { id: "v2" }, venueId: "v2" });
  });

  it("create sends the filled-in fields as the input", async () => {
    const { requests, transport } = recorder({ createVenue: { venue: { id: "v9", name: "Hall" }, errors: [] } });
    const { data } = await createDataProvider(transport).create("venues", { data: { name: "Hall", city: "Chicago", address: "", latitude: undefined } });
    expect(requests[0]!.variables).toEqual({ input: { name: "Hall", city: "Chicago" } });
    expect(data).toEqual({ id: "v9", name: "Hall" });
  });

  it("an account's update sends only the fields its input takes: a moved promoter's organizationId, never the computed ones", async () => {
    const { requests, transport } = recorder({ updateUserAccount: { user: { id: "u1", organizationId: "o2" }, errors: [] } });
    const previous = { id: "u1", email: "pat@example.test", name: "Pat", role: "PROMOTER", organizationId: "o1", organizationName: "One", disabled: false, disabledAt: null };
    await createDataProvider(transport).update("users", {
      id: "u1",
      data: { ...previous, organizationId: "o2", organizationName: "Two", email: "changed@example.test", disabled: true },
      previousData: previous,
    });
    expect(requests[0]!.variables).toEqual({ input: { id: "u1", organizationId: "o2", disabled: true } });
  });

  it("delete sends deleteVenue(id)", async () => {
    const { requests, transport } = recorder({ deleteVenue: { id: "v1", errors: [] } });
    await createDataProvider(transport).delete("venues", { id: "v1", previousData: { id: "v1" } });
    expect(rootField(requests[0]!.query)).toBe("deleteVenue");
    expect(requests[0]!.variables).toEqual({ id: "v1" });
  });
});

describe("failures", () => {
  it("turns UserErrors into an HttpError(400) whose body maps each field to its message", async () => {
    const { transport } = recorder({
      createEvent: {
        event: null,
        errors: [
          { code: "VALIDATION", message: "Starts before the on-sale", field: "input.startsAt" },
          { code: "VALIDATION", message: "Name is required", field: "name" },
        ],
      },
    });
    const failure = await createDataProvider(transport)
      .create("events", { data: { name: "" } })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HttpError);
    expect(failure).toMatchObject({
      status: 400,
      message: "Starts before the on-sale",
      body: { code: "VALIDATION", errors: { startsAt: "Starts before the on-sale", name: "Name is required", root: { serverError: "Starts before the on-sale" } } },
    });
  });

  it("a UserError without a field still reaches the form as its root error", async () => {
    const { transport } = recorder({ deleteVenue: { id: null, errors: [{ code: "FORBIDDEN", message: "Events still use this venue", field: null }] } });
    const failure = await createDataProvider(transport).delete("venues", { id: "v1" }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 400, message: "Events still use this venue", body: { errors: { root: { serverError: "Events still use this venue" } } } });
  });

  it("maps GraphQL error codes to HTTP statuses (UNAUTHENTICATED 401, FORBIDDEN 403, others 500)", () => {
    const attempt = (code?: string) => {
      try {
        readGraphQLResponse({ errors: [{ message: "no", extensions: code ? { code } : {} }] });
      } catch (error) {
        return (error as HttpError).status;
      }
    };
    expect([attempt("UNAUTHENTICATED"), attempt("FORBIDDEN"), attempt("INTERNAL_SERVER_ERROR"), attempt()]).toEqual([401, 403, 500, 500]);
  });
});

describe("console actions", () => {
  const section = { section: { id: "s1" }, dynamicPricing: true };

  it("transitionEvent sends { id, to } and answers the event", async () => {
    const { requests, transport } = recorder({ transitionEvent: { event: { id: "e1", status: "SCHEDULED", venue: { id: "v1" } }, errors: [] } });
    const event = await createDataProvider(transport).transitionEvent("e1", "SCHEDULED");
    expect(requests[0]!.query).toContain("$input: TransitionEventInput!");
    expect(requests[0]!.variables).toEqual({ input: { id: "e1", to: "SCHEDULED" } });
    expect(event).toMatchObject({ id: "e1", status: "SCHEDULED", venueId: "v1" });
  });

  it("pricing mutations send their arguments as the schema declares them", async () => {
    const { requests, transport } = recorder(
      { updateSectionPricing: { eventSection: section, errors: [] } },
      { setSectionPricingPaused: { eventSection: section, errors: [] } },
      { overrideSectionPrice: { eventSection: section, errors: [] } },
      { clearSectionPriceOverride: { eventSection: section, errors: [] } },
    );
    const provider = createDataProvider(transport);
    await provider.updateSectionPricing({ eventId: "e1", sectionId: "s1", floorMinor: 4000, ceilingMinor: 9000, maxStepPercent: 5 });
    await provider.setSectionPricingPaused("e1", "s1", true);
    expect(await provider.overrideSectionPrice({ eventId: "e1", sectionId: "s1", priceMinor: 5500, reason: "Sponsor night" })).toEqual(section);
    await provider.clearSectionPriceOverride("e1", "s1");
    expect(requests.map((request) => [rootField(request.query), request.variables])).toEqual([
      ["updateSectionPricing", { input: { eventId: "e1", sectionId: "s1", floorMinor: 4000, ceilingMinor: 9000, maxStepPercent: 5 } }],
      ["setSectionPricingPaused", { eventId: "e1", sectionId: "s1", paused: true }],
      ["overrideSectionPrice", { input: { eventId: "e1", sectionId: "s1", priceMinor: 5500, reason: "Sponsor night" } }],
      ["clearSectionPriceOverride", { eventId: "e1", sectionId: "s1" }],
    ]);
  });

  it("a pricing UserError rejects with the API's message", async () => {
    const { transport } = recorder({ overrideSectionPrice: { eventSection: null, errors: [{ code: "VALIDATION", message: "Above the ceiling", field: "priceMinor" }] } });
    await expect(createDataProvider(transport).overrideSectionPrice({ eventId: "e1", sectionId: "s1", priceMinor: 1, reason: "x" })).rejects.toMatchObject({
      status: 400,
      message: "Above the ceiling",
      body: { errors: { priceMinor: "Above the ceiling" } },
    });
  });
});

describe("seat map and event pacing", () => {
  it("an event's pacing fields go to updateEventPricing after the settings, and its errors come back under the form's field names", async () => {
    const event = { id: "e1", venue: { id: "v1" }, name: "Gig" };
    const { requests, transport } = recorder(
      { updateEvent: { event: { ...event, name: "Gig 2" }, errors: [] } },
      { updateEventPricing: { event: { id: "e1" }, errors: [] } },
      { adminEvent: { ...event, name: "Gig 2", pricingCurve: "LINEAR" } },
      { updateEventPricing: { event: null, errors: [{ code: "VALIDATION", message: "sellOutBy must be after the on-sale", field: "sellOutBy" }, { code: "VALIDATION", message: "too long", field: "freezeMinutes" }] } },
    );
    const provider = createDataProvider(transport);
    const previousData = { ...event, pricingCurve: "FRONT_LOADED", pricingFreezeMinutes: 60 };
    const { data } = await provider.update("events", { id: "e1", data: { ...previousData, name: "Gig 2", pricingCurve: "LINEAR" }, previousData });
    expect(requests.map((request) => [rootField(request.query), request.variables])).toEqual([
      ["updateEvent", { input: { id: "e1", name: "Gig 2" } }],
      ["updateEventPricing", { input: { eventId: "e1", curve: "LINEAR" } }],
      ["adminEvent", { id: "e1" }],
    ]);
    expect(data).toMatchObject({ name: "Gig 2", pricingCurve: "LINEAR", venueId: "v1" });
    // Only pacing changed: no updateEvent at all.
    await expect(provider.update("events", { id: "e1", data: { ...previousData, pricingFreezeMinutes: 99999, sellOutBy: "2027-01-01T00:00:00.000Z" }, previousData })).rejects.toMatchObject({
      body: { errors: { sellOutBy: "sellOutBy must be after the on-sale", pricingFreezeMinutes: "too long" } },
    });
    expect(rootField(requests[3]!.query)).toBe("updateEventPricing");
    expect(requests).toHaveLength(4);
  });

  it("seat edits, venue seats, cities and an event's seat map send what the schema declares", async () => {
    const seat = { id: "t1", sectionId: "s1", row: "A", number: 1, x: 0, y: 0, accessible: true, restrictedView: false };
    const { requests, transport } = recorder(
      { adminVenueSeats: [seat] },
      { updateSeat: { seat, errors: [] } },
      { deleteSeats: { deleted: 0, errors: [{ code: "VALIDATION", message: "1 seat is sold or held for an event (e.g. row A seat 1); they cannot be removed", field: "seatIds" }] } },
      { cities: [{ name: "Chicago", country: "US", timezone: "America/Chicago", location: { lat: 41.88, lon: -87.63 } }] },
      { adminEvent: { id: "e1", seatMap: [{ sectionId: "s1", seatIds: ["t1"], rows: ["A"], numbers: [1], x: [0], y: [0], statuses: "B" }] } },
    );
    const provider = createDataProvider(transport);
    expect(await provider.venueSeats("v1")).toEqual([seat]);
    expect(await provider.updateSeat({ id: "t1", accessible: true })).toEqual(seat);
    await expect(provider.deleteSeats({ sectionId: "s1", seatIds: ["t1"] })).rejects.toMatchObject({ status: 400, message: expect.stringContaining("cannot be removed") });
    expect((await provider.cities())[0]!.timezone).toBe("America/Chicago");
    expect((await provider.eventSeatMap("e1"))[0]!.statuses).toBe("B");
    expect(requests.map((request) => [rootField(request.query), request.variables])).toEqual([
      ["adminVenueSeats", { venueId: "v1" }],
      ["updateSeat", { input: { id: "t1", accessible: true } }],
      ["deleteSeats", { input: { sectionId: "s1", seatIds: ["t1"] } }],
      ["cities", {}],
      ["adminEvent", { id: "e1" }],
    ]);
  });
});

describe("authProvider", () => {
  const storage = new Map<string, string>();
  Object.assign(globalThis, {
    localStorage: {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
      removeItem: (key: string) => void storage.delete(key),
    },
  });

  it("signs a promoter in through login and keeps the token; a 401 later signs them out", async () => {
    storage.clear();
    const user = { id: "u1", name: "Pat Promoter", email: "promoter@boxoffice.test", role: "PROMOTER" };
    const { requests, transport } = recorder({ login: { token: "t0ken", user, errors: [] } });
    const auth = createAuthProvider(transport);
    await auth.login({ username: "promoter@boxoffice.test", password: "pw" });
    expect(requests[0]!.variables).toEqual({ input: { email: "promoter@boxoffice.test", password: "pw" } });
    expect(storage.get("boxoffice.admin.token")).toBe("t0ken");
    expect(await auth.getIdentity!()).toEqual({ id: "u1", fullName: "Pat Promoter", email: "promoter@boxoffice.test", role: "PROMOTER" });
    await expect(auth.checkError({ status: 403 })).resolves.toBeUndefined();
    await expect(auth.checkError({ status: 401 })).rejects.toThrow();
    expect(storage.has("boxoffice.admin.token")).toBe(false);
  });

  it("refuses a fan with a clear message and keeps nothing", async () => {
    storage.clear();
    const { transport } = recorder({ login: { token: "fan-token", user: { id: "u2", name: "Fan", email: "fan@x", role: "FAN" }, errors: [] } });
    await expect(createAuthProvider(transport).login({ username: "fan@x", password: "pw" })).rejects.toThrow(FAN_REFUSED_MESSAGE);
    expect(storage.size).toBe(0);
  });

  it("shows the API's message for wrong credentials", async () => {
    storage.clear();
    const { transport } = recorder({ login: { token: null, user: null, errors: [{ code: "INVALID_CREDENTIALS", message: "Wrong email or password", field: null }] } });
    await expect(createAuthProvider(transport).login({ username: "a@b", password: "no" })).rejects.toThrow("Wrong email or password");
  });
});

describe("documents against api/schema.graphql", async () => {
  const schema = buildSchema(readFileSync(new URL("../../../api/schema.graphql", import.meta.url), "utf8"));
  const {
    listDocument,
    oneDocument,
    inputMutationDocument,
    deleteDocument,
    RESOURCES,
    PRICING_DOCUMENTS,
    EVENT_DOCUMENTS,
    SECTION_DOCUMENTS,
    SEAT_MAP_DOCUMENTS,
    SET_SEATS_BLOCKED_DOCUMENT,
    CITIES_DOCUMENT,
    EVENT_SEAT_MAP_DOCUMENT,
    UPDATE_EVENT_PRICING_DOCUMENT,
    LOGIN_DOCUMENT,
    VIEWER_DOCUMENT,
  } = await import("./operations");
  const documents: [string, string][] = [["login", LOGIN_DOCUMENT], ["viewer", VIEWER_DOCUMENT]];
  for (const operations of Object.values(RESOURCES)) {
    documents.push([operations.list, listDocument(operations)]);
    if (operations.one) documents.push([operations.one, oneDocument({ ...operations, one: operations.one })]);
    for (const mutation of [operations.create, operations.update]) if (mutation) documents.push([mutation.field, inputMutationDocument(mutation.field, mutation.inputType, mutation.payloadField, operations.fields)]);
    if (operations.delete) documents.push([operations.delete.field, deleteDocument(operations.delete.field)]);
  }
  for (const group of [PRICING_DOCUMENTS, EVENT_DOCUMENTS, SECTION_DOCUMENTS, SEAT_MAP_DOCUMENTS]) documents.push(...Object.entries(group));
  documents.push(["setSeatsBlocked", SET_SEATS_BLOCKED_DOCUMENT], ["cities", CITIES_DOCUMENT], ["adminEvent", EVENT_SEAT_MAP_DOCUMENT], ["updateEventPricing", UPDATE_EVENT_PRICING_DOCUMENT]);
  const exists = (field: string) => Boolean(schema.getQueryType()?.getFields()[field] ?? schema.getMutationType()?.getFields()[field]);

  for (const [field, document] of documents) {
    it.skipIf(!exists(field))(`${field} is valid`, () => {
      expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
    });
  }
});
