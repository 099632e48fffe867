/**
 * Our react-admin data provider: each react-admin call becomes one of our admin GraphQL operations
 * (operations.ts), sent through a transport (fetch in the browser, a recorder in tests). Records keep
 * the API's shape; events also get `venueId` (from `venue.id`) so forms can edit it as a plain input.
 * Updates send only the fields that changed. Beyond react-admin's methods it offers the console's own
 * actions (lifecycle, pricing, sections), for useDataProvider().
 */
import type { DataProvider, GetListParams, Identifier, RaRecord } from "ra-core";
import { userErrorsToHttpError, type GraphQLTransport, type UserError } from "./graphql-client";
import {
  CITIES_DOCUMENT,
  EVENT_DOCUMENTS,
  EVENT_SEAT_MAP_DOCUMENT,
  PRICING_DOCUMENTS,
  READ_ONLY_FIELDS,
  RESOURCES,
  SEAT_MAP_DOCUMENTS,
  SECTION_DOCUMENTS,
  SET_SEATS_BLOCKED_DOCUMENT,
  UPDATE_EVENT_PRICING_DOCUMENT,
  deleteDocument,
  inputMutationDocument,
  listDocument,
  oneDocument,
  type ResourceOperations,
} from "./operations";

/** Largest page the API serves. */
export const MAX_PER_PAGE = 100;

type AnyRecord = Record<string, unknown> & RaRecord;

interface Payload {
  errors?: UserError[];
  [field: string]: unknown;
}

export interface SectionPricingInput {
  eventId: Identifier;
  sectionId: Identifier;
  dynamicPricing?: boolean;
  floorMinor?: number;
  ceilingMinor?: number;
  maxStepPercent?: number;
}

/** A seat as the seat-map editor draws and edits it (adminVenueSeats). */
export interface VenueSeat {
  id: string;
  sectionId: string;
  row: string;
  number: number;
  x: number;
  y: number;
  accessible: boolean;
  restrictedView: boolean;
}

/** A seeded city for the venue form's picker. */
export interface CityChoice {
  name: string;
  country: string;
  timezone: string;
  location: { lat: number; lon: number };
}

/** One seated section of an event's map, column-wise (index i of each list is one seat); statuses one letter per seat. */
export interface SectionSeatMap {
  sectionId: string;
  seatIds: string[];
  rows: string[];
  numbers: number[];
  x: number[];
  y: number[];
  statuses: string;
}

/**
 * The event form's pacing fields (AdminEvent) → updateEventPricing's input. They are a separate
 * mutation in the API (public pricing rules with their own freeze); the form edits them with the rest.
 */
const EVENT_PACING_FIELDS: Record<string, string> = { pricingCurve: "curve", pricingFreezeMinutes: "freezeMinutes", sellOutBy: "sellOutBy" };

export interface ConsoleActions {
  transitionEvent(id: Identifier, to: string): Promise<AnyRecord>;
  updateEventSectionPrices(input: Record<string, unknown>): Promise<AnyRecord>;
  setSeatsBlocked(input: { eventId: Identifier; seatIds: Identifier[]; blocked: boolean }): Promise<{ changed: number; refusedSeatIds: string[] }>;
  updateSectionPricing(input: SectionPricingInput): Promise<Record<string, unknown>>;
  setSectionPricingPaused(eventId: Identifier, sectionId: Identifier, paused: boolean): Promise<Record<string, unknown>>;
  overrideSectionPrice(input: { eventId: Identifier; sectionId: Identifier; priceMinor: number; reason: string }): Promise<Record<string, unknown>>;
  clearSectionPriceOverride(eventId: Identifier, sectionId: Identifier): Promise<Record<string, unknown>>;
  createSection(input: Record<string, unknown>): Promise<AnyRecord>;
  updateSection(input: Record<string, unknown>): Promise<AnyRecord>;
  deleteSection(id: Identifier): Promise<void>;
  generateSectionSeats(input: Record<string, unknown>): Promise<AnyRecord>;
  venueSeats(venueId: Identifier): Promise<VenueSeat[]>;
  updateSeat(input: { id: Identifier; accessible?: boolean; restrictedView?: boolean; number?: number }): Promise<VenueSeat>;
  deleteSeats(input: { sectionId: Identifier; seatIds: Identifier[] }): Promise<number>;
  cities(): Promise<CityChoice[]>;
  eventSeatMap(eventId: Identifier): Promise<SectionSeatMap[]>;
}

export type ConsoleDataProvider = DataProvider & ConsoleActions;

function operationsOf(resource: string): ResourceOperations {
  const operations = RESOURCES[resource];
  if (!operations) throw new Error(`Unknown resource "${resource}"`);
  return operations;
}

/** The record as react-admin sees it: events also carry venueId. */
export function toRecord(resource: string, item: Record<string, unknown>): AnyRecord {
  if (resource === "events") {
    const venue = item.venue as { id?: Identifier } | null | undefined;
    return { ...item, venueId: venue?.id } as unknown as AnyRecord;
  }
  return item as AnyRecord;
}

/** Drops what the API does not filter on: empty strings, undefined, empty arrays. */
export function cleanFilter(filter: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!filter) return undefined;
  const entries = Object.entries(filter).filter(([, value]) => value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0));
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** Whether a form field goes into a mutation's input: the resource's own list, or any field the API does not compute. */
const isInput = (field: string, inputFields?: readonly string[]) => (inputFields ? inputFields.includes(field) : !READ_ONLY_FIELDS.has(field));

/** The fields of `data` that differ from `previous`, without the computed ones. */
export function changedFields(data: Record<string, unknown>, previous: Record<string, unknown> | undefined, inputFields?: readonly string[]): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(data)) {
    if (!isInput(field, inputFields) || value === undefined) continue;
    if (previous && JSON.stringify(previous[field]) === JSON.stringify(value)) continue;
    changed[field] = value === "" ? null : value;
  }
  return changed;
}

/** The fields of a new record worth sending: set, and not computed by the API. */
export function createFields(data: Record<string, unknown>, inputFields?: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([field, value]) => isInput(field, inputFields) && value !== undefined && value !== "" && value !== null));
}

export function createDataProvider(transport: GraphQLTransport): ConsoleDataProvider {
  /**
   * Runs a mutation and returns its payload, throwing its UserErrors as a 400 HttpError; `fieldNames`
   * renames the error fields of a mutation whose input names differ from the form's.
   */
  async function mutate(field: string, query: string, variables: Record<string, unknown>, fieldNames: Record<string, string> = {}): Promise<Payload> {
    const data = await transport({ query, variables });
    const payload = data[field] as Payload;
    if (payload.errors?.length) throw userErrorsToHttpError(payload.errors.map((error) => ({ ...error, field: error.field ? (fieldNames[error.field] ?? error.field) : error.field })));
    return payload;
  }

  async function list(resource: string, params: Partial<GetListParams>, fields?: string) {
    const operations = operationsOf(resource);
    const variables: Record<string, unknown> = {
      page: params.pagination?.page ?? 1,
      perPage: Math.min(params.pagination?.perPage ?? 25, MAX_PER_PAGE),
      filter: cleanFilter(params.filter),
    };
    if (operations.sortable !== false) {
      variables.sortField = params.sort?.field;
      variables.sortOrder = params.sort?.order === "ASC" ? "ASC" : params.sort?.order === "DESC" ? "DESC" : undefined;
    }
    const data = await transport({ query: listDocument(operations, fields), variables });
    const answer = data[operations.list] as { items: Record<string, unknown>[]; total: number };
    return { data: answer.items.map((item) => toRecord(resource, item)), total: answer.total };
  }

  async function byIds(resource: string, ids: Identifier[], fields?: string): Promise<AnyRecord[]> {
    const records: AnyRecord[] = [];
    for (let start = 0; start < ids.length; start += MAX_PER_PAGE) {
      const chunk = ids.slice(start, start + MAX_PER_PAGE);
      const { data } = await list(resource, { pagination: { page: 1, perPage: chunk.length }, filter: { ids: chunk } }, fields);
      records.push(...data);
    }
    return records;
  }

  const sectionPricing = (field: keyof typeof PRICING_DOCUMENTS, variables: Record<string, unknown>) =>
    mutate(field, PRICING_DOCUMENTS[field], variables).then((payload) => payload.eventSection as Record<string, unknown>);
  const eventAction = (field: keyof typeof EVENT_DOCUMENTS, input: Record<string, unknown>) =>
    mutate(field, EVENT_DOCUMENTS[field], { input }).then((payload) => toRecord("events", payload.event as Record<string, unknown>));
  const sectionAction = (field: Exclude<keyof typeof SECTION_DOCUMENTS, "deleteSection">, variables: Record<string, unknown>) =>
    mutate(field, SECTION_DOCUMENTS[field], variables).then((payload) => payload.section as AnyRecord);

  return {
    getList: (resource, params) => list(resource, params) as never,

    async getOne(resource, params) {
      const operations = operationsOf(resource);
      if (!operations.one) {
        const [record] = await byIds(resource, [params.id], operations.fields);
        if (!record) throw userErrorsToHttpError([{ code: "NOT_FOUND", message: "Not found" }]);
        return { data: record } as never;
      }
      const data = await transport({ query: oneDocument({ ...operations, one: operations.one }), variables: { id: params.id } });
      const item = data[operations.one] as Record<string, unknown> | null;
      if (!item) throw userErrorsToHttpError([{ code: "NOT_FOUND", message: "Not found" }]);
      return { data: toRecord(resource, item) } as never;
    },

    getMany: async (resource, params) => ({ data: await byIds(resource, params.ids) }) as never,

    getManyReference: (resource, params) =>
      list(resource, { pagination: params.pagination, sort: params.sort, filter: { ...params.filter, [params.target]: params.id } }) as never,

    async create(resource, params) {
      const operations = operationsOf(resource);
      if (!operations.create) throw new Error(`${resource} cannot be created here`);
      const { field, inputType, payloadField } = operations.create;
      const payload = await mutate(field, inputMutationDocument(field, inputType, payloadField, operations.fields), { input: createFields(params.data, operations.create?.inputFields) });
      return { data: toRecord(resource, payload[payloadField] as Record<string, unknown>) } as never;
    },

    async update(resource, params) {
      const operations = operationsOf(resource);
      if (!operations.update) throw new Error(`${resource} cannot be edited`);
      const { field, inputType, payloadField } = operations.update;
      const input: Record<string, unknown> = { id: params.id, ...changedFields(params.data, params.previousData, operations.update?.inputFields) };
      // An event's pacing goes through updateEventPricing, after the settings (sellOutBy is checked against the new times).
      const pacing: Record<string, unknown> = {};
      if (resource === "events") {
        for (const [formField, inputField] of Object.entries(EVENT_PACING_FIELDS)) {
          if (formField in input) pacing[inputField] = input[formField];
          delete input[formField];
        }
      }
      const hasPacing = Object.values(pacing).some((value) => value !== null);
      let record: Record<string, unknown> | null = null;
      if (Object.keys(input).length > 1 || !hasPacing) {
        const payload = await mutate(field, inputMutationDocument(field, inputType, payloadField, operations.fields), { input });
        record = payload[payloadField] as Record<string, unknown>;
      }
      if (hasPacing) {
        const renames = Object.fromEntries(Object.entries(EVENT_PACING_FIELDS).map(([formField, inputField]) => [inputField, formField]));
        await mutate("updateEventPricing", UPDATE_EVENT_PRICING_DOCUMENT, { input: { eventId: params.id, ...pacing } }, renames);
        const data = await transport({ query: oneDocument({ ...operations, one: operations.one! }), variables: { id: params.id } });
        record = data[operations.one!] as Record<string, unknown>;
      }
      return { data: toRecord(resource, record!) } as never;
    },

    async updateMany(resource, params) {
      for (const id of params.ids) await this.update(resource, { id, data: params.data, previousData: { id } });
      return { data: params.ids };
    },

    async delete(resource, params) {
      const operations = operationsOf(resource);
      if (!operations.delete) throw new Error(`${resource} cannot be deleted`);
      const { field } = operations.delete;
      await mutate(field, deleteDocument(field), { id: params.id });
      return { data: params.previousData ?? { id: params.id } } as never;
    },

    async deleteMany(resource, params) {
      for (const id of params.ids) await this.delete(resource, { id });
      return { data: params.ids };
    },

    transitionEvent: (id, to) => eventAction("transitionEvent", { id, to }),
    updateEventSectionPrices: (input) => eventAction("updateEventSectionPrices", input),
    async setSeatsBlocked(input) {
      const data = await transport({ query: SET_SEATS_BLOCKED_DOCUMENT, variables: { input } });
      const payload = data.setSeatsBlocked as Payload;
      if (payload.errors?.length) {
        // The refused (held or sold) seats travel with the error, for the house-seats map to ring them.
        const error = userErrorsToHttpError(payload.errors);
        (error.body as Record<string, unknown>).refusedSeatIds = payload.refusedSeatIds;
        throw error;
      }
      return { changed: payload.changed as number, refusedSeatIds: payload.refusedSeatIds as string[] };
    },
    updateSectionPricing: (input) => sectionPricing("updateSectionPricing", { input }),
    setSectionPricingPaused: (eventId, sectionId, paused) => sectionPricing("setSectionPricingPaused", { eventId, sectionId, paused }),
    overrideSectionPrice: (input) => sectionPricing("overrideSectionPrice", { input }),
    clearSectionPriceOverride: (eventId, sectionId) => sectionPricing("clearSectionPriceOverride", { eventId, sectionId }),
    createSection: (input) => sectionAction("createSection", { input }),
    updateSection: (input) => sectionAction("updateSection", { input }),
    deleteSection: (id) => mutate("deleteSection", SECTION_DOCUMENTS.deleteSection, { id }).then(() => undefined),
    generateSectionSeats: (input) => sectionAction("generateSectionSeats", { input }),
    venueSeats: (venueId) => transport({ query: SEAT_MAP_DOCUMENTS.adminVenueSeats, variables: { venueId } }).then((data) => data.adminVenueSeats as VenueSeat[]),
    updateSeat: (input) => mutate("updateSeat", SEAT_MAP_DOCUMENTS.updateSeat, { input }).then((payload) => payload.seat as VenueSeat),
    deleteSeats: (input) => mutate("deleteSeats", SEAT_MAP_DOCUMENTS.deleteSeats, { input }).then((payload) => payload.deleted as number),
    cities: () => transport({ query: CITIES_DOCUMENT, variables: {} }).then((data) => data.cities as CityChoice[]),
    eventSeatMap: (eventId) =>
      transport({ query: EVENT_SEAT_MAP_DOCUMENT, variables: { id: eventId } }).then((data) => (data.adminEvent as { seatMap: SectionSeatMap[] } | null)?.seatMap ?? []),
  };
}
