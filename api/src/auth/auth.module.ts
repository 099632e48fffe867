/** Builds accounts for one API process: the bearer-token signer, the login and registration brakes, and the ended sessions. */
import type { Platform } from "../platform/platform.module.js";
import { createAuthLimits } from "./auth.limits.js";
import type { AuthDependencies } from "./auth.service.js";
import { startSessions } from "./auth.sessions.js";
import { createTokenSigner } from "./auth.tokens.js";

export function createAuthModule({ config, db, redis, keys, logger }: Platform): AuthDependencies {
  return {
    pool: db.pool,
    tokens: createTokenSigner(config.authTokenSecret, config.authTokenTtlSeconds),
    limits: createAuthLimits(redis, keys, config),
    sessions: startSessions(db.pool, { tokenTtlSeconds: config.authTokenTtlSeconds, refreshMs: config.sessionRefreshMs }, logger),
  };
}
