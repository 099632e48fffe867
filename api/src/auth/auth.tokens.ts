/**
 * Signed bearer tokens (HS256 JWT via fast-jwt). The same token authenticates HTTP requests
 * (`Authorization: Bearer …`) and graphql-ws connections (`connectionParams.authorization`).
 *
 * fast-jwt rather than jose here: it signs and verifies HMAC synchronously with node:crypto. jose goes
 * through WebCrypto, whose async job per verification cost about a tenth of a hold's CPU when every
 * request came from a different fan. Verified tokens are not cached: an HMAC check costs ~6 µs, and
 * fast-jwt's cache cost more than that on every miss (13 µs a token with its hashed keys, ~8 µs with
 * the token as key; measured on the bench machine), which is every fan's first request of an on-sale.
 */
import { createSigner, createVerifier, TokenError } from "fast-jwt";

export type Role = "FAN" | "PROMOTER" | "ADMIN";

export interface Viewer {
  id: string;
  role: Role;
  organizationId: string | null;
  /**
   * The user's session version when the token was signed (users.session_version; absent = 0). An
   * admin's change of the account bumps it, which ends older tokens (auth.sessions.ts).
   */
  sessionVersion?: number;
}

const ISSUER = "boxoffice";
const AUDIENCE = "boxoffice-api";
const ROLES: readonly Role[] = ["FAN", "PROMOTER", "ADMIN"];

export interface TokenSigner {
  sign(viewer: Viewer): Promise<string>;
  /** The viewer, or null for a missing, forged, altered or expired token. */
  verify(token: string): Promise<Viewer | null>;
}

export function createTokenSigner(secret: string, ttlSeconds: number): TokenSigner {
  const signer = createSigner({ key: secret, algorithm: "HS256", iss: ISSUER, aud: AUDIENCE, expiresIn: ttlSeconds * 1000 });
  const verifier = createVerifier({
    key: secret,
    algorithms: ["HS256"],
    allowedIss: ISSUER,
    allowedAud: AUDIENCE,
    requiredClaims: ["exp", "sub"],
  });
  return {
    sign: async (viewer) => signer({ sub: viewer.id, role: viewer.role, org: viewer.organizationId, ver: viewer.sessionVersion ?? 0 }),
    async verify(token) {
      let payload: { sub?: unknown; role?: unknown; org?: unknown; ver?: unknown };
      try {
        payload = verifier(token) as typeof payload;
      } catch (error) {
        if (error instanceof TokenError) return null;
        throw error;
      }
      const role = payload.role as Role;
      if (typeof payload.sub !== "string" || !ROLES.includes(role)) return null;
      return {
        id: payload.sub,
        role,
        organizationId: typeof payload.org === "string" ? payload.org : null,
        sessionVersion: Number.isSafeInteger(payload.ver) ? (payload.ver as number) : 0,
      };
    },
  };
}

/** Accepts "Bearer <token>" or a bare token; anything else is no token. */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== "string" || header.length === 0 || header.length > 4096) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match ? match[1]! : header.includes(" ") ? null : header.trim();
}
