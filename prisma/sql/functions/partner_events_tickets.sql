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
