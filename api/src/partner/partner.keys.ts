/**
 * The shape of a partner API key: `bo_live_<32 random base62>_<6 base62 checksum>`.
 *
 * - The `bo_live_` prefix says what the string is, so a leaked key in a log, a repository or a chat is
 *   recognised by secret scanners (as GitHub's `ghp_` and Stripe's `sk_live_`).
 * - The checksum (CRC-32 of everything before it, in base62) lets a scanner, and this API, tell a
 *   real key from a typo or a made-up string offline, without a database lookup.
 * - 32 base62 characters are ~190 random bits: guessing is out of the question, so the key is stored
 *   as a plain SHA-256 (no slow password hash is needed, and lookups are one indexed equality).
 * - `prefix` (the first 8 random characters) names a key in logs; `lastFour` tells keys apart in lists.
 */
import { createHash, randomInt } from "node:crypto";
import { crc32 } from "node:zlib";

export const KEY_PREFIX = "bo_live_";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const KEY_PATTERN = new RegExp(`^${KEY_PREFIX}([0-9A-Za-z]{${RANDOM_LENGTH}})_([0-9A-Za-z]{${CHECKSUM_LENGTH}})$`);

function base62(value: number, length: number): string {
  let text = "";
  for (let rest = value; text.length < length; rest = Math.floor(rest / 62)) text = BASE62[rest % 62]! + text;
  return text;
}

const checksum = (body: string) => base62(crc32(body), CHECKSUM_LENGTH);

export interface NewKey {
  /** The key itself: shown to its creator once, never stored. */
  key: string;
  hash: string;
  prefix: string;
  lastFour: string;
}

export const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

export function newKey(): NewKey {
  const random = Array.from({ length: RANDOM_LENGTH }, () => BASE62[randomInt(62)]!).join("");
  const body = `${KEY_PREFIX}${random}`;
  const key = `${body}_${checksum(body)}`;
  return { key, hash: hashKey(key), prefix: `${KEY_PREFIX}${random.slice(0, 8)}`, lastFour: key.slice(-4) };
}

/** Whether a bearer credential is meant as a partner key (rather than a user's session token). */
export const looksLikeKey = (credential: string) => credential.startsWith(KEY_PREFIX);

/** Whether a string is a well-formed key with a correct checksum (says nothing of whether it exists). */
export function isWellFormedKey(credential: string): boolean {
  const match = KEY_PATTERN.exec(credential);
  return match !== null && checksum(`${KEY_PREFIX}${match[1]}`) === match[2];
}
