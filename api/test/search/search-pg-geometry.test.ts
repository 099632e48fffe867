/**
 * The PostgreSQL engine's geometry (search.pg.ts, "Distance once"): the bounding box holds the whole
 * circle, and comparing haversine's `a` with nearnessWithin(r) keeps exactly the points within r.
 */
import { describe, expect, it } from "vitest";
import { boundingBox, nearnessWithin } from "../../src/search/search.pg.js";

const R = 6371.0088;
const radians = (degrees: number) => (degrees * Math.PI) / 180;
const degrees = (value: number) => (value * 180) / Math.PI;

/** Haversine's a between two points, as the SQL computes it. */
function haversineA(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  return Math.sin(radians(b.lat - a.lat) / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(radians(b.lon - a.lon) / 2) ** 2;
}

/** The point at distanceKm from centre along bearing (degrees), on the sphere of radius R. */
function destination(centre: { lat: number; lon: number }, bearing: number, distanceKm: number): { lat: number; lon: number } {
  const angle = distanceKm / R;
  const lat1 = radians(centre.lat);
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(angle) + Math.cos(lat1) * Math.sin(angle) * Math.cos(radians(bearing)));
  const lon2 = radians(centre.lon) + Math.atan2(Math.sin(radians(bearing)) * Math.sin(angle) * Math.cos(lat1), Math.cos(angle) - Math.sin(lat1) * Math.sin(lat2));
  return { lat: degrees(lat2), lon: degrees(lon2) };
}

describe("PostgreSQL geo search geometry", () => {
  const centres = [{ lat: 41.88, lon: -87.63 }, { lat: 51.51, lon: -0.13 }, { lat: -33.87, lon: 151.21 }, { lat: 64.15, lon: -21.94 }];

  it("the bounding box holds every point of the circle", () => {
    for (const centre of centres) {
      for (const radiusKm of [1, 25, 500]) {
        const box = boundingBox({ ...centre, radiusKm })!;
        for (let bearing = 0; bearing < 360; bearing += 5) {
          const point = destination(centre, bearing, radiusKm);
          expect(point.lat).toBeGreaterThanOrEqual(box.latMin);
          expect(point.lat).toBeLessThanOrEqual(box.latMax);
          expect(point.lon).toBeGreaterThanOrEqual(box.lonMin);
          expect(point.lon).toBeLessThanOrEqual(box.lonMax);
        }
      }
    }
  });

  it("a <= nearnessWithin(r) keeps the points within r and leaves out those beyond it", () => {
    for (const centre of centres) {
      for (const radiusKm of [2, 25, 3_000]) {
        for (let bearing = 0; bearing < 360; bearing += 30) {
          expect(haversineA(centre, destination(centre, bearing, radiusKm * 0.999))).toBeLessThanOrEqual(nearnessWithin(radiusKm));
          expect(haversineA(centre, destination(centre, bearing, radiusKm * 1.001))).toBeGreaterThan(nearnessWithin(radiusKm));
        }
      }
    }
  });

  it("beyond half the Earth's circumference every point is within the radius", () => {
    expect(nearnessWithin(20_000)).toBeLessThan(1);
    expect(nearnessWithin(Math.PI * R)).toBeCloseTo(1, 12);
    expect(nearnessWithin(30_000)).toBe(1);
  });
});
