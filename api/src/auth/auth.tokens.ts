/**
 * Signed bearer tokens (HS256 JWT via fast-jwt). The same token authenticates HTTP requests
 * (`Authorization: Bearer …`) and graphql-ws connections (`connectionParams.authorization`).
 *
 * fast-jwt rather than jose here: it signs and verifies HMAC synchronously with node:crypto. jose goes
 * through WebCrypto, whose async job per verification cost about a tenth of a hold's CPU when every
 * request came from a different fan. fast-jwt's own cache is not used: it cost more than a verification
 * on every miss (13 µs a token with its hashed keys, ~8 µs with the token as key), and a miss is every
 * fan's first request of an on-sale.
 *
 * The tokens this process verified recently are remembered instead, in a plain Map keyed by the token
 * text (a miss costs a string hash and an insert, ~1 µs): a fan's next requests — the release after a
 * hold, the checkout — skip the HMAC and the decoding, which were ~10% of the API's CPU under hold and
 * release churn (a verification costs ~7 µs in a loop, ~14 µs in the API's profile). Only accepted
 * tokens are remembered, so a hit is exactly what fast-jwt answered: everything it checks is fixed by
 * the token's text and the key, except the clock, and of the clock only `exp` can turn an accepted
 * token into a refused one (an `nbf` it passed stays passed; no maxAge is set). A hit therefore checks
 * `exp` again as fast-jwt does (refused once now > exp × 1000 ms). The sessions check
 * (auth.sessions.ts) runs on every request, hit or not.
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

/** Tokens remembered at most; the oldest remembered goes first (a Map iterates in insertion order). */
export const VERIFIED_TOKENS_KEPT = 20_000;

interface Verified {
  viewer: Viewer;
  /** The token's `exp`, in milliseconds. */
  expiresAtMs: number;
}

export function createTokenSigner(secret: string, ttlSeconds: number, options: { kept?: number } = {}): TokenSigner {
  const kept = options.kept ?? VERIFIED_TOKENS_KEPT;
  const verified = new Map<string, Verified>();
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
      const known = verified.get(token);
      if (known !== undefined) {
        if (Date.now() <= known.expiresAtMs) return { ...known.viewer };
        verified.delete(token);
        return null;
      }
      let payload: { sub?: unknown; role?: unknown; org?: unknown; ver?: unknown; exp?: unknown };
      try {
        payload = verifier(token) as typeof payload;
      } catch (error) {
        if (error instanceof TokenError) return null;
        throw error;
      }
      const role = payload.role as Role;
      if (typeof payload.sub !== "string" || !ROLES.includes(role)) return null;
      const viewer: Viewer = {
        id: payload.sub,
        role,
        organizationId: typeof payload.org === "string" ? payload.org : null,
        sessionVersion: Number.isSafeInteger(payload.ver) ? (payload.ver as number) : 0,
      };
      // (fast-jwt has checked that exp is present and a number.)
      if (kept > 0) {
        if (verified.size >= kept) verified.delete(verified.keys().next().value!);
        verified.set(token, { viewer, expiresAtMs: (payload.exp as number) * 1000 });
      }
      return { ...viewer };
    },
  };
}

/** Accepts "Bearer <token>" or a bare token; anything else is no token. */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== "string" || header.length === 0 || header.length > 4096) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match ? match[1]! : header.includes(" ") ? null : header.trim();
}
