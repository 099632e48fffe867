/** GraphQL documents and builders shared by the pricing tests. */
import type pg from "pg";
import { sale, type Sale } from "../checkout/checkout-helpers.js";
import type { EventOptions } from "../support/factories.js";
import type { TestApi } from "../support/test-api.js";

export const SECTION_PRICING_FIELDS = `section { id } price { amount currency } dynamicPricing floor { amount } ceiling { amount }
  maxStepPercent pricingPaused priceOverridden allInPrice { amount currency } fees { kind amount { amount currency } }`;

export const UPDATE_SECTION_PRICING = `mutation($input: UpdateSectionPricingInput!) {
  updateSectionPricing(input: $input) { eventSection { ${SECTION_PRICING_FIELDS} } errors { code message field } }
}`;

export const OVERRIDE = `mutation($input: OverrideSectionPriceInput!) {
  overrideSectionPrice(input: $input) { eventSection { ${SECTION_PRICING_FIELDS} } errors { code message field } }
}`;

export const CLEAR_OVERRIDE = `mutation($eventId: ID!, $sectionId: ID!) {
  clearSectionPriceOverride(eventId: $eventId, sectionId: $sectionId) { eventSection { ${SECTION_PRICING_FIELDS} } errors { code message field } }
}`;

export const PAUSE = `mutation($eventId: ID!, $sectionId: ID!, $paused: Boolean!) {
  setSectionPricingPaused(eventId: $eventId, sectionId: $sectionId, paused: $paused) { eventSection { ${SECTION_PRICING_FIELDS} } errors { code message field } }
}`;

export const UPDATE_EVENT_PRICING = `mutation($input: UpdateEventPricingInput!) {
  updateEventPricing(input: $input) { event { id pricingFreezeMinutes pricingCurve sellOutBy } errors { code message field } }
}`;

export const EVENT_PRICING = `query($id: ID!) {
  event(id: $id) {
    id dynamicPricing pricingFreezeMinutes pricingCurve sellOutBy
    dynamicPriceRange { minAllIn { amount currency } maxAllIn { amount currency } }
    sections { ${SECTION_PRICING_FIELDS} }
  }
}`;

export type PricedEvent = Sale;

/**
 * The checkout tests' sale (a seated section of 2 × 5 and a GA section of 20 at `priceMinor`, default
 * 50.00, range 25.00–100.00, fees 10% + 2.50 per ticket), but SCHEDULED to go on sale in 3 days
 * unless `status` / `onSaleAt` say otherwise.
 */
export function pricedEvent(api: TestApi, options: Partial<EventOptions> = {}): Promise<PricedEvent> {
  return sale(api, { status: "SCHEDULED", onSaleAt: new Date(Date.now() + 3 * 86_400_000), ...options });
}

export async function sectionRow(pool: pg.Pool, eventId: string, sectionId: string) {
  const { rows } = await pool.query(
    `SELECT price_minor, price_floor_minor, price_ceiling_minor, dynamic_pricing, max_step_basis_points, pricing_paused,
            override_price_minor, override_reason, version
     FROM event_sections WHERE event_id = $1 AND section_id = $2`,
    [eventId, sectionId],
  );
  return rows[0];
}

export async function history(pool: pg.Pool, eventId: string, sectionId: string) {
  const { rows } = await pool.query(
    `SELECT price_minor, previous_price_minor, reason, actor_user_id, reason_codes, explanation
     FROM price_history WHERE event_id = $1 AND section_id = $2 ORDER BY id`,
    [eventId, sectionId],
  );
  return rows;
}
