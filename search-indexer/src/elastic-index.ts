/**
 * The index behind its alias: mappings, bulk writes with external versioning (documents carry the
 * event's version, so several indexers can never apply an older state over a newer one), the first
 * index, and a full rebuild that moves the alias in one atomic update.
 */
import { errors, type Client } from "@elastic/elasticsearch";
import type pg from "pg";
import { findDocumentPage, type EventDocument } from "./event-document.js";

export const INDEX_BODY = {
  settings: {
    number_of_shards: 1,
    number_of_replicas: 0,
    analysis: {
      analyzer: { folded: { type: "custom" as const, tokenizer: "standard", filter: ["lowercase", "asciifolding"] } },
      normalizer: { lowercase: { type: "custom" as const, filter: ["lowercase", "asciifolding"] } },
    },
  },
  mappings: {
    dynamic: "strict" as const,
    properties: {
      id: { type: "keyword" as const },
      version: { type: "long" as const },
      name: { type: "text" as const, analyzer: "folded", fields: { exact: { type: "keyword" as const, normalizer: "lowercase" } } },
      artist: { type: "text" as const, analyzer: "folded" },
      venue: { type: "text" as const, analyzer: "folded" },
      city: { type: "keyword" as const, fields: { text: { type: "text" as const, analyzer: "folded" }, lowercase: { type: "keyword" as const, normalizer: "lowercase" } } },
      category: { type: "keyword" as const },
      status: { type: "keyword" as const },
      starts_at: { type: "date" as const },
      price_min: { type: "integer" as const },
      price_max: { type: "integer" as const },
      available: { type: "boolean" as const },
      location: { type: "geo_point" as const },
    },
  },
};

/** Writes documents with external versioning; a version the index already has (or a newer one) is not an error. */
export async function indexDocuments(client: Client, index: string, documents: readonly EventDocument[], deletedIds: readonly string[] = []): Promise<{ failed: string[] }> {
  if (documents.length === 0 && deletedIds.length === 0) return { failed: [] };
  const operations: unknown[] = [];
  for (const document of documents) {
    operations.push({ index: { _index: index, _id: document.id, version: document.version, version_type: "external" } }, document);
  }
  for (const id of deletedIds) operations.push({ delete: { _index: index, _id: id } });
  const response = await client.bulk({ operations, refresh: false });
  const failed: string[] = [];
  for (const item of response.items) {
    const result = item.index ?? item.delete;
    if (!result?.error) continue;
    if (result.status === 409 || (item.delete && result.status === 404)) continue;
    failed.push(String(result._id));
  }
  return { failed };
}

/** Creates the first versioned index behind the alias when there is none. */
export async function ensureIndex(client: Client, alias: string): Promise<void> {
  if (await client.indices.existsAlias({ name: alias })) return;
  const index = `${alias}-${Date.now()}`;
  try {
    await client.indices.create({ index, ...INDEX_BODY, aliases: { [alias]: {} } });
  } catch (error) {
    // Another process made it first.
    if (!(error instanceof errors.ResponseError && error.statusCode === 400 && (await client.indices.existsAlias({ name: alias })))) throw error;
    await client.indices.delete({ index, ignore_unavailable: true });
  }
}

/**
 * Builds a fresh index from PostgreSQL and moves the alias to it in one atomic alias update, so
 * searches keep answering from the old index until the new one is complete. Returns the new index.
 */
export async function reindex(pool: pg.Pool, client: Client, alias: string, progress: (indexed: number) => void = () => undefined): Promise<string> {
  const index = `${alias}-${Date.now()}`;
  await client.indices.create({ index, ...INDEX_BODY, settings: { ...INDEX_BODY.settings, refresh_interval: "-1" } });
  let afterId: string | null = null;
  let indexed = 0;
  for (;;) {
    const page = await findDocumentPage(pool, afterId, 2_000);
    if (page.length === 0) break;
    const { failed } = await indexDocuments(client, index, page);
    if (failed.length > 0) throw new Error(`Elasticsearch rejected ${failed.length} documents, e.g. ${failed[0]}`);
    indexed += page.length;
    afterId = page.at(-1)!.id;
    progress(indexed);
  }
  await client.indices.putSettings({ index, settings: { refresh_interval: "1s" } });
  await client.indices.refresh({ index });
  const current = (await client.indices.existsAlias({ name: alias })) ? Object.keys(await client.indices.getAlias({ name: alias })) : [];
  await client.indices.updateAliases({
    actions: [...current.map((old) => ({ remove: { index: old, alias } })), { add: { index, alias } }],
  });
  for (const old of current) await client.indices.delete({ index: old, ignore_unavailable: true });
  return index;
}
