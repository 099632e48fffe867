/**
 * Optional proof of work on join (per event: proof_of_work_enabled), with ALTCHA (altcha-lib): the
 * client gets a signed challenge from `waitingRoomChallenge`, burns some CPU finding a key with the
 * required prefix, and sends the solution with `joinWaitingRoom`. Cheap for one fan, costly for a bot
 * farm opening thousands of tickets. Each challenge is bound to its event and accepted once.
 */
import { createChallenge, verifySolution, type Challenge, type Solution } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/sha";
import { hkdfSync } from "node:crypto";
import type { Redis } from "../platform/redis.js";

export interface ProofOfWork {
  challenge(eventId: string): Promise<string>;
  verify(payload: string, eventId: string): Promise<boolean>;
}

const CHALLENGE_SECONDS = 300;

export function createProofOfWork(options: { secret: string; redis: Redis; usedPrefix: string; keyPrefix: string; cost: number }): ProofOfWork {
  const hmacSignatureSecret = Buffer.from(hkdfSync("sha256", options.secret, "boxoffice", "altcha", 32)).toString("hex");
  return {
    async challenge(eventId) {
      const challenge = await createChallenge({
        algorithm: "SHA-256",
        cost: options.cost,
        keyPrefix: options.keyPrefix,
        deriveKey,
        hmacSignatureSecret,
        expiresAt: Math.floor(Date.now() / 1000) + CHALLENGE_SECONDS,
        data: { eventId },
      });
      return Buffer.from(JSON.stringify(challenge)).toString("base64");
    },
    async verify(payload, eventId) {
      let parsed: { challenge: Challenge; solution: Solution };
      try {
        parsed = JSON.parse(Buffer.from(payload, "base64").toString("utf8")) as { challenge: Challenge; solution: Solution };
      } catch {
        return false;
      }
      if (!parsed?.challenge?.parameters || !parsed.solution || parsed.challenge.parameters.data?.eventId !== eventId) return false;
      const result = await verifySolution({ challenge: parsed.challenge, solution: parsed.solution, deriveKey, hmacSignatureSecret }).catch(() => null);
      if (!result?.verified) return false;
      // One join per solved challenge.
      const fresh = await options.redis.set(`${options.usedPrefix}${parsed.challenge.parameters.nonce}`, "1", "EX", CHALLENGE_SECONDS, "NX");
      return fresh === "OK";
    },
  };
}
