-- Trigger function of events_search_version (prisma/sql/triggers/events_search_version.sql): an update
-- that changes anything search shows (name, artist, category, status, dates, venue, description, and
-- the fees that make its all-in prices) bumps the event's version, unless the update set the version itself.
CREATE OR REPLACE FUNCTION events_search_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.name, NEW.artist, NEW.category, NEW.status, NEW.starts_at, NEW.on_sale_at, NEW.venue_id, NEW.description,
      NEW.service_fee_basis_points, NEW.facility_fee_minor)
     IS DISTINCT FROM (OLD.name, OLD.artist, OLD.category, OLD.status, OLD.starts_at, OLD.on_sale_at, OLD.venue_id, OLD.description,
      OLD.service_fee_basis_points, OLD.facility_fee_minor)
     AND NEW.version = OLD.version THEN
    NEW.version := OLD.version + 1;
  END IF;
  RETURN NEW;
END
$$;
