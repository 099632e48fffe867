-- Called by finalize_checkout after a sale: when the event has just sold out (nothing available or
-- held, no general-admission place left), its version is bumped so its search document says so
-- (events_search_outbox).
CREATE OR REPLACE FUNCTION search_note_sale(p_event_id uuid) RETURNS void
LANGUAGE sql AS $$
  UPDATE events SET version = version + 1
  WHERE id = p_event_id
    AND NOT EXISTS (SELECT 1 FROM event_seats WHERE event_id = p_event_id AND status IN ('AVAILABLE', 'HELD'))
    AND NOT EXISTS (SELECT 1 FROM event_sections x JOIN sections s ON s.id = x.section_id
                    WHERE x.event_id = p_event_id AND s.kind = 'GENERAL_ADMISSION' AND x.ga_sold < x.capacity);
$$;
