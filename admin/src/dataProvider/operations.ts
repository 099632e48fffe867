/**
 * The GraphQL documents the console sends: the admin operations of api/schema.graphql (lists with
 * 1-based page, perPage ≤ 100, sortField, sortOrder and a filter; one record by id; mutations taking an
 * `input` and answering `{ <object>, errors }`). data-provider.test.ts validates every document here
 * against api/schema.graphql, so a renamed field or input type fails a test rather than a page.
 */

export const USER_ERROR_FIELDS = "errors { code message field }";

const MONEY = "{ amount currency }";

export const EVENT_SECTION_FIELDS = `section { id name kind } price ${MONEY} allInPrice ${MONEY} floor ${MONEY} ceiling ${MONEY}
  dynamicPricing maxStepPercent pricingPaused priceOverridden available total`;

export const EVENT_LIST_FIELDS = `id organizationId venue { id name city timezone } slug name artist category status
  startsAt onSaleAt currency allowedTransitions createdAt updatedAt`;

export const EVENT_FIELDS = `id organizationId venue { id name city timezone } slug name artist description category status
  startsAt endsAt onSaleAt currency holdDurationSeconds maxSeatsPerUser allowSingleSeatGaps serviceFeeBasisPoints
  facilityFeeMinor waitingRoomEnabled waitingRoomMaxActiveShoppers waitingRoomAdmissionIntervalSeconds presaleEnabled
  proofOfWorkEnabled pricingFreezeMinutes pricingCurve sellOutBy allowedTransitions
  sections { ${EVENT_SECTION_FIELDS} } createdAt updatedAt`;

const SEAT_REF = "{ row number }";

/** The parameters a section's seats were generated from: the seat-map builder starts from them. */
export const SEAT_LAYOUT_FIELDS = `rows seatsPerRow curvature angle originX originY seatSpacing rowSpacing aisles numbering firstRowLabel
  accessibleSeats ${SEAT_REF} restrictedViewSeats ${SEAT_REF}`;

export const SECTION_FIELDS = `id venueId name kind capacity sortOrder rows seats layout { ${SEAT_LAYOUT_FIELDS} }`;

export const SEAT_FIELDS = "id sectionId row number x y accessible restrictedView";

export const VENUE_LIST_FIELDS = "id organizationId name slug city country timezone capacity createdAt";

export const VENUE_FIELDS = `id organizationId name slug address city country timezone latitude longitude capacity createdAt
  sections { ${SECTION_FIELDS} }`;

export const AUDIT_FIELDS = "id actorEmail action entityType entityId before after createdAt";

export const USER_FIELDS = "id email name role organizationId organizationName disabled disabledAt createdAt";

export const ORGANIZATION_FIELDS = "id name slug users venues events createdAt";
export const ORDER_LIST_FIELDS = `id status organizationId event { id name startsAt timezone } buyer { id email name } total ${MONEY} ticketCount createdAt cancelledAt`;

export const ORDER_FIELDS = `id status organizationId event { id name startsAt timezone } buyer { id email name } subtotal ${MONEY} fees ${MONEY} total ${MONEY}
  ticketCount createdAt cancelledAt
  tickets { id status sectionId section seatId row seatNumber price ${MONEY} scannedAt voidedAt }
  payments { id provider reference status amount ${MONEY} createdAt refunds { id amount ${MONEY} reason reference confirmed createdAt } }`;

export interface ResourceOperations {
  /** Query field answering `{ items, total }`. */
  list: string;
  /** Type of the list's `filter` argument. */
  filterType: string;
  listFields: string;
  /** false: the list has one fixed order (no sortField/sortOrder arguments). */
  sortable?: boolean;
  /** Query field answering one record by id (absent: getOne is served from the list). */
  one?: string;
  fields: string;
  /** `inputFields`: the only form fields sent (default: every field not in READ_ONLY_FIELDS). */
  create?: { field: string; inputType: string; payloadField: string; inputFields?: readonly string[] };
  update?: { field: string; inputType: string; payloadField: string; inputFields?: readonly string[] };
  /** Mutation taking `id`, answering `{ id, errors }`. */
  delete?: { field: string };
}

/** react-admin resource name → our operations. */
export const RESOURCES: Record<string, ResourceOperations> = {
  events: {
    list: "adminEvents",
    filterType: "AdminEventFilter",
    listFields: EVENT_LIST_FIELDS,
    one: "adminEvent",
    fields: EVENT_FIELDS,
    create: { field: "createEvent", inputType: "CreateEventInput!", payloadField: "event" },
    update: { field: "updateEvent", inputType: "UpdateEventInput!", payloadField: "event" },
  },
  venues: {
    list: "adminVenues",
    filterType: "AdminVenueFilter",
    listFields: VENUE_LIST_FIELDS,
    one: "adminVenue",
    fields: VENUE_FIELDS,
    create: { field: "createVenue", inputType: "CreateVenueInput!", payloadField: "venue" },
    update: { field: "updateVenue", inputType: "UpdateVenueInput!", payloadField: "venue" },
    delete: { field: "deleteVenue" },
  },
  users: {
    list: "adminUsers",
    filterType: "AdminUserFilter",
    listFields: USER_FIELDS,
    one: "adminUser",
    fields: USER_FIELDS,
    create: { field: "createUserAccount", inputType: "CreateUserAccountInput!", payloadField: "user", inputFields: ["email", "name", "password", "role", "organizationId"] },
    update: { field: "updateUserAccount", inputType: "UpdateUserAccountInput!", payloadField: "user", inputFields: ["name", "role", "organizationId", "disabled"] },
  },
  organizations: {
    list: "adminOrganizations",
    filterType: "AdminOrganizationFilter",
    listFields: ORGANIZATION_FIELDS,
    one: "adminOrganization",
    fields: ORGANIZATION_FIELDS,
    create: { field: "createOrganization", inputType: "CreateOrganizationInput!", payloadField: "organization", inputFields: ["name", "slug"] },
    update: { field: "updateOrganization", inputType: "UpdateOrganizationInput!", payloadField: "organization", inputFields: ["name"] },
  },
  orders: {
    list: "adminOrders",
    filterType: "AdminOrderFilter",
    listFields: ORDER_LIST_FIELDS,
    one: "adminOrder",
    fields: ORDER_FIELDS,
  },
  audit: {
    list: "adminAuditLog",
    filterType: "AuditLogFilter",
    listFields: AUDIT_FIELDS,
    sortable: false,
    fields: AUDIT_FIELDS,
  },
};

/** Fields of a record the API computes; never sent back in an update. */
export const READ_ONLY_FIELDS = new Set([
  "id",
  "organizationId",
  "venue",
  "status",
  "allowedTransitions",
  "sections",
  "capacity",
  "createdAt",
  "updatedAt",
]);

export function listDocument(operations: ResourceOperations, fields = operations.listFields): string {
  const sorted = operations.sortable !== false;
  const sortVariables = sorted ? ", $sortField: String, $sortOrder: SortOrder" : "";
  const sortArguments = sorted ? ", sortField: $sortField, sortOrder: $sortOrder" : "";
  return `query ${operations.list}($page: Int, $perPage: Int${sortVariables}, $filter: ${operations.filterType}) {
  ${operations.list}(page: $page, perPage: $perPage${sortArguments}, filter: $filter) {
    items { ${fields} }
    total
  }
}`;
}

export function oneDocument(operations: ResourceOperations & { one: string }): string {
  return `query ${operations.one}($id: ID!) {
  ${operations.one}(id: $id) { ${operations.fields} }
}`;
}

export function inputMutationDocument(field: string, inputType: string, payloadField: string, fields: string): string {
  return `mutation ${field}($input: ${inputType}) {
  ${field}(input: $input) {
    ${payloadField} { ${fields} }
    ${USER_ERROR_FIELDS}
  }
}`;
}

export function deleteDocument(field: string): string {
  return `mutation ${field}($id: ID!) {
  ${field}(id: $id) { id ${USER_ERROR_FIELDS} }
}`;
}

/** Section pricing: each answers `{ eventSection, errors }`. */
export const PRICING_DOCUMENTS = {
  updateSectionPricing: `mutation updateSectionPricing($input: UpdateSectionPricingInput!) {
  updateSectionPricing(input: $input) { eventSection { ${EVENT_SECTION_FIELDS} } ${USER_ERROR_FIELDS} }
}`,
  setSectionPricingPaused: `mutation setSectionPricingPaused($eventId: ID!, $sectionId: ID!, $paused: Boolean!) {
  setSectionPricingPaused(eventId: $eventId, sectionId: $sectionId, paused: $paused) { eventSection { ${EVENT_SECTION_FIELDS} } ${USER_ERROR_FIELDS} }
}`,
  overrideSectionPrice: `mutation overrideSectionPrice($input: OverrideSectionPriceInput!) {
  overrideSectionPrice(input: $input) { eventSection { ${EVENT_SECTION_FIELDS} } ${USER_ERROR_FIELDS} }
}`,
  clearSectionPriceOverride: `mutation clearSectionPriceOverride($eventId: ID!, $sectionId: ID!) {
  clearSectionPriceOverride(eventId: $eventId, sectionId: $sectionId) { eventSection { ${EVENT_SECTION_FIELDS} } ${USER_ERROR_FIELDS} }
}`,
};

/** Event lifecycle and seating mutations beyond create/update. */
export const EVENT_DOCUMENTS = {
  transitionEvent: inputMutationDocument("transitionEvent", "TransitionEventInput!", "event", EVENT_FIELDS),
  updateEventSectionPrices: inputMutationDocument("updateEventSectionPrices", "UpdateEventSectionPricesInput!", "event", EVENT_FIELDS),
};

/** House seats: answers how many seats changed and which refused (held or sold). */
export const SET_SEATS_BLOCKED_DOCUMENT = `mutation setSeatsBlocked($input: SetSeatsBlockedInput!) {
  setSeatsBlocked(input: $input) { changed refusedSeatIds ${USER_ERROR_FIELDS} }
}`;

/** Venue sections: create/update/generate take inputs and answer `{ section, errors }`; delete takes an id. */
export const SECTION_DOCUMENTS = {
  createSection: inputMutationDocument("createSection", "CreateSectionInput!", "section", SECTION_FIELDS),
  updateSection: inputMutationDocument("updateSection", "UpdateSectionInput!", "section", SECTION_FIELDS),
  deleteSection: deleteDocument("deleteSection"),
  generateSectionSeats: inputMutationDocument("generateSectionSeats", "SeatLayoutInput!", "section", SECTION_FIELDS),
};

/** The seat-map builder: every seat of a venue (an arena: ~19,000, one compact read), and single-seat edits. */
export const SEAT_MAP_DOCUMENTS = {
  adminVenueSeats: `query adminVenueSeats($venueId: ID!) {
  adminVenueSeats(venueId: $venueId) { ${SEAT_FIELDS} }
}`,
  updateSeat: inputMutationDocument("updateSeat", "UpdateSeatInput!", "seat", SEAT_FIELDS),
  deleteSeats: `mutation deleteSeats($input: DeleteSeatsInput!) {
  deleteSeats(input: $input) { deleted ${USER_ERROR_FIELDS} }
}`,
};

/** The venue form's city picker: seeded cities with their country, centre and time zone. */
export const CITIES_DOCUMENT = `query cities { cities { name country timezone location { lat lon } } }`;

/** House seats: the event's seats with live status, drafts included. */
export const EVENT_SEAT_MAP_DOCUMENT = `query adminEventSeatMap($id: ID!) {
  adminEvent(id: $id) { id seatMap { sectionId seatIds rows numbers x y statuses } }
}`;

/** The pricing engine's pace for an event (curve, sell-out point, freeze window); the event form edits them. */
export const UPDATE_EVENT_PRICING_DOCUMENT = `mutation updateEventPricing($input: UpdateEventPricingInput!) {
  updateEventPricing(input: $input) { event { id } ${USER_ERROR_FIELDS} }
}`;

export const VIEWER_DOCUMENT = `query viewer { viewer { id name email role } }`;

export const LOGIN_DOCUMENT = `mutation login($input: LoginInput!) {
  login(input: $input) { token user { id name email role } ${USER_ERROR_FIELDS} }
}`;

/** Order actions (admin/src/orders): refund, resend the confirmation, and a CSV export's download link. */
export const ORDER_DOCUMENTS = {
  adminRefundOrder: inputMutationDocument("adminRefundOrder", "RefundOrderInput!", "order", ORDER_FIELDS),
  resendOrderConfirmation: `mutation resendOrderConfirmation($id: ID!) {
  resendOrderConfirmation(id: $id) { order { ${ORDER_FIELDS} } ${USER_ERROR_FIELDS} }
}`,
  createEventExportLink: `mutation createEventExportLink($input: EventExportLinkInput!) {
  createEventExportLink(input: $input) { url expiresAt ${USER_ERROR_FIELDS} }
}`,
};
