-- Trigger function of event_sections_search (prisma/sql/triggers/event_sections_search.sql): a section
-- added, removed or repriced bumps its event's version, so events_search_outbox writes the event's
-- search document change in the same transaction.
CREATE OR REPLACE FUNCTION event_sections_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE events SET version = version + 1 WHERE id = coalesce(NEW.event_id, OLD.event_id);
  RETURN NULL;
END
$$;
