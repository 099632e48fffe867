/**
 * Where one search's time goes, on the database bench:search seeds (run that first): for a text +
 * facets query, the same text with a typo, and a geo query, the PostgreSQL statements each engine
 * pass sends under EXPLAIN (ANALYZE, BUFFERS), and the Elasticsearch request timed by its own `took`
 * (median of 20, with the shard request cache and without) plus one run with `"profile": true`
 * summarised per query part and aggregation. Sequential, one query at a time: a profile, not a load.
 *
 *   cd api && BENCH_DATABASE_URL=… ELASTICSEARCH_URL=… node --conditions=source --import tsx bench/search-profile.ts
 *
 * Builds its own index (alias `profile-events-<random>`) and deletes it at the end.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { reindex } from "@boxoffice/search-indexer/elastic-index";
import { createElasticClient, createElasticSearch } from "@boxoffice/search-indexer/elastic-query";
import { createPostgresSearch } from "../src/search/search.pg.js";
import { parseSearch, type SearchInput } from "../src/search/search.query.js";

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/boxoffice_bench";
const ELASTICSEARCH_URL = process.env.ELASTICSEARCH_URL ?? "";

const QUERIES: [string, SearchInput][] = [
  ["text + facets", { text: "Nova Aurora", category: ["CONCERT"], first: 20 }],
  // bench:search's broad kind (one word twice): every event with the word, ~19,000 of 100,000.
  ["broad text + facets", { text: "Nova Nova", category: ["CONCERT"], first: 20 }],
  ["text with a typo", { text: "Nova Aurorra", category: ["CONCERT"], first: 20 }],
  ["geo 25 km", { near: { lat: 41.88, lon: -87.63, radiusKm: 25 }, first: 20 }],
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Total Time": number;
  "Actual Rows": number;
  "Actual Loops": number;
  "Shared Hit Blocks": number;
  "Shared Read Blocks": number;
  "Rows Removed by Index Recheck"?: number;
  Plans?: PlanNode[];
}

function printPlan(node: PlanNode, depth = 0): void {
  const name = [node["Node Type"], node["Relation Name"] ?? node["Index Name"]].filter(Boolean).join(" ");
  const recheck = node["Rows Removed by Index Recheck"] ? `, recheck removed ${node["Rows Removed by Index Recheck"]}` : "";
  console.log(
    `${"  ".repeat(depth + 2)}${name}: ${node["Actual Total Time"].toFixed(1)} ms, rows ${node["Actual Rows"]} × ${node["Actual Loops"]}, buffers ${node["Shared Hit Blocks"] + node["Shared Read Blocks"]}${recheck}`,
  );
  for (const child of node.Plans ?? []) printPlan(child, depth + 1);
}

interface ProfileNode {
  type?: string;
  description?: string;
  /** Collectors carry these instead. */
  name?: string;
  reason?: string;
  time_in_nanos: number;
  children?: ProfileNode[];
}

function printProfile(nodes: ProfileNode[], depth = 0): void {
  for (const node of nodes) {
    console.log(`${"  ".repeat(depth + 2)}${node.type ?? node.name} ${(node.description ?? node.reason ?? "").slice(0, 90)}: ${(node.time_in_nanos / 1e6).toFixed(2)} ms`);
    if (depth < 2) printProfile(node.children ?? [], depth + 1);
  }
}

async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  const statements: { text: string; values: unknown[] }[] = [];
  const recording = { query: (text: string, values: unknown[]) => (statements.push({ text, values }), pool.query(text, values)) } as unknown as pg.Pool;
  const postgres = createPostgresSearch(recording, 1);
  const client = ELASTICSEARCH_URL ? createElasticClient(ELASTICSEARCH_URL, 120_000) : null;
  const alias = `profile-events-${randomBytes(3).toString("hex")}`;
  const bodies: Record<string, unknown>[] = [];
  try {
    if (client) {
      console.log(`indexing into ${alias}`);
      await reindex(pool, client, alias);
      client.diagnostic.on("request", (_error, request) => {
        const body = request?.meta.request.params.body;
        if (typeof body === "string" && request?.meta.request.params.path.endsWith("/_search")) bodies.push(JSON.parse(body) as Record<string, unknown>);
      });
    }
    const elastic = client ? createElasticSearch(client, alias) : null;
    for (const [label, input] of QUERIES) {
      const parsed = parseSearch(input);
      if (!parsed.ok) throw new Error(parsed.error.message);
      console.log(`\n== ${label}: ${JSON.stringify(input)}`);
      statements.length = 0;
      const answer = await postgres.search(parsed.value);
      console.log(`PostgreSQL: ${statements.length} statement(s), total ${answer.total}`);
      for (const statement of statements) {
        const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.text}`, statement.values);
        const explained = (rows[0]["QUERY PLAN"] as { Plan: PlanNode; "Planning Time": number; "Execution Time": number }[])[0]!;
        console.log(`  planning ${explained["Planning Time"].toFixed(1)} ms, execution ${explained["Execution Time"].toFixed(1)} ms`);
        printPlan(explained.Plan);
      }
      if (!client || !elastic) continue;
      bodies.length = 0;
      const found = await elastic.search(parsed.value);
      console.log(`Elasticsearch: ${bodies.length} request(s), total ${found.total}`);
      for (const body of bodies.splice(0)) {
        for (const cache of [true, false]) {
          const tooks: number[] = [];
          for (let run = 0; run < 20; run++) {
            const response = await client.search({ index: alias, ...body, request_cache: cache });
            tooks.push(response.took);
          }
          console.log(`  took, median of 20, request cache ${cache ? "on" : "off"}: ${median(tooks)} ms (min ${Math.min(...tooks)}, max ${Math.max(...tooks)})`);
        }
        const profiled = await client.search({ index: alias, ...body, request_cache: false, profile: true });
        const shard = (profiled.profile as unknown as { shards: { searches: { query: ProfileNode[]; rewrite_time: number; collector: ProfileNode[] }[]; aggregations: ProfileNode[] }[] }).shards[0]!;
        console.log(`  profile (took ${profiled.took} ms): rewrite ${(shard.searches[0]!.rewrite_time / 1e6).toFixed(2)} ms`);
        printProfile(shard.searches[0]!.query);
        printProfile(shard.searches[0]!.collector);
        printProfile(shard.aggregations);
      }
    }
  } finally {
    if (client) {
      const indexes = Object.keys(await client.indices.getAlias({ name: alias }).catch(() => ({})));
      for (const index of indexes) await client.indices.delete({ index, ignore_unavailable: true });
      await client.close();
    }
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(`search-profile failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
