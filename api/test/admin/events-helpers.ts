/** GraphQL documents and builders shared by the admin event tests. */
import type pg from "pg";
import { createEvent, createOrganization, createUser, createVenue, type EventOptions, type VenueFixture } from "../support/factories.js";
import type { TestApi } from "../support/test-api.js";

export const EVENT_FIELDS = `id organizationId slug name artist description category status startsAt endsAt onSaleAt currency
  holdDurationSeconds maxSeatsPerUser allowSingleSeatGaps serviceFeeBasisPoints facilityFeeMinor waitingRoomEnabled
  waitingRoomMaxActiveShoppers waitingRoomAdmissionIntervalSeconds presaleEnabled proofOfWorkEnabled pricingFreezeMinutes
  pricingCurve sellOutBy allowedTransitions createdAt updatedAt venue { id name city timezone }
  sections { section { id name } price { amount currency } floor { amount } ceiling { amount } total available }`;

const ERRORS = "errors { code message field }";

export const CREATE_EVENT = `mutation($input: CreateEventInput!) { createEvent(input: $input) { event { ${EVENT_FIELDS} } ${ERRORS} } }`;
export const UPDATE_EVENT = `mutation($input: UpdateEventInput!) { updateEvent(input: $input) { event { ${EVENT_FIELDS} } ${ERRORS} } }`;
export const SECTION_PRICES = `mutation($input: UpdateEventSectionPricesInput!) {
  updateEventSectionPrices(input: $input) { event { id sections { section { id } price { amount } } } ${ERRORS} }
}`;
export const TRANSITION = `mutation($input: TransitionEventInput!) { transitionEvent(input: $input) { event { id status onSaleAt allowedTransitions } ${ERRORS} } }`;
export const SEATS_BLOCKED = `mutation($input: SetSeatsBlockedInput!) { setSeatsBlocked(input: $input) { changed refusedSeatIds ${ERRORS} } }`;
export const ADMIN_EVENTS = `query($page: Int, $perPage: Int, $sortField: String, $sortOrder: SortOrder, $filter: AdminEventFilter) {
  adminEvents(page: $page, perPage: $perPage, sortField: $sortField, sortOrder: $sortOrder, filter: $filter) { items { id name status } total }
}`;
export const ADMIN_EVENT = `query($id: ID!) { adminEvent(id: $id) { ${EVENT_FIELDS} } }`;
export const AUDIT_LOG = `query($page: Int, $perPage: Int, $filter: AuditLogFilter) {
  adminAuditLog(page: $page, perPage: $perPage, filter: $filter) { items { id actorEmail action entityType entityId before after createdAt } total }
}`;

export type User = Awaited<ReturnType<typeof createUser>>;

export interface Cast {
  organizationId: string;
  promoter: User;
  otherPromoter: User;
  fan: User;
  admin: User;
}

/** Two organizations' promoters, a fan and an admin. */
export async function cast(api: TestApi): Promise<Cast> {
  const pool = api.app.db.pool;
  const organizationId = await createOrganization(pool);
  const otherOrganizationId = await createOrganization(pool);
  return {
    organizationId,
    promoter: await createUser(api, { role: "PROMOTER", organizationId }),
    otherPromoter: await createUser(api, { role: "PROMOTER", organizationId: otherOrganizationId }),
    fan: await createUser(api, { role: "FAN" }),
    admin: await createUser(api, { role: "ADMIN" }),
  };
}

/** An event of the organization (2 × 5 seats and a GA section of 20) in status `status`, on sale in 3 days by default. */
export async function organizationEvent(
  api: TestApi,
  organizationId: string,
  options: Partial<EventOptions> = {},
): Promise<{ eventId: string; venue: VenueFixture }> {
  const venue = await createVenue(api.app.db.pool, { organizationId, generalAdmission: [20] });
  const eventId = await createEvent(api.app.db.pool, venue, {
    organizationId,
    status: "DRAFT",
    onSaleAt: new Date(Date.now() + 3 * 86_400_000),
    ...options,
  });
  return { eventId, venue };
}

/** Everything a refused mutation must leave as it was: the event, its sections, seats, price history and the audit log. */
export async function databaseState(pool: pg.Pool, eventId: string): Promise<unknown> {
  const [event, sections, seats, history, audit] = await Promise.all([
    pool.query(`SELECT * FROM events WHERE id = $1`, [eventId]),
    pool.query(`SELECT * FROM event_sections WHERE event_id = $1 ORDER BY section_id`, [eventId]),
    pool.query(`SELECT seat_id, status, version FROM event_seats WHERE event_id = $1 ORDER BY seat_id`, [eventId]),
    pool.query(`SELECT count(*)::int AS n FROM price_history WHERE event_id = $1`, [eventId]),
    pool.query(`SELECT count(*)::int AS n FROM audit_log`),
  ]);
  return { event: event.rows, sections: sections.rows, seats: seats.rows, history: history.rows, audit: audit.rows };
}

export async function auditRows(pool: pg.Pool, entityId: string): Promise<{ action: string; actorUserId: string; organizationId: string; before: any; after: any }[]> {
  const { rows } = await pool.query(
    `SELECT action, actor_user_id AS "actorUserId", organization_id AS "organizationId", before, after FROM audit_log WHERE entity_id = $1 ORDER BY id`,
    [entityId],
  );
  return rows;
}
