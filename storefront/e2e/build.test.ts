/**
 * The production build as `npm run build` makes it (test-support/production-build.ts): no source maps,
 * and the home page's JavaScript within issue 27's budget, 120 KB gzipped (209 KB for the single
 * bundle of before; 149 KB with one chunk per page). The home page fetches with a small fetch client
 * (src/app/graphql-fetch.ts), so Apollo Client, graphql's parser, graphql-ws and rxjs (~48 KB
 * gzipped) load with the first page that needs them (src/app/ApolloPage.tsx), not with it. The home
 * page's JavaScript is read from Vite's build manifest: the entry chunk and everything it imports
 * statically, plus the home page's own chunk and its static imports (React.lazy fetches it as the
 * page first renders); other pages' chunks are not counted, since the home page never fetches them.
 * Sizes are gzip at level 6, what a server compressing on the fly sends.
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
/** Issue 27's budget for the home page's JavaScript, gzipped. */
const HOME_PAGE_GOAL_BYTES = 120 * 1024;
const HOME_PAGE_SOURCE = "src/modules/catalogue/components/HomePage.tsx";
/** The Apollo client and its provider: every page but the home page loads it. */
const APOLLO_SOURCE = "src/app/ApolloPage.tsx";

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

  it("loads only the home page's chunk with the entry, without Apollo: at most 120 KB of JavaScript gzipped", () => {
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
    const apolloFiles = new Set<string>();
    const collect = (key: string) => {
      const chunk = manifest[key]!;
      if (apolloFiles.has(chunk.file) || files.has(chunk.file)) return;
      apolloFiles.add(chunk.file);
      for (const imported of chunk.imports ?? []) collect(imported);
    };
    if (manifest[APOLLO_SOURCE]) collect(APOLLO_SOURCE);
    const apollo = [...apolloFiles].reduce((sum, file) => sum + gzipped(file), 0);
    const everything = readdirSync(`${DIST}assets`).filter((file) => file.endsWith(".js")).reduce((sum, file) => sum + gzipped(`assets/${file}`), 0);
    process.stdout.write(
      `[build] home page JS: ${(total / 1024).toFixed(1)} KB gzipped in ${files.size} chunks (entry and its imports ${entryOnly.size}); ` +
        `all pages' JS: ${(everything / 1024).toFixed(1)} KB gzipped; Apollo's chunk and its imports ${(apollo / 1024).toFixed(1)} KB gzipped; ` +
        `goal ${HOME_PAGE_GOAL_BYTES / 1024} KB, ${total > HOME_PAGE_GOAL_BYTES ? `${((total - HOME_PAGE_GOAL_BYTES) / 1024).toFixed(1)} KB over` : "met"}\n`,
    );
    expect(total).toBeLessThanOrEqual(HOME_PAGE_GOAL_BYTES);
    // Apollo is a chunk of its own, which the home page does not fetch.
    expect(manifest[APOLLO_SOURCE], "Apollo is its own chunk").toBeDefined();
    expect(files.has(manifest[APOLLO_SOURCE]!.file)).toBe(false);
    // The split is real: every other page is a chunk of its own that the home page does not fetch.
    const otherPages = (manifest["index.html"]!.dynamicImports ?? []).filter((page) => page !== HOME_PAGE_SOURCE);
    expect(otherPages.length).toBeGreaterThanOrEqual(7);
    for (const page of otherPages) expect(files.has(manifest[page]!.file), page).toBe(false);
  });
});
