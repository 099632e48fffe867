-- Called by finalize_checkout after a sale: when the event has just sold out (nothing available or
-- held, no general-admission place left), its version is bumped so its search document says so
-- (events_search_outbox). The seat test is the first AVAILABLE or HELD seat in primary-key order, not
-- NOT EXISTS: an index probe whatever the statistics (see event_search_refresh's header).
CREATE OR REPLACE FUNCTION search_note_sale(p_event_id uuid) RETURNS void
LANGUAGE sql AS $$
  UPDATE events SET version = version + 1
  WHERE id = p_event_id
    AND (SELECT true FROM event_seats es WHERE es.event_id = p_event_id AND es.status IN ('AVAILABLE', 'HELD')
         ORDER BY es.seat_id LIMIT 1) IS NULL
    AND NOT EXISTS (SELECT 1 FROM event_sections x JOIN sections s ON s.id = x.section_id
                    WHERE x.event_id = p_event_id AND s.kind = 'GENERAL_ADMISSION' AND x.ga_sold < x.capacity);
$$;
