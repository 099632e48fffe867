-- The PostgreSQL search engine matched and ranked text with to_tsvector('simple', …) computed on every
-- candidate row: the GIN expression indexes found the rows, but ts_rank parsed each matched title
-- again, most of a broad query's time (19,000 matches for one word: 60 ms of backend CPU, 40 of them
-- parsing; docs/PERFORMANCE.md, "Search: where the time goes"). The vectors are now stored columns,
-- generated from the same text (so no writer can leave them stale), with the GIN indexes on them; the
-- planner also gets real statistics for them (most common lexemes) instead of a guess per expression.

-- AlterTable
ALTER TABLE "event_search"
  ADD COLUMN "title_vector" tsvector GENERATED ALWAYS AS (to_tsvector('simple', "title")) STORED,
  ADD COLUMN "place_vector" tsvector GENERATED ALWAYS AS (to_tsvector('simple', "place")) STORED;

DROP INDEX "event_search_title_text_idx";
DROP INDEX "event_search_place_text_idx";
CREATE INDEX "event_search_title_text_idx" ON "event_search" USING gin ("title_vector");
CREATE INDEX "event_search_place_text_idx" ON "event_search" USING gin ("place_vector");
