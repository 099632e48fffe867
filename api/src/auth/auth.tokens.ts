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

export function createTokenSigner(secret: string, ttlSeconds: number): TokenSigner {
  const key = new TextEncoder().encode(secret);
  return {
    sign: (viewer) =>
      new SignJWT({ role: viewer.role, org: viewer.organizationId })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(viewer.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key),
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"] });
        const role = payload.role as Role;
        if (typeof payload.sub !== "string" || !ROLES.includes(role)) return null;
        return { id: payload.sub, role, organizationId: typeof payload.org === "string" ? payload.org : null };
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
