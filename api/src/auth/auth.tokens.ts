/**
 * Signed bearer tokens (HS256 JWT via fast-jwt). The same token authenticates HTTP requests
 * (`Authorization: Bearer …`) and graphql-ws connections (`connectionParams.authorization`).
 *
 * fast-jwt rather than jose here: it signs and verifies HMAC synchronously with node:crypto and keeps
 * verified tokens in an LRU cache until they expire. jose goes through WebCrypto, whose async job per
 * verification cost about a tenth of a hold's CPU when every request came from a different fan.
 */
import { createSigner, createVerifier, TokenError } from "fast-jwt";

export type Role = "FAN" | "PROMOTER" | "ADMIN";

export interface Viewer {
  id: string;
  role: Role;
  organizationId: string | null;
}

const ISSUER = "boxoffice";
const AUDIENCE = "boxoffice-api";
const ROLES: readonly Role[] = ["FAN", "PROMOTER", "ADMIN"];

export interface TokenSigner {
  sign(viewer: Viewer): Promise<string>;
  /** The viewer, or null for a missing, forged, altered or expired token. */
  verify(token: string): Promise<Viewer | null>;
}

/** Verified tokens remembered per process (a fan's session sends the same token with every request). */
const VERIFIED_CACHE_SIZE = 10_000;

export function createTokenSigner(secret: string, ttlSeconds: number): TokenSigner {
  const signer = createSigner({ key: secret, algorithm: "HS256", iss: ISSUER, aud: AUDIENCE, expiresIn: ttlSeconds * 1000 });
  // A cached token is only ever the same string that was verified and is dropped at its expiry; a
  // forged or altered token is a different string. The token itself is the key: fast-jwt's default
  // key, a SHA-2 hash of it, cost as much as verifying an HMAC token (every fan of an on-sale misses).
  const verifier = createVerifier({
    key: secret,
    algorithms: ["HS256"],
    allowedIss: ISSUER,
    allowedAud: AUDIENCE,
    requiredClaims: ["exp", "sub"],
    cache: VERIFIED_CACHE_SIZE,
    cacheKeyBuilder: (token) => token,
  });
  return {
    sign: async (viewer) => signer({ sub: viewer.id, role: viewer.role, org: viewer.organizationId }),
    async verify(token) {
      let payload: { sub?: unknown; role?: unknown; org?: unknown };
      try {
        payload = verifier(token) as typeof payload;
      } catch (error) {
        if (error instanceof TokenError) return null;
        throw error;
      }
      const role = payload.role as Role;
      if (typeof payload.sub !== "string" || !ROLES.includes(role)) return null;
      return { id: payload.sub, role, organizationId: typeof payload.org === "string" ? payload.org : null };
    },
  };
}

/** Accepts "Bearer <token>" or a bare token; anything else is no token. */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== "string" || header.length === 0 || header.length > 4096) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match ? match[1]! : header.includes(" ") ? null : header.trim();
}
