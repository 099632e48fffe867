/**
 * Brakes on password guessing and mass registration, after OWASP's Authentication cheat sheet and
 * rate-limiter-flexible's login-protection recipe. Counted in Redis, so every API process shares them:
 *
 * - failures in a row for one account from one address (LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS, 10):
 *   stops guessing one password from one place, without letting that place lock the account for others;
 * - failures in a row for one account from anywhere (LOGIN_FAILURES_PER_ACCOUNT, 50): stops guessing
 *   spread over many addresses; set higher than the first because anyone can spend it to lock the
 *   account out (LOGIN_LOCKOUT_SECONDS, 15 minutes);
 * - failures per address per day across accounts (LOGIN_FAILURES_PER_ADDRESS_PER_DAY, 100): stops
 *   trying one common password against many accounts (credential stuffing);
 * - registrations per address and per email per hour: each costs an Argon2 hash.
 *
 * An attempt is counted before the password is checked and given back when it succeeds, so attempts
 * made at the same time (200 aliased logins in one request, or 200 requests) all count. A success
 * clears both failure-in-a-row counters. Accounts are counted by a hash of the normalized email
 * whether or not the account exists, so a refusal says nothing about which emails have accounts; the
 * hash also keeps emails out of Redis and bounds the key length. Addresses are counted by
 * `addressBucket`: an IPv6 client by its /64.
 */
import { createHash } from "node:crypto";
import type { DomainError } from "../platform/errors.js";
import { addressBucket } from "../platform/client-address.js";
import { consumeOrRefuse, createLimiter } from "../platform/rate-limits.js";
import type { RedisKeys } from "../platform/redis-keys.js";
import type { Redis } from "../platform/redis.js";

export interface AuthLimitSettings {
  loginFailuresPerAccountAndAddress: number;
  loginFailuresPerAccount: number;
  loginFailuresPerAddressPerDay: number;
  loginLockoutSeconds: number;
  registrationsPerAddressPerHour: number;
  registrationsPerEmailPerHour: number;
}

type Refusal = DomainError<"RATE_LIMITED"> | null;

export interface AuthLimits {
  /** Counts a login attempt before its password is checked; RATE_LIMITED when any limit is spent. */
  beginLogin(email: string, address: string): Promise<Refusal>;
  /** The attempt succeeded: the account's failures in a row start again, and the address gets its point back. */
  loginSucceeded(email: string, address: string): Promise<void>;
  /** Counts a registration attempt before its password is hashed; RATE_LIMITED when a limit is spent. */
  beginRegistration(email: string, address: string): Promise<Refusal>;
}

const DAY_SECONDS = 24 * 3600;
const HOUR_SECONDS = 3600;

export function createAuthLimits(redis: Redis, keys: RedisKeys, settings: AuthLimitSettings): AuthLimits {
  const lockout = settings.loginLockoutSeconds;
  // "In a row" counters live a day after the first failure: a rare typo now and then never adds up.
  const loginAddress = createLimiter(redis, keys, { name: "login-address", points: settings.loginFailuresPerAddressPerDay, windowSeconds: DAY_SECONDS });
  const loginAccountAddress = createLimiter(redis, keys, {
    name: "login-account-address",
    points: settings.loginFailuresPerAccountAndAddress,
    windowSeconds: DAY_SECONDS,
    blockSeconds: lockout,
  });
  const loginAccount = createLimiter(redis, keys, { name: "login-account", points: settings.loginFailuresPerAccount, windowSeconds: DAY_SECONDS, blockSeconds: lockout });
  const registerAddress = createLimiter(redis, keys, { name: "register-address", points: settings.registrationsPerAddressPerHour, windowSeconds: HOUR_SECONDS });
  const registerEmail = createLimiter(redis, keys, { name: "register-email", points: settings.registrationsPerEmailPerHour, windowSeconds: HOUR_SECONDS });

  const account = (email: string) => createHash("sha256").update(email).digest("base64url");

  return {
    // Widest first, one after another: an address already refused does not push an account towards
    // its lockout, and one refused for an account does not push the account's total.
    async beginLogin(email, client) {
      const address = addressBucket(client);
      return (
        (await consumeOrRefuse(loginAddress, address)) ??
        (await consumeOrRefuse(loginAccountAddress, `${account(email)}:${address}`)) ??
        (await consumeOrRefuse(loginAccount, account(email)))
      );
    },
    async loginSucceeded(email, client) {
      const address = addressBucket(client);
      await Promise.all([loginAccountAddress.delete(`${account(email)}:${address}`), loginAccount.delete(account(email)), loginAddress.reward(address, 1)]);
    },
    async beginRegistration(email, client) {
      return (await consumeOrRefuse(registerAddress, addressBucket(client))) ?? (await consumeOrRefuse(registerEmail, account(email)));
    },
  };
}
