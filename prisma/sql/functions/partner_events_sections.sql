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
