/**
 * Reads what the simulator needs about one event from PostgreSQL: its pacing settings and fees, and each
 * section's sellable capacity, current price and guardrails. Read-only; nothing is written.
 *
 * Capacity is what the engine paces against: seats not BLOCKED for a seated section, the section's
 * place count for general admission. Sections come in the venue's display order.
 */
import pg from "pg";
import type { PacingCurve } from "../strategy.js";
import type { SimulatedSection } from "./market.js";

export interface EventForSimulation {
  slug: string;
  name: string;
  currency: string;
  onSaleAt: Date;
  startsAt: Date;
  curve: PacingCurve;
  sellOutAt: Date | null;
  freezeMinutes: number;
  serviceFeeBasisPoints: number;
  facilityFeeMinor: number;
  sections: SimulatedSection[];
}

export type EventLookup = { ok: true; event: EventForSimulation } | { ok: false; knownSlugs: string[] };

/** The event by slug, or a few slugs that do exist. */
export async function loadEvent(pool: pg.Pool, slug: string): Promise<EventLookup> {
  const events = await pool.query<{
    id: string;
    slug: string;
    name: string;
    currency: string;
    on_sale_at: Date;
    starts_at: Date;
    pricing_curve: PacingCurve;
    pricing_sell_out_at: Date | null;
    pricing_freeze_minutes: number;
    service_fee_basis_points: number;
    facility_fee_minor: number;
  }>(
    `SELECT id, slug, name, currency, on_sale_at, starts_at, pricing_curve, pricing_sell_out_at,
            pricing_freeze_minutes, service_fee_basis_points, facility_fee_minor
       FROM events WHERE slug = $1`,
    [slug],
  );
  const row = events.rows[0];
  if (!row) {
    const known = await pool.query<{ slug: string }>(`SELECT slug FROM events ORDER BY starts_at, slug LIMIT 8`);
    return { ok: false, knownSlugs: known.rows.map((r) => r.slug) };
  }
  const sections = await pool.query<{
    name: string;
    capacity: number;
    price_minor: number;
    price_floor_minor: number;
    price_ceiling_minor: number;
    max_step_basis_points: number;
  }>(
    `SELECT s.name,
            CASE WHEN s.kind = 'SEATED'
                 THEN (SELECT count(*)::int FROM event_seats x
                        WHERE x.event_id = es.event_id AND x.section_id = es.section_id AND x.status <> 'BLOCKED')
                 ELSE es.capacity END AS capacity,
            es.price_minor, es.price_floor_minor, es.price_ceiling_minor, es.max_step_basis_points
       FROM event_sections es
       JOIN sections s ON s.id = es.section_id
      WHERE es.event_id = $1
      ORDER BY s.sort_order, s.name`,
    [row.id],
  );
  return {
    ok: true,
    event: {
      slug: row.slug,
      name: row.name,
      currency: row.currency,
      onSaleAt: row.on_sale_at,
      startsAt: row.starts_at,
      curve: row.pricing_curve,
      sellOutAt: row.pricing_sell_out_at,
      freezeMinutes: row.pricing_freeze_minutes,
      serviceFeeBasisPoints: row.service_fee_basis_points,
      facilityFeeMinor: row.facility_fee_minor,
      sections: sections.rows.map((section) => ({
        name: section.name,
        capacity: section.capacity,
        priceMinor: section.price_minor,
        floorMinor: section.price_floor_minor,
        ceilingMinor: section.price_ceiling_minor,
        maxStepBasisPoints: section.max_step_basis_points,
      })),
    },
  };
}
