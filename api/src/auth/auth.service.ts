/**
 * Accounts: register (always as FAN) and login, each answering a signed bearer token.
 * Promoter and admin accounts are created by admins or the seed, never by self-registration.
 *
 * Login: count the attempt (auth.limits.ts; refused → RATE_LIMITED, no password checked) → find the
 * account → verify the password, against a dummy hash when there is no account, so an unknown email
 * costs the same time as a wrong password → on success clear the failure counters and sign a token.
 * Register: check the input → count the attempt → hash → insert (the UNIQUE index decides EMAIL_TAKEN).
 */
import type pg from "pg";
import { fail, ok, type Result } from "../platform/errors.js";
import { findUserWithPasswordByEmail, insertUser, type UserRow } from "./auth.db.js";
import { hashPassword, verifyPassword } from "./auth.password.js";
import type { AuthLimits } from "./auth.limits.js";
import type { Sessions } from "./auth.sessions.js";
import type { TokenSigner } from "./auth.tokens.js";

export interface AuthDependencies {
  pool: pg.Pool;
  tokens: TokenSigner;
  limits: AuthLimits;
  sessions: Sessions;
}

export interface Session {
  token: string;
  user: UserRow;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** A normalized email this API accepts (register, and a partner's fans). */
export const isEmail = (email: string) => EMAIL.test(email) && email.length <= 254;

/** Creates a FAN account; EMAIL_TAKEN when the (normalized) email exists; RATE_LIMITED per address and email. */
export async function register(
  deps: AuthDependencies,
  input: { email: string; password: string; name: string },
  address: string,
): Promise<Result<Session, "VALIDATION" | "EMAIL_TAKEN" | "RATE_LIMITED">> {
  const email = normalizeEmail(input.email);
  const name = input.name.trim();
  if (!isEmail(email)) return fail("VALIDATION", "email is not a valid address", "email");
  if (input.password.length < PASSWORD_MIN_LENGTH || input.password.length > PASSWORD_MAX_LENGTH) {
    return fail(
      "VALIDATION",
      `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
      "password",
    );
  }
  if (name.length < 1 || name.length > 100) return fail("VALIDATION", "name must be 1 to 100 characters", "name");
  const refused = await deps.limits.beginRegistration(email, address);
  if (refused) return { ok: false, error: refused };
  const user = await insertUser(deps.pool, { email, name, passwordHash: await hashPassword(input.password) });
  if (!user) return fail("EMAIL_TAKEN", "an account with this email already exists", "email");
  return ok({ token: await deps.tokens.sign(user), user });
}

/** The same INVALID_CREDENTIALS for an unknown email and a wrong password, in the same time; RATE_LIMITED after too many failures. */
export async function login(
  deps: AuthDependencies,
  input: { email: string; password: string },
  address: string,
): Promise<Result<Session, "INVALID_CREDENTIALS" | "RATE_LIMITED" | "FORBIDDEN">> {
  const email = normalizeEmail(input.email);
  const refused = await deps.limits.beginLogin(email, address);
  if (refused) return { ok: false, error: refused };
  const found = await findUserWithPasswordByEmail(deps.pool, email);
  const valid = await verifyPassword(found?.passwordHash ?? null, input.password);
  if (!found || !valid) return fail("INVALID_CREDENTIALS", "email or password is wrong");
  await deps.limits.loginSucceeded(email, address);
  // Said only to whoever knows the password: a disabled account is no secret to its owner.
  if (found.disabled) return fail("FORBIDDEN", "this account has been disabled; ask your organization's administrator");
  const { passwordHash: _omitted, disabled: _disabled, ...user } = found;
  return ok({ token: await deps.tokens.sign(user), user });
}
