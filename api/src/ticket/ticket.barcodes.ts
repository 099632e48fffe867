/**
 * Ticket barcodes: a compact JWS (EdDSA, Ed25519, signed with jose) over the ticket, event, section and
 * seat plus the current rotation window. The API hands out a fresh barcode for every window
 * (`barcodeRotationSeconds`, 30 s by default) and a scanner accepts the current window and its
 * neighbours, so a screenshot stops working within about a minute. Scanners verify offline with the
 * public key from /.well-known/jwks.json and sync voided tickets from the revocation list.
 *
 * The signing key is TICKET_SIGNING_KEY (PKCS#8 PEM, Ed25519); outside production it is derived from
 * AUTH_TOKEN_SECRET so every API process of a development setup signs with the same key.
 */
import { createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from "node:crypto";
import { calculateJwkThumbprint, CompactSign, compactVerify, exportJWK, type JWK } from "jose";

export interface BarcodeClaims {
  ticketId: string;
  eventId: string;
  sectionId: string;
  seatId: string | null;
  window: number;
}

export type BarcodeCheck =
  | { ok: true; claims: BarcodeClaims }
  | { ok: false; reason: "MALFORMED" | "BAD_SIGNATURE" | "EXPIRED" };

export interface BarcodeSigner {
  sign(ticket: Omit<BarcodeClaims, "window">, now?: number): Promise<string>;
  verify(barcode: string, now?: number): Promise<BarcodeCheck>;
  /** When the barcode signed at `now` is replaced by the next one. */
  refreshesAt(now?: number): Date;
  /** How long one rotation window lasts: a fan's ticket page states it ("refreshes every N seconds"). */
  readonly rotationSeconds: number;
  jwks(): Promise<{ keys: JWK[] }>;
}

const TYPE = "boxoffice-ticket+jws";
/** PKCS#8 DER header of an Ed25519 private key; the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const MAX_BARCODE_LENGTH = 2_000;

interface WireClaims {
  v: 1;
  t: string;
  e: string;
  x: string;
  s: string | null;
  w: number;
}

export function createBarcodeSigner(options: { signingKeyPem: string | null; developmentSecret: string; rotationSeconds: number }): BarcodeSigner {
  const privateKey = options.signingKeyPem ? createPrivateKey(options.signingKeyPem) : developmentKey(options.developmentSecret);
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error("TICKET_SIGNING_KEY must be an Ed25519 private key (PKCS#8 PEM)");
  const publicKey = createPublicKey(privateKey);
  const rotationMs = options.rotationSeconds * 1000;
  const windowAt = (now: number) => Math.floor(now / rotationMs);
  const publicJwk = (async () => {
    const jwk = await exportJWK(publicKey);
    return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: "EdDSA", use: "sig" };
  })();

  return {
    rotationSeconds: options.rotationSeconds,

    async sign(ticket, now = Date.now()) {
      const claims: WireClaims = { v: 1, t: ticket.ticketId, e: ticket.eventId, x: ticket.sectionId, s: ticket.seatId, w: windowAt(now) };
      const { kid } = await publicJwk;
      return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
        .setProtectedHeader({ alg: "EdDSA", typ: TYPE, kid })
        .sign(privateKey);
    },

    async verify(barcode, now = Date.now()) {
      if (barcode.length > MAX_BARCODE_LENGTH || barcode.split(".").length !== 3) return { ok: false, reason: "MALFORMED" };
      let payload: Uint8Array;
      try {
        const verified = await compactVerify(barcode, publicKey, { algorithms: ["EdDSA"] });
        if (verified.protectedHeader.typ !== TYPE) return { ok: false, reason: "BAD_SIGNATURE" };
        payload = verified.payload;
      } catch (error) {
        const code = (error as { code?: string }).code;
        return { ok: false, reason: code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" ? "BAD_SIGNATURE" : "MALFORMED" };
      }
      let claims: WireClaims;
      try {
        claims = JSON.parse(new TextDecoder().decode(payload)) as WireClaims;
      } catch {
        return { ok: false, reason: "MALFORMED" };
      }
      if (claims.v !== 1 || typeof claims.t !== "string" || typeof claims.e !== "string" || !Number.isInteger(claims.w)) {
        return { ok: false, reason: "MALFORMED" };
      }
      // The current window and its neighbours: a scan at a window boundary, or a scanner whose clock
      // is a little off, still passes; anything older is a screenshot.
      if (Math.abs(windowAt(now) - claims.w) > 1) return { ok: false, reason: "EXPIRED" };
      return { ok: true, claims: { ticketId: claims.t, eventId: claims.e, sectionId: claims.x, seatId: claims.s, window: claims.w } };
    },

    refreshesAt(now = Date.now()) {
      return new Date((windowAt(now) + 1) * rotationMs);
    },

    async jwks() {
      return { keys: [await publicJwk] };
    },
  };
}

function developmentKey(secret: string): KeyObject {
  const seed = Buffer.from(hkdfSync("sha256", secret, "boxoffice", "ticket-signing-key", 32));
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
}
