/**
 * Admission tokens: a short-lived HS256 JWT (jose) naming the event, the fan and their queue ticket.
 * holdSeats and checkout of a waiting-room event require one; the key is derived from
 * AUTH_TOKEN_SECRET with its own label, so a bearer token can never pass as an admission token.
 */
import { hkdfSync } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";

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
  const key = new Uint8Array(hkdfSync("sha256", secret, "boxoffice", "admission-token", 32));
  return {
    sign(admission) {
      return new SignJWT({ evt: admission.eventId, qt: admission.queueToken })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(admission.userId)
        .setExpirationTime(Math.floor(admission.expiresAt.getTime() / 1000))
        .sign(key);
    },
    async verify(token, options = {}) {
      if (token.length > 2_000) return null;
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms: ["HS256"],
          // An expired token still proves the fan was admitted (checkout of a hold placed in time).
          ...(options.allowExpired ? { currentDate: new Date(0) } : {}),
        });
        if (typeof payload.sub !== "string" || typeof payload.evt !== "string" || typeof payload.qt !== "string" || typeof payload.exp !== "number") return null;
        return { userId: payload.sub, eventId: payload.evt, queueToken: payload.qt, expiresAt: new Date(payload.exp * 1000) };
      } catch {
        return null;
      }
    },
  };
}
