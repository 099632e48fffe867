/**
 * Ending sessions that stateless bearer tokens would otherwise keep alive. A token says who its holder
 * is, with which role and organization, until it expires (AUTH_TOKEN_TTL_SECONDS, a week by default):
 * when an admin disables an account or moves a promoter to another organization, the tokens already
 * handed out must stop working now, not next week.
 *
 * How: every token carries the user's `session_version` at signing (auth.tokens.ts). An admin's change
 * bumps the version and stamps `sessions_changed_at` (admin.accounts.service.ts). Each API process
 * keeps, in memory, the current version of the few users changed within one token lifetime (older
 * tokens have expired anyway, so the list stays small) and whether they are disabled, and refuses a
 * token of an older version or of a disabled user. The list is re-read from PostgreSQL every
 * SESSION_REFRESH_MS (2 s by default, an index range scan on `sessions_changed_at`), and the process
 * that made a change applies it at once, so a change takes effect immediately where it was made and
 * within one refresh everywhere else. Checking a token costs one Map lookup: no query per request.
 */
import type pg from "pg";
import type { Logger } from "../platform/logger.js";
import { startPeriodic } from "../platform/periodic.js";
import type { Viewer } from "./auth.tokens.js";

interface SessionState {
  version: number;
  disabled: boolean;
}

export interface Sessions {
  /** Why the token's sessions have ended, or null while it is good. */
  refusal(viewer: Viewer): string | null;
  /** Applies a change this process just committed, without waiting for the next refresh. */
  changed(userId: string, state: SessionState): void;
  /** Re-reads the recently changed users now (tests, and the first read at start). */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

export function startSessions(pool: pg.Pool, options: { tokenTtlSeconds: number; refreshMs: number }, logger: Logger): Sessions {
  let changedUsers = new Map<string, SessionState>();
  // Changes applied here by `changed` while a read was in flight: that read may have started before
  // their commit, so they are applied again on top of what it returns.
  let recentChanges: { userId: string; state: SessionState; at: number }[] = [];

  async function read(): Promise<void> {
    const started = Date.now();
    const { rows } = await pool.query<{ id: string; version: number; disabled: boolean }>(
      `SELECT id, session_version AS version, disabled_at IS NOT NULL AS disabled
         FROM users WHERE sessions_changed_at > now() - make_interval(secs => $1)`,
      [options.tokenTtlSeconds],
    );
    const next = new Map(rows.map((row) => [row.id, { version: row.version, disabled: row.disabled }]));
    recentChanges = recentChanges.filter((change) => change.at >= started);
    for (const change of recentChanges) next.set(change.userId, change.state);
    changedUsers = next;
  }

  const job = startPeriodic("session refresh", options.refreshMs, read, logger);
  job.run().catch((error: unknown) => logger.warn({ err: error }, "could not read ended sessions; retrying at the next refresh"));

  return {
    refusal(viewer) {
      const state = changedUsers.get(viewer.id);
      if (!state) return null;
      const version = viewer.sessionVersion ?? 0;
      // A token newer than what this process knows was signed after a change it has not read yet
      // (the account was enabled again, and signed in through another process): it is good.
      if (version > state.version) return null;
      if (state.disabled) return "this account has been disabled";
      if (version < state.version) return "this account's access changed since you signed in; sign in again";
      return null;
    },
    changed(userId, state) {
      changedUsers.set(userId, state);
      recentChanges.push({ userId, state, at: Date.now() });
    },
    refresh: () => job.run(),
    stop: () => job.stop(),
  };
}
