/** Builds accounts for one API process: the bearer-token signer and the login and registration brakes. */
import type { Platform } from "../platform/platform.module.js";
import { createAuthLimits } from "./auth.limits.js";
import type { AuthDependencies } from "./auth.service.js";
import { createTokenSigner } from "./auth.tokens.js";

export function createAuthModule({ config, db, redis, keys }: Platform): AuthDependencies {
  return { pool: db.pool, tokens: createTokenSigner(config.authTokenSecret, config.authTokenTtlSeconds), limits: createAuthLimits(redis, keys, config) };
}
