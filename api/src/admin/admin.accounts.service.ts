/**
 * Organizations and accounts, managed by admins only (the resolver's @Authorized("ADMIN")): create an
 * organization, create promoter (or admin) accounts in it, move, rename, promote, demote and disable
 * accounts. Fans register themselves; an admin never sees or sets a password after creating one.
 *
 * Rules: a PROMOTER belongs to an organization; a FAN to none; an ADMIN may belong to one or none.
 * An admin cannot disable, demote or move themselves (no locking oneself out), and the last active
 * admin cannot be disabled or demoted. A change of role or organization, and disabling, end the
 * account's sessions (auth/auth.sessions.ts): the process that made the change refuses the old
 * tokens at once, the others within SESSION_REFRESH_MS. Every change writes an audit row (without
 * the password hash) in its transaction; a refusal changes and records nothing.
 */
import type pg from "pg";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, normalizeEmail } from "../auth/auth.service.js";
import { hashPassword } from "../auth/auth.password.js";
import type { Sessions } from "../auth/auth.sessions.js";
import type { Role, Viewer } from "../auth/auth.tokens.js";
import { withResultTransaction } from "../platform/db.js";
import { fail, ok, type Result } from "../platform/errors.js";
import { isId } from "../platform/graphql.js";
import { recordAudit } from "./admin.audit.js";
import * as db from "./admin.accounts.db.js";

export type AccountError = "VALIDATION" | "NOT_FOUND" | "EMAIL_TAKEN";
type Outcome<T> = Result<T, AccountError>;

export interface AccountDependencies {
  pool: pg.Pool;
  sessions: Sessions;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const checkId = (value: string, field: string): Outcome<string> => (isId(value) ? ok(value.toLowerCase()) : fail("VALIDATION", `${field} is not a valid id`, field));

/** A LIKE pattern's text with its wildcards escaped, or null for no search. */
export function searchText(q: string | null | undefined): string | null {
  return q === null || q === undefined || q.trim() === "" ? null : q.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
}

// ---------------------------------------------------------------- organizations

export const ORGANIZATION_SORT_COLUMNS: Record<string, string> = { name: "o.name", slug: "o.slug", createdAt: "o.created_at", id: "o.id" };
export const ORGANIZATION_SORT_FIELDS = Object.keys(ORGANIZATION_SORT_COLUMNS);

export const listOrganizations = (pool: pg.Pool, query: db.ListQuery) => db.findOrganizations(pool, query);

export const findOrganization = (pool: pg.Pool, id: string) => (isId(id) ? db.findOrganization(pool, id.toLowerCase()) : Promise.resolve(null));

function checkOrganizationName(name: string): Outcome<string> {
  const trimmed = name.trim();
  return trimmed.length >= 1 && trimmed.length <= 120 ? ok(trimmed) : fail("VALIDATION", "name must be 1 to 120 characters", "name");
}

function slugFor(name: string): string {
  return name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
}

export async function createOrganization(pool: pg.Pool, viewer: Viewer, input: { name: string; slug?: string | null }): Promise<Outcome<string>> {
  const name = checkOrganizationName(input.name);
  if (!name.ok) return name;
  const slug = input.slug?.trim() || slugFor(name.value);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length > 60) {
    return fail("VALIDATION", "slug must be lower-case letters, digits and single hyphens, at most 60 characters", input.slug ? "slug" : "name");
  }
  return withResultTransaction(pool, async (tx) => {
    const id = await db.insertOrganization(tx, { name: name.value, slug });
    if (id === null) return fail("VALIDATION", `an organization with the slug "${slug}" exists; choose another name or slug`, input.slug ? "slug" : "name");
    await recordAudit(tx, { actorUserId: viewer.id, organizationId: null, action: "organization.create", entityType: "organization", entityId: id, before: null, after: { id, name: name.value, slug } });
    return ok(id);
  });
}

export async function updateOrganization(pool: pg.Pool, viewer: Viewer, input: { id: string; name?: string | null }): Promise<Outcome<string>> {
  const id = checkId(input.id, "id");
  if (!id.ok) return id;
  return withResultTransaction(pool, async (tx) => {
    const before = await db.lockOrganization(tx, id.value);
    if (!before) return fail("NOT_FOUND", "no such organization", "id");
    const name = checkOrganizationName(input.name ?? before.name);
    if (!name.ok) return name;
    await db.renameOrganization(tx, before.id, name.value);
    await recordAudit(tx, {
      actorUserId: viewer.id,
      organizationId: null,
      action: "organization.update",
      entityType: "organization",
      entityId: before.id,
      before: { id: before.id, name: before.name, slug: before.slug },
      after: { id: before.id, name: name.value, slug: before.slug },
    });
    return ok(before.id);
  });
}

// ---------------------------------------------------------------- accounts

export const ACCOUNT_SORT_COLUMNS: Record<string, string> = { email: "u.email", name: "u.name", role: "u.role", createdAt: "u.created_at", id: "u.id" };
export const ACCOUNT_SORT_FIELDS = Object.keys(ACCOUNT_SORT_COLUMNS);

export const listAccounts = (pool: pg.Pool, query: db.AccountQuery) => db.findAccounts(pool, query);

export const findAccount = (pool: pg.Pool, id: string) => (isId(id) ? db.findAccount(pool, id.toLowerCase()) : Promise.resolve(null));

/** What an audit row shows of an account: never the password hash. */
const auditView = (account: db.AccountRow) => ({
  id: account.id,
  email: account.email,
  name: account.name,
  role: account.role,
  organizationId: account.organizationId,
  disabled: account.disabled,
  sessionVersion: account.sessionVersion,
});

/** The organization rule of a role: `organizationId` as it may be stored, or a refusal. */
async function checkMembership(tx: pg.PoolClient, role: Role, organizationId: string | null): Promise<Outcome<string | null>> {
  if (role === "FAN") {
    return organizationId === null ? ok(null) : fail("VALIDATION", "a fan belongs to no organization; clear the organization or choose another role", "organizationId");
  }
  if (organizationId === null) {
    return role === "PROMOTER" ? fail("VALIDATION", "a promoter must belong to an organization", "organizationId") : ok(null);
  }
  if (!isId(organizationId)) return fail("VALIDATION", "organizationId is not a valid id", "organizationId");
  const organization = await db.findOrganization(tx, organizationId.toLowerCase());
  return organization ? ok(organization.id) : fail("NOT_FOUND", "no such organization", "organizationId");
}

function checkName(name: string): Outcome<string> {
  const trimmed = name.trim();
  return trimmed.length >= 1 && trimmed.length <= 100 ? ok(trimmed) : fail("VALIDATION", "name must be 1 to 100 characters", "name");
}

/** Creates a promoter or admin account with a first password the admin hands over. */
export async function createAccount(
  deps: AccountDependencies,
  viewer: Viewer,
  input: { email: string; name: string; password: string; role: Role; organizationId?: string | null },
): Promise<Outcome<string>> {
  const email = normalizeEmail(input.email);
  if (!EMAIL.test(email) || email.length > 254) return fail("VALIDATION", "email is not a valid address", "email");
  const name = checkName(input.name);
  if (!name.ok) return name;
  if (input.role === "FAN") return fail("VALIDATION", "fans register on the storefront; create PROMOTER or ADMIN accounts here", "role");
  if (input.password.length < PASSWORD_MIN_LENGTH || input.password.length > PASSWORD_MAX_LENGTH) {
    return fail("VALIDATION", `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`, "password");
  }
  const passwordHash = await hashPassword(input.password);
  return withResultTransaction(deps.pool, async (tx) => {
    const organizationId = await checkMembership(tx, input.role, input.organizationId ?? null);
    if (!organizationId.ok) return organizationId;
    const id = await db.insertAccount(tx, { email, name: name.value, passwordHash, role: input.role, organizationId: organizationId.value });
    if (id === null) return fail("EMAIL_TAKEN", "an account with this email already exists", "email");
    const after = await db.findAccount(tx, id);
    await recordAudit(tx, { actorUserId: viewer.id, organizationId: null, action: "user.create", entityType: "user", entityId: id, before: null, after: auditView(after!) });
    return ok(id);
  });
}

/**
 * Changes an account's name, role, organization or disabled state; omitted fields stay. Moving an
 * account out of PROMOTER into FAN clears its organization unless one is given.
 */
export async function updateAccount(
  deps: AccountDependencies,
  viewer: Viewer,
  input: { id: string; name?: string | null; role?: Role | null; organizationId?: string | null; disabled?: boolean | null },
): Promise<Outcome<string>> {
  const id = checkId(input.id, "id");
  if (!id.ok) return id;
  const outcome = await withResultTransaction(deps.pool, async (tx) => {
    await db.lockRoster(tx);
    const before = await db.lockAccount(tx, id.value);
    if (!before) return fail("NOT_FOUND", "no such account", "id");
    const name = checkName(input.name ?? before.name);
    if (!name.ok) return name;
    const role = input.role ?? before.role;
    // A partner's fan stays a fan of no organization (a CHECK says so too); an admin may still rename or disable it.
    if (before.partnerFan && (role !== "FAN" || (input.organizationId ?? null) !== null)) {
      return fail("VALIDATION", "this is a partner's fan: it stays a FAN without an organization", input.role != null ? "role" : "organizationId");
    }
    const requestedOrganization = input.organizationId === undefined ? (role === "FAN" ? null : before.organizationId) : input.organizationId;
    const organizationId = await checkMembership(tx, role, requestedOrganization);
    if (!organizationId.ok) return organizationId;
    const disabled = input.disabled ?? before.disabled;

    const changesAccess = role !== before.role || organizationId.value !== before.organizationId || disabled !== before.disabled;
    if (before.id === viewer.id && changesAccess) {
      return fail("VALIDATION", "you cannot disable, demote or move your own account; ask another admin", input.disabled != null ? "disabled" : "role");
    }
    // The count is exact: every account change holds the roster lock (below), so two admins demoting
    // each other at the same instant run one after the other and the second sees the first's change.
    if (before.role === "ADMIN" && !before.disabled && (role !== "ADMIN" || disabled) && (await db.countActiveAdmins(tx)) <= 1) {
      return fail("VALIDATION", "this is the last active admin; make another admin first", "role");
    }
    await db.updateAccount(tx, before.id, { name: name.value, role, organizationId: organizationId.value, disabled, endSessions: changesAccess });
    const after = (await db.findAccount(tx, before.id))!;
    const action = disabled !== before.disabled ? (disabled ? "user.disable" : "user.enable") : "user.update";
    await recordAudit(tx, { actorUserId: viewer.id, organizationId: null, action, entityType: "user", entityId: before.id, before: auditView(before), after: auditView(after) });
    return ok(after);
  });
  if (!outcome.ok) return outcome;
  // Committed: this process refuses the old tokens from now on; the others at their next refresh.
  deps.sessions.changed(outcome.value.id, { version: outcome.value.sessionVersion, disabled: outcome.value.disabled });
  return ok(outcome.value.id);
}
