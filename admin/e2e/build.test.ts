/**
 * The console's production build, as `npm run build` makes it (test-support/production-build.ts),
 * serves no source maps: no .map files, no sourceMappingURL comments pointing at one.
 */
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { productionBuild, SOURCE_MAP_COMMENT, type ProductionBuild } from "../../test-support/production-build.js";

let built: ProductionBuild;
beforeAll(async () => {
  built = await productionBuild("admin");
}, 180_000);
afterAll(() => built?.remove());

it("the admin console's production build serves no source maps", () => {
  const assets = readdirSync(`${built.dist}assets`);
  expect(assets.some((file) => file.endsWith(".js"))).toBe(true);
  expect(assets.filter((file) => file.endsWith(".map"))).toEqual([]);
  for (const file of assets.filter((name) => name.endsWith(".js") || name.endsWith(".css"))) {
    expect(readFileSync(`${built.dist}assets/${file}`, "utf8"), file).not.toMatch(SOURCE_MAP_COMMENT);
  }
});
