-- section.price_changed partner events (functions/partner_events_sections.sql). `OF price_minor` and
-- the WHEN clause keep the hold path's GA counter updates from calling the function at all.
CREATE OR REPLACE TRIGGER partner_events_sections AFTER UPDATE OF price_minor ON event_sections
  FOR EACH ROW WHEN (NEW.price_minor IS DISTINCT FROM OLD.price_minor) EXECUTE FUNCTION partner_events_sections();
