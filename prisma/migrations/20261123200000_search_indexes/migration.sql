-- PostgreSQL search (the engine when Elasticsearch is not configured, and its fallback): full text over
-- name and artist, and trigram word similarity for typos. Expression indexes, which Prisma's schema
-- language cannot express and introspection does not report as drift.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "events_search_text_idx" ON "events" USING gin ((to_tsvector('simple', "name" || ' ' || "artist")));
CREATE INDEX "events_search_title_trgm_idx" ON "events" USING gin ((lower("name" || ' ' || "artist")) gin_trgm_ops);
