/**
 * The production build as `npm run build` makes it (test-support/production-build.ts): no source maps,
 * and the home page's JavaScript held by one chunk per page (src/app/App.tsx) to what it is now,
 * 149 KB gzipped, against 209 KB for the single bundle before. The issue's goal is 120 KB; what is
 * left is mostly React DOM (~58 KB gzipped) and Apollo Client (~30 KB), which every page needs, so
 * the test holds the line at HOME_PAGE_LIMIT_BYTES and prints the distance to the goal
 * (docs/PERFORMANCE.md says what reaching it would take). The home page's JavaScript is read
 * from Vite's build manifest: the entry chunk and everything it imports statically, plus the home
 * page's own chunk and its static imports (React.lazy fetches it as the page first renders); other
 * pages' chunks are not counted, since the home page never fetches them. Sizes are gzip at level 6,
 * what a server compressing on the fly sends.
 */
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { productionBuild, SOURCE_MAP_COMMENT, type ProductionBuild } from "../../test-support/production-build.js";

let built: ProductionBuild;
let DIST: string;
beforeAll(async () => {
  built = await productionBuild("storefront");
  DIST = built.dist;
}, 120_000);
afterAll(() => built?.remove());
/** The issue's goal (not yet met). */
const HOME_PAGE_GOAL_BYTES = 120 * 1024;
/** Today's figure and a little room: a page's code leaking into the entry chunk fails here. */
const HOME_PAGE_LIMIT_BYTES = 155 * 1024;
const HOME_PAGE_SOURCE = "src/modules/catalogue/components/HomePage.tsx";

interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  isEntry?: boolean;
}

describe("the storefront's production build", () => {
  it("serves no source maps: no .map files, no sourceMappingURL comments", () => {
    const assets = readdirSync(`${DIST}assets`);
    expect(assets.filter((file) => file.endsWith(".map"))).toEqual([]);
    for (const file of assets.filter((name) => name.endsWith(".js") || name.endsWith(".css"))) {
      expect(readFileSync(`${DIST}assets/${file}`, "utf8"), file).not.toMatch(SOURCE_MAP_COMMENT);
    }
  });

  it("loads only the home page's chunk with the entry: at most 155 KB of JavaScript gzipped (goal 120 KB)", () => {
    const manifest = JSON.parse(readFileSync(`${DIST}.vite/manifest.json`, "utf8")) as Record<string, ManifestChunk>;
    const files = new Set<string>();
    const visit = (key: string) => {
      const chunk = manifest[key]!;
      if (files.has(chunk.file)) return;
      files.add(chunk.file);
      for (const imported of chunk.imports ?? []) visit(imported);
    };
    visit("index.html");
    const entryOnly = new Set(files);
    expect(manifest[HOME_PAGE_SOURCE], "the home page is its own chunk").toBeDefined();
    visit(HOME_PAGE_SOURCE);
    const gzipped = (file: string) => gzipSync(readFileSync(`${DIST}${file}`)).length;
    const total = [...files].reduce((sum, file) => sum + gzipped(file), 0);
    const everything = readdirSync(`${DIST}assets`).filter((file) => file.endsWith(".js")).reduce((sum, file) => sum + gzipped(`assets/${file}`), 0);
    process.stdout.write(
      `[build] home page JS: ${(total / 1024).toFixed(1)} KB gzipped in ${files.size} chunks (entry and its imports ${entryOnly.size}); ` +
        `all pages' JS: ${(everything / 1024).toFixed(1)} KB gzipped; goal ${HOME_PAGE_GOAL_BYTES / 1024} KB, ` +
        `${total > HOME_PAGE_GOAL_BYTES ? `${((total - HOME_PAGE_GOAL_BYTES) / 1024).toFixed(1)} KB over` : "met"}\n`,
    );
    expect(total).toBeLessThanOrEqual(HOME_PAGE_LIMIT_BYTES);
    // The split is real: every other page is a chunk of its own that the home page does not fetch.
    const otherPages = (manifest["index.html"]!.dynamicImports ?? []).filter((page) => page !== HOME_PAGE_SOURCE);
    expect(otherPages.length).toBeGreaterThanOrEqual(7);
    for (const page of otherPages) expect(files.has(manifest[page]!.file), page).toBe(false);
  });
});
