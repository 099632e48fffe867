/**
 * Who is calling with a partner key: the key's organization and scopes, looked up by the key's SHA-256.
 *
 * Each API process remembers a key's answer (found, or unknown/revoked) for PARTNER_KEY_CACHE_MS (0.8 s
 * by default), so a partner's traffic costs one indexed lookup per key per second per process, and a
 * revoked key is refused everywhere within that second with no messaging between processes (the
 * process that revoked it forgets it at once). A malformed key (bad checksum) never reaches the
 * database. The lookup also stamps `last_used_at`, at most once a minute per key.
 */
import type pg from "pg";
import { hashKey } from "./partner.keys.js";
import type { Scope } from "./partner.scopes.js";

export interface Partner {
  keyId: string;
  organizationId: string;
  scopes: Scope[];
  /** `bo_live_` and the key's first 8 random characters: names the key in logs. */
  prefix: string;
}

export interface PartnerKeys {
  /** The key's partner, or null when no live key has this value. */
  authenticate(key: string): Promise<Partner | null>;
  /** Drops what this process remembers of a key (it was just revoked here). */
  forget(keyHash: string): void;
}

/** Remembered answers beyond this many are dropped all at once (a flood of made-up keys cannot grow memory). */
const MAX_REMEMBERED = 10_000;

export function createPartnerKeys(pool: pg.Pool, cacheMs: number): PartnerKeys {
  const remembered = new Map<string, { partner: Partner | null; until: number }>();

  async function lookUp(hash: string): Promise<Partner | null> {
    const { rows } = await pool.query<Partner>(
      `WITH touched AS (
         UPDATE partner_api_keys SET last_used_at = now()
          WHERE key_hash = $1 AND revoked_at IS NULL AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute'))
       SELECT id AS "keyId", organization_id AS "organizationId", scopes, prefix
         FROM partner_api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hash],
    );
    return rows[0] ?? null;
  }

  return {
    async authenticate(key) {
      const hash = hashKey(key);
      const now = Date.now();
      const known = remembered.get(hash);
      if (known && known.until > now) return known.partner;
      const partner = await lookUp(hash);
      if (remembered.size >= MAX_REMEMBERED) remembered.clear();
      remembered.set(hash, { partner, until: now + cacheMs });
      return partner;
    },
    forget(keyHash) {
      remembered.delete(keyHash);
    },
  };
}
