-- During an on-sale every sale and every repricing rewrites event search rows (price range,
-- availability), and a full page gives the new row version no room beside the old one: the update is
-- then not HOT (heap-only tuple) and inserts an entry into every index of the table, the three GIN
-- indexes included, whose new entries wait in each index's pending list until a vacuum. Every text
-- search scans those pending lists. 20,000 updates spread at random over 100,000 rows made 27 % of them
-- non-HOT, and a two-word text search went from 6.6 to 9.5 ms and from 7.2 to 8.3 ms (its two GIN scans
-- from ~1.3 and ~0.4 to 2.1-2.5 and 1.0-1.3 ms). With a tenth of each page left free, 19,978 and 19,980
-- of 20,000 were HOT, the search kept its time (7.1 -> 7.1, 5.2 -> 5.4 ms) and the updates themselves
-- took 3.1-3.6 s instead of 4.0 (no index entries to write). docs/performance-history.md, "PostgreSQL
-- search under on-sale updates".
ALTER TABLE "event_search" SET (fillfactor = 90);

-- Existing pages are full until rewritten: CLUSTER rewrites the table (and rebuilds its indexes) inside
-- this migration's transaction, under an exclusive lock held for about a second per 100,000 events.
-- The clustering mark it leaves is removed: no order is kept.
CLUSTER "event_search" USING "event_search_pkey";
ALTER TABLE "event_search" SET WITHOUT CLUSTER;
