/**
 * Signed bearer tokens (HS256 JWS via jose). The same token authenticates HTTP requests
 * (`Authorization: Bearer …`) and graphql-ws connections (`connectionParams.authorization`).
 */
import { jwtVerify, SignJWT, errors as joseErrors } from "jose";

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
/** A cached token is used until this long before its expiry, never after it. */
const VERIFIED_CACHE_MARGIN_MS = 1_000;

export function createTokenSigner(secret: string, ttlSeconds: number): TokenSigner {
  const raw = new TextEncoder().encode(secret);
  // Imported once: handing jose the raw bytes re-imports the key on every verification.
  const key = crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  // token → viewer and expiry. Only tokens whose signature and claims were verified get in; a forged or
  // altered token is a different string, so it can never hit an entry. Oldest entries go first.
  const verified = new Map<string, { viewer: Viewer; expiresAtMs: number }>();
  return {
    sign: async (viewer) =>
      new SignJWT({ role: viewer.role, org: viewer.organizationId })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(viewer.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(await key),
    async verify(token) {
      const cached = verified.get(token);
      if (cached) {
        if (cached.expiresAtMs - VERIFIED_CACHE_MARGIN_MS > Date.now()) return cached.viewer;
        verified.delete(token);
      }
      try {
        const { payload } = await jwtVerify(token, await key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"] });
        const role = payload.role as Role;
        if (typeof payload.sub !== "string" || !ROLES.includes(role)) return null;
        const viewer: Viewer = { id: payload.sub, role, organizationId: typeof payload.org === "string" ? payload.org : null };
        if (typeof payload.exp === "number") {
          if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
          verified.set(token, { viewer, expiresAtMs: payload.exp * 1000 });
        }
        return viewer;
      } catch (error) {
        if (error instanceof joseErrors.JOSEError) return null;
        throw error;
      }
    },
  };
}

/** Accepts "Bearer <token>" or a bare token; anything else is no token. */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== "string" || header.length === 0 || header.length > 4096) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match ? match[1]! : header.includes(" ") ? null : header.trim();
}
