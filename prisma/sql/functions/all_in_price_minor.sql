-- The all-in price of one ticket at a base price: base + service fee (basis points of the base, rounded
-- half up to the minor unit) + facility fee. The same rule as ticketFees in
-- api/src/checkout/checkout.fees.ts, which charges it; search filters and counts by it
-- (event_search_refresh), so the prices a fan searches by are the ones shown and charged.
CREATE OR REPLACE FUNCTION all_in_price_minor(p_price_minor integer, p_service_fee_basis_points integer, p_facility_fee_minor integer)
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (p_price_minor + (p_price_minor::bigint * p_service_fee_basis_points + 5000) / 10000 + p_facility_fee_minor)::integer
$$;
