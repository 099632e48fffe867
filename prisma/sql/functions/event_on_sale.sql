-- Whether fans may hold seats of an event now: ON_SALE, or SCHEDULED with its on-sale time passed
-- (whether or not anything has flipped the status yet), and the event not started. The one
-- definition of "on sale" in SQL (hold_seats, hold_seats_set, the restart watch's query); the API's
-- early check, isOnSale in api/src/hold/hold.service.ts, must agree, and
-- api/test/hold/on-sale.test.ts pins the two together. A one-expression SQL function: the planner
-- inlines it where a query uses it.
CREATE OR REPLACE FUNCTION event_on_sale(p_status "EventStatus", p_on_sale_at timestamptz, p_starts_at timestamptz) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT p_status IN ('ON_SALE', 'SCHEDULED') AND p_on_sale_at <= now() AND p_starts_at > now()
$$;
