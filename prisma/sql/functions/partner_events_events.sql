-- Trigger function of partner_events_events (prisma/sql/triggers/partner_events_events.sql): a change
-- of what partners show about an event is `event.updated`, naming the fields that changed; a status
-- change to ON_SALE is also `event.on_sale` and one to SOLD_OUT `event.sold_out`. (An on-sale that
-- starts by itself at on_sale_at, and a sale that runs out of seats, are announced by
-- announce_partner_sales.) Internal columns (version, pricing settings, waiting-room tuning) are not
-- partner news.
CREATE OR REPLACE FUNCTION partner_events_events() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_changed text[] := array_remove(ARRAY[
    CASE WHEN NEW.name IS DISTINCT FROM OLD.name THEN 'name' END,
    CASE WHEN NEW.artist IS DISTINCT FROM OLD.artist THEN 'artist' END,
    CASE WHEN NEW.description IS DISTINCT FROM OLD.description THEN 'description' END,
    CASE WHEN NEW.category IS DISTINCT FROM OLD.category THEN 'category' END,
    CASE WHEN NEW.status IS DISTINCT FROM OLD.status THEN 'status' END,
    CASE WHEN NEW.starts_at IS DISTINCT FROM OLD.starts_at THEN 'startsAt' END,
    CASE WHEN NEW.ends_at IS DISTINCT FROM OLD.ends_at THEN 'endsAt' END,
    CASE WHEN NEW.on_sale_at IS DISTINCT FROM OLD.on_sale_at THEN 'onSaleAt' END,
    CASE WHEN NEW.venue_id IS DISTINCT FROM OLD.venue_id THEN 'venueId' END,
    CASE WHEN NEW.image_url IS DISTINCT FROM OLD.image_url THEN 'imageUrl' END,
    CASE WHEN NEW.waiting_room_enabled IS DISTINCT FROM OLD.waiting_room_enabled THEN 'waitingRoomEnabled' END,
    CASE WHEN NEW.hold_duration_seconds IS DISTINCT FROM OLD.hold_duration_seconds THEN 'holdDurationSeconds' END
  ], NULL);
  v_data jsonb := jsonb_build_object('eventId', NEW.id, 'status', NEW.status, 'startsAt', NEW.starts_at, 'onSaleAt', NEW.on_sale_at);
BEGIN
  IF cardinality(v_changed) = 0 THEN
    RETURN NULL;
  END IF;
  PERFORM emit_partner_event(NEW.organization_id, 'event.updated', NEW.id::text, v_data || jsonb_build_object('changed', v_changed));
  IF NEW.status IS DISTINCT FROM OLD.status AND NEW.status IN ('ON_SALE', 'SOLD_OUT') THEN
    PERFORM emit_partner_event(NEW.organization_id, CASE NEW.status WHEN 'ON_SALE' THEN 'event.on_sale' ELSE 'event.sold_out' END, NEW.id::text, v_data);
  END IF;
  RETURN NULL;
END
$$;
