-- Trigger function of partner_events_orders (prisma/sql/triggers/partner_events_orders.sql): an order
-- that becomes CONFIRMED (finalize_checkout inserts it so) is `order.confirmed`; one that becomes
-- CANCELLED or REFUNDED (cancel_order refunds the payment) is `order.refunded`. Written in the order's
-- own transaction, so partners hear of exactly the orders that committed.
CREATE OR REPLACE FUNCTION partner_events_orders() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_type text;
BEGIN
  IF NEW.status = 'CONFIRMED' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'CONFIRMED') THEN
    v_type := 'order.confirmed';
  ELSIF NEW.status IN ('CANCELLED', 'REFUNDED') AND TG_OP = 'UPDATE' AND OLD.status = 'CONFIRMED' THEN
    v_type := 'order.refunded';
  ELSE
    RETURN NULL;
  END IF;
  PERFORM emit_partner_event(e.organization_id, v_type, NEW.id::text,
    jsonb_build_object('orderId', NEW.id, 'eventId', NEW.event_id, 'status', NEW.status,
                       'currency', NEW.currency, 'subtotalMinor', NEW.subtotal_minor, 'feesMinor', NEW.fees_minor,
                       'totalMinor', NEW.total_minor))
  FROM events e WHERE e.id = NEW.event_id;
  RETURN NULL;
END
$$;
