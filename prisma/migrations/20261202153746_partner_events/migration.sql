-- Partner events (issue 26): what webhooks deliver and the `changes` feed lists, written by triggers
-- in the same transaction as each change; the type CHECK lists the kinds partners can subscribe to.
-- CreateTable
CREATE TABLE "partner_events" (
    "id" BIGSERIAL NOT NULL,
    "organization_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "txid" xid8 NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "partner_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "partner_events_type_check" CHECK ("type" IN ('order.confirmed', 'order.refunded', 'ticket.voided', 'event.updated',
                                                             'event.on_sale', 'section.price_changed', 'event.sold_out'))
);

-- CreateIndex
CREATE INDEX "partner_events_organization_id_txid_id_idx" ON "partner_events"("organization_id", "txid", "id");

-- CreateIndex
CREATE INDEX "partner_events_subject_id_type_id_idx" ON "partner_events"("subject_id", "type", "id");

-- CreateIndex
CREATE INDEX "partner_events_created_at_idx" ON "partner_events"("created_at");

-- AddForeignKey
ALTER TABLE "partner_events" ADD CONSTRAINT "partner_events_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- prisma/sql/functions/announce_partner_sales.sql
-- Announces to partners the sale changes that no single row change marks, run every few seconds by
-- each API process (api/src/partner/partner.announce.ts; one pass at a time thanks to the advisory
-- lock, the others skip):
--
-- 1. `event.on_sale` for an event whose sale began by itself: SCHEDULED, on_sale_at passed in the last
--    7 days (a bound that keeps each pass an index range, not a scan of every past event), not started,
--    never announced. A promoter's early start (status ON_SALE) is announced by partner_events_events.
-- 2. `event.sold_out` for an event on sale with a sale or refund in the last 2 minutes that has nothing
--    left: no seat AVAILABLE or HELD (a held seat may come back) and no general-admission place left,
--    unless its last announcement already says so.
-- 3. `event.on_sale` again when such an event, last announced sold out, has something to sell again
--    (a refund).
--
-- At most 500 events per kind and pass. Returns how many events it announced.
CREATE OR REPLACE FUNCTION announce_partner_sales() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_started integer;
  v_changed integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('announce_partner_sales')) THEN
    RETURN 0;
  END IF;

  SELECT count(emit_partner_event(e.organization_id, 'event.on_sale', e.id::text,
           jsonb_build_object('eventId', e.id, 'status', e.status, 'startsAt', e.starts_at, 'onSaleAt', e.on_sale_at)))
  INTO v_started
  FROM (SELECT e.* FROM events e
        WHERE e.on_sale_at > now() - interval '7 days' AND e.on_sale_at <= now()
          AND e.status = 'SCHEDULED' AND e.starts_at > now()
          AND NOT EXISTS (SELECT 1 FROM partner_events p WHERE p.subject_id = e.id::text AND p.type = 'event.on_sale')
        ORDER BY e.on_sale_at LIMIT 500) e;

  WITH touched AS (
    SELECT DISTINCT (p.data->>'eventId')::uuid AS event_id FROM partner_events p
    WHERE p.created_at > now() - interval '2 minutes' AND p.type IN ('order.confirmed', 'order.refunded')
    LIMIT 500
  ), state AS (
    SELECT e.id, e.organization_id, e.status, e.starts_at, e.on_sale_at,
           EXISTS (SELECT 1 FROM event_seats s WHERE s.event_id = e.id AND s.status IN ('AVAILABLE', 'HELD'))
           OR EXISTS (SELECT 1 FROM event_sections x JOIN sections sec ON sec.id = x.section_id
                      WHERE x.event_id = e.id AND sec.kind = 'GENERAL_ADMISSION' AND x.capacity > x.ga_sold) AS left_to_sell,
           (SELECT p.type FROM partner_events p WHERE p.subject_id = e.id::text AND p.type IN ('event.on_sale', 'event.sold_out')
            ORDER BY p.id DESC LIMIT 1) AS last_announced
    FROM touched t JOIN events e ON e.id = t.event_id
    WHERE event_on_sale(e.status, e.on_sale_at, e.starts_at)
  )
  SELECT count(emit_partner_event(s.organization_id, CASE WHEN s.left_to_sell THEN 'event.on_sale' ELSE 'event.sold_out' END, s.id::text,
           jsonb_build_object('eventId', s.id, 'status', s.status, 'startsAt', s.starts_at, 'onSaleAt', s.on_sale_at)))
  INTO v_changed
  FROM state s
  WHERE (NOT s.left_to_sell AND s.last_announced IS DISTINCT FROM 'event.sold_out')
     OR (s.left_to_sell AND s.last_announced = 'event.sold_out');

  RETURN v_started + v_changed;
END
$$;

-- prisma/sql/functions/emit_partner_event.sql
-- Writes one partner event (partner_events: what webhooks deliver and the `changes` feed lists) in the
-- caller's transaction. Every partner event goes through here so that `txid` is always the writing
-- transaction's own id: pg_current_xact_id() assigns one if the transaction has none yet, before the
-- row's id is drawn. The change feed's gap-free reading depends on it
-- (api/src/partner/partner.changes.db.ts).
CREATE OR REPLACE FUNCTION emit_partner_event(p_org uuid, p_type text, p_subject text, p_data jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_txid xid8 := pg_current_xact_id();
  v_id bigint;
BEGIN
  INSERT INTO partner_events (organization_id, type, subject_id, data, txid)
  VALUES (p_org, p_type, p_subject, p_data, v_txid)
  RETURNING id INTO v_id;
  RETURN v_id;
END
$$;

-- prisma/sql/functions/partner_events_events.sql
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

-- prisma/sql/functions/partner_events_orders.sql
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

-- prisma/sql/functions/partner_events_sections.sql
-- Trigger function of partner_events_sections (prisma/sql/triggers/partner_events_sections.sql): a new
-- price of an event's section (the pricing engine's tick, a promoter's override or bounds) is
-- `section.price_changed`, with the price before and after.
CREATE OR REPLACE FUNCTION partner_events_sections() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM emit_partner_event(e.organization_id, 'section.price_changed', NEW.event_id::text || ':' || NEW.section_id::text,
    jsonb_build_object('eventId', NEW.event_id, 'sectionId', NEW.section_id, 'currency', NEW.currency,
                       'priceMinor', NEW.price_minor, 'previousPriceMinor', OLD.price_minor))
  FROM events e WHERE e.id = NEW.event_id;
  RETURN NULL;
END
$$;

-- prisma/sql/functions/partner_events_tickets.sql
-- Trigger function of partner_events_tickets (prisma/sql/triggers/partner_events_tickets.sql): a
-- ticket made VOID (a refund, a promoter's void) is `ticket.voided`.
CREATE OR REPLACE FUNCTION partner_events_tickets() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM emit_partner_event(e.organization_id, 'ticket.voided', NEW.id::text,
    jsonb_build_object('ticketId', NEW.id, 'orderId', NEW.order_id, 'eventId', NEW.event_id,
                       'sectionId', NEW.section_id, 'seatId', NEW.seat_id))
  FROM events e WHERE e.id = NEW.event_id;
  RETURN NULL;
END
$$;

-- prisma/sql/triggers/partner_events_events.sql
-- event.updated / event.on_sale / event.sold_out partner events (functions/partner_events_events.sql).
CREATE OR REPLACE TRIGGER partner_events_events AFTER UPDATE ON events
  FOR EACH ROW EXECUTE FUNCTION partner_events_events();

-- prisma/sql/triggers/partner_events_orders.sql
-- order.confirmed / order.refunded partner events (functions/partner_events_orders.sql).
CREATE OR REPLACE TRIGGER partner_events_orders AFTER INSERT OR UPDATE OF status ON orders
  FOR EACH ROW EXECUTE FUNCTION partner_events_orders();

-- prisma/sql/triggers/partner_events_sections.sql
-- section.price_changed partner events (functions/partner_events_sections.sql). `OF price_minor` and
-- the WHEN clause keep the hold path's GA counter updates from calling the function at all.
CREATE OR REPLACE TRIGGER partner_events_sections AFTER UPDATE OF price_minor ON event_sections
  FOR EACH ROW WHEN (NEW.price_minor IS DISTINCT FROM OLD.price_minor) EXECUTE FUNCTION partner_events_sections();

-- prisma/sql/triggers/partner_events_tickets.sql
-- ticket.voided partner events (functions/partner_events_tickets.sql); the WHEN clause keeps scans
-- (VALID → SCANNED) from calling the function at all.
CREATE OR REPLACE TRIGGER partner_events_tickets AFTER UPDATE OF status ON tickets
  FOR EACH ROW WHEN (NEW.status = 'VOID' AND OLD.status <> 'VOID') EXECUTE FUNCTION partner_events_tickets();
