/**
 * A search request checked and normalised once, so both engines get the same query and bad input is
 * a VALIDATION error before any engine is asked. Cursors are offsets (identical on both engines),
 * limited to the first 10,000 hits like Elasticsearch's default window.
 */
import type { SearchQuery, SearchSort } from "@boxoffice/search-indexer/search-model";
import type { EventCategory } from "../catalogue/catalogue.types.js";
import { fail, ok, type Result } from "../platform/errors.js";
import { decodeCursor, encodeCursor } from "../platform/graphql.js";

const MAX_TEXT = 200;
const MAX_PAGE = 100;
const MAX_WINDOW = 10_000;
const MAX_RADIUS_KM = 20_000;
const MAX_LIST = 20;

export interface SearchInput {
  text?: string | null;
  category?: EventCategory[] | null;
  city?: string[] | null;
  startsAfter?: Date | null;
  startsBefore?: Date | null;
  price?: { min?: number | null; max?: number | null } | null;
  onlyAvailable?: boolean | null;
  near?: { lat: number; lon: number; radiusKm: number } | null;
  first?: number | null;
  after?: string | null;
  sort?: SearchSort | null;
}

export function parseSearch(input: SearchInput): Result<SearchQuery> {
  let text: string | null = null;
  if (input.text != null) {
    text = input.text.trim().replace(/\s+/g, " ");
    if (text.length === 0) return fail("VALIDATION", "text is empty; leave it out to search without text", "text");
    if (text.length > MAX_TEXT) return fail("VALIDATION", `text is longer than ${MAX_TEXT} characters`, "text");
  }
  const categories = [...new Set(input.category ?? [])];
  const cities = [...new Set((input.city ?? []).map((city) => city.trim().toLowerCase()))];
  if (categories.length > MAX_LIST) return fail("VALIDATION", `at most ${MAX_LIST} categories`, "category");
  if (cities.length > MAX_LIST || cities.some((city) => city.length === 0 || city.length > 100)) {
    return fail("VALIDATION", `city takes 1 to ${MAX_LIST} names of 1 to 100 characters`, "city");
  }
  const startsAfter = input.startsAfter ?? null;
  const startsBefore = input.startsBefore ?? null;
  if (startsAfter && startsBefore && startsAfter.getTime() >= startsBefore.getTime()) {
    return fail("VALIDATION", "startsAfter must be before startsBefore", "startsAfter");
  }
  const priceMin = input.price?.min ?? null;
  const priceMax = input.price?.max ?? null;
  if ((priceMin !== null && priceMin < 0) || (priceMax !== null && priceMax < 0)) return fail("VALIDATION", "prices cannot be negative", "price");
  if (priceMin !== null && priceMax !== null && priceMin > priceMax) return fail("VALIDATION", "price.min must not exceed price.max", "price");
  const near = input.near ?? null;
  if (near) {
    if (!(near.lat >= -90 && near.lat <= 90) || !(near.lon >= -180 && near.lon <= 180)) {
      return fail("VALIDATION", "near.lat must be -90 to 90 and near.lon -180 to 180", "near");
    }
    if (!(near.radiusKm > 0 && near.radiusKm <= MAX_RADIUS_KM)) return fail("VALIDATION", `near.radiusKm must be more than 0 and at most ${MAX_RADIUS_KM}`, "near");
  }
  const limit = input.first ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) return fail("VALIDATION", `first must be 1 to ${MAX_PAGE}`, "first");
  let offset = 0;
  if (input.after) {
    try {
      offset = decodeCursor(input.after, ["number"])[0] as number;
    } catch {
      return fail("VALIDATION", "after is not a cursor returned by this API", "after");
    }
    if (!Number.isInteger(offset) || offset < 0) return fail("VALIDATION", "after is not a cursor returned by this API", "after");
  }
  if (offset + limit > MAX_WINDOW) return fail("VALIDATION", `search pages reach the first ${MAX_WINDOW} hits; narrow the search`, "after");
  const sort = input.sort ?? null;
  if (sort === "RELEVANCE" && !text) return fail("VALIDATION", "sort RELEVANCE needs text", "sort");
  if (sort === "DISTANCE" && !near) return fail("VALIDATION", "sort DISTANCE needs near", "sort");
  return ok({ text, categories, cities, startsAfter, startsBefore, priceMin, priceMax, onlyAvailable: input.onlyAvailable ?? false, near, sort, ids: null, offset, limit });
}

export function cursorAt(offset: number): string {
  return encodeCursor([offset]);
}
