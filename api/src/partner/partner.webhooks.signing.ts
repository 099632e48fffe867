/**
 * Standard Webhooks v1 signing, with the `standardwebhooks` package (the reference library partners
 * verify with, so both sides compute the same thing): HMAC-SHA256 with the endpoint's secret over
 * `{webhook-id}.{webhook-timestamp}.{body}`, sent as `webhook-signature: v1,<base64>`.
 *
 * Rotation without lost deliveries: after a rotation the previous secret stays valid for
 * SECRET_OVERLAP_MS, and each delivery is signed with both (`v1,<new> v1,<old>`, space-separated, as
 * the spec allows), so a receiver still holding the old secret verifies until it switches.
 */
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** How long a rotated-out secret still signs deliveries. */
export const SECRET_OVERLAP_MS = 24 * 3600 * 1000;

/** `whsec_` + base64 of 32 random bytes (the spec asks for 24 to 64). */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** The webhook-id of a partner event: the same for every endpoint, retry and replay of it. */
export const messageId = (partnerEventId: string | number | bigint): string => `msg_${partnerEventId}`;

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** The three Standard Webhooks headers for one attempt, signed with each of `secrets` (current first). */
export function signedHeaders(id: string, at: Date, body: string, secrets: readonly string[]): SignedHeaders {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(" "),
  };
}
