/**
 * Admission tokens: a short-lived HS256 JWT (fast-jwt, as bearer tokens: auth.tokens.ts) naming the
 * event, the fan and their queue ticket.
 * holdSeats and checkout of a waiting-room event require one; the key is derived from
 * AUTH_TOKEN_SECRET with its own label, so a bearer token can never pass as an admission token.
 */
import { hkdfSync } from "node:crypto";
import { createSigner, createVerifier } from "fast-jwt";

const ISSUER = "boxoffice";
const AUDIENCE = "boxoffice-admission";

export interface Admission {
  userId: string;
  eventId: string;
  queueToken: string;
  expiresAt: Date;
}

export interface AdmissionTokens {
  sign(admission: Admission): Promise<string>;
  /** The admission, or null when forged, altered or not an admission token; expired ones only with `allowExpired`. */
  verify(token: string, options?: { allowExpired?: boolean }): Promise<Admission | null>;
}

export function createAdmissionTokens(secret: string): AdmissionTokens {
  const key = Buffer.from(hkdfSync("sha256", secret, "boxoffice", "admission-token", 32));
  const signer = createSigner({ key, algorithm: "HS256", iss: ISSUER, aud: AUDIENCE, noTimestamp: true });
  const checks = { key, algorithms: ["HS256" as const], allowedIss: ISSUER, allowedAud: AUDIENCE, requiredClaims: ["exp", "sub", "evt", "qt"] };
  const verifier = createVerifier(checks);
  // An expired token still proves the fan was admitted (checkout of a hold placed in time).
  const verifierAllowingExpired = createVerifier({ ...checks, ignoreExpiration: true });
  return {
    async sign(admission) {
      return signer({ sub: admission.userId, evt: admission.eventId, qt: admission.queueToken, exp: Math.floor(admission.expiresAt.getTime() / 1000) });
    },
    async verify(token, options = {}) {
      if (token.length > 2_000) return null;
      try {
        const payload = (options.allowExpired ? verifierAllowingExpired : verifier)(token) as Record<string, unknown>;
        if (typeof payload.sub !== "string" || typeof payload.evt !== "string" || typeof payload.qt !== "string" || typeof payload.exp !== "number") return null;
        return { userId: payload.sub, eventId: payload.evt, queueToken: payload.qt, expiresAt: new Date(payload.exp * 1000) };
      } catch {
        return null;
      }
    },
  };
}
