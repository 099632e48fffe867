/**
 * Webhook endpoints and their deliveries, managed by a partner key with `webhooks:manage` (its own
 * organization's) or by a promoter (their organization's) or an admin (any organization's) in the
 * console. Someone else's endpoint or delivery answers NOT_FOUND, never a hint that it exists.
 *
 * Each change is validated first (nothing changes on bad input), runs in one transaction and writes an
 * audit row there, never with the secret. The secret is answered by create and rotate only.
 */
import type pg from "pg";
import type { Viewer } from "../auth/auth.tokens.js";
import { recordAudit } from "../admin/admin.audit.js";
import { withResultTransaction } from "../platform/db.js";
import { ApiError, fail, ok, type Result } from "../platform/errors.js";
import { decodeCursor, encodeCursor, isId, type Page } from "../platform/graphql.js";
import type { Partner } from "./partner.auth.js";
import { randomBytes } from "node:crypto";
import { CHANGE_TYPES, isChangeType, type ChangeType } from "./partner.changes.types.js";
import { checkTarget, postTo, type AddressPolicy } from "./partner.webhooks.http.js";
import { messageId, newSecret, SECRET_OVERLAP_MS, signedHeaders } from "./partner.webhooks.signing.js";

/** What partners can subscribe to (the partner_events type CHECK lists the same), in a stable order. */
export const WEBHOOK_EVENT_TYPES = Object.keys(CHANGE_TYPES) as ChangeType[];

/** Most endpoints one organization may register. */
export const MAX_ENDPOINTS = 20;
const MAX_DESCRIPTION = 500;

export type WebhookError = "VALIDATION" | "NOT_FOUND" | "FORBIDDEN";

/** Who is acting: the organization they act for (null: an admin who named none) and who to audit. */
export interface WebhookActor {
  organizationId: string | null;
  admin: boolean;
  userId: string | null;
  keyId: string | null;
  /** A key's scopes (null for people): a key subscribes only to the types its scopes let it read. */
  scopes: readonly string[] | null;
}

/**
 * The caller as a webhook manager, or a GraphQL error (UNAUTHENTICATED, FORBIDDEN) for anyone else,
 * as `@Authorized` answers. A key's scope is checked by the partner gate before anything runs; it is
 * checked here too so this never depends on the gate's field list alone.
 */
export function webhookActor(viewer: Viewer | null, partner: Partner | null): WebhookActor {
  if (partner) {
    if (!partner.scopes.includes("webhooks:manage")) throw new ApiError("FORBIDDEN", "this API key lacks the webhooks:manage scope");
    return { organizationId: partner.organizationId, admin: false, userId: null, keyId: partner.keyId, scopes: partner.scopes };
  }
  if (!viewer) throw new ApiError("UNAUTHENTICATED", "sign in first");
  if (viewer.role === "ADMIN") return { organizationId: null, admin: true, userId: viewer.id, keyId: null, scopes: null };
  if (viewer.role === "PROMOTER" && viewer.organizationId) return { organizationId: viewer.organizationId, admin: false, userId: viewer.id, keyId: null, scopes: null };
  throw new ApiError("FORBIDDEN", "your role may not do this");
}

/** The organization an operation is for: the actor's own; an admin names one (or none, for lists). */
function organizationFor(actor: WebhookActor, organizationId: string | null | undefined, required: boolean): Result<string | null, WebhookError> {
  if (organizationId !== null && organizationId !== undefined) {
    if (!isId(organizationId)) return fail("VALIDATION", "organizationId is not a valid id", "organizationId");
    const id = organizationId.toLowerCase();
    if (!actor.admin && id !== actor.organizationId) return fail("FORBIDDEN", "you manage the webhooks of your own organization only", "organizationId");
    return ok(id);
  }
  if (actor.admin && required) return fail("VALIDATION", "an admin names the organization", "organizationId");
  return ok(actor.organizationId);
}

/** May the actor see this organization's endpoints? */
const reaches = (actor: WebhookActor, organizationId: string) => actor.admin || actor.organizationId === organizationId;

export interface EndpointRow {
  id: string;
  organizationId: string;
  url: string;
  description: string;
  eventTypes: string[];
  disabledAt: Date | null;
  disabledReason: string | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const ENDPOINT_COLUMNS = `id, organization_id AS "organizationId", url, description, event_types AS "eventTypes", disabled_at AS "disabledAt",
  disabled_reason AS "disabledReason", CASE WHEN previous_secret_expires_at > now() THEN previous_secret_expires_at END AS "previousSecretExpiresAt",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

async function endpointById(db: pg.Pool | pg.PoolClient, id: string, lock = false): Promise<EndpointRow | null> {
  const { rows } = await db.query<EndpointRow>(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1${lock ? " FOR UPDATE" : ""}`, [id]);
  return rows[0] ?? null;
}

/** Audit's view of an endpoint: everything but the secrets. */
const audited = (row: EndpointRow) => ({ ...row });

function validTypes(actor: WebhookActor, types: readonly string[]): Result<string[], WebhookError> {
  const unknown = types.find((type) => !isChangeType(type));
  if (unknown !== undefined) return fail("VALIDATION", `unknown event type "${unknown}"; the types are ${WEBHOOK_EVENT_TYPES.join(", ")}`, "eventTypes");
  if (types.length === 0) return fail("VALIDATION", "subscribe to at least one event type", "eventTypes");
  // A webhook carries the event's data, so a key receives only what it could read: order.* and ticket.*
  // need orders:read, event.* and section.* catalogue:read (as the `changes` feed asks).
  const unreadable = actor.scopes === null ? undefined : types.find((type) => !actor.scopes!.includes(CHANGE_TYPES[type as ChangeType]));
  if (unreadable !== undefined) {
    return fail("FORBIDDEN", `this API key lacks the ${CHANGE_TYPES[unreadable as ChangeType]} scope that ${unreadable} webhooks need`, "eventTypes");
  }
  return ok(WEBHOOK_EVENT_TYPES.filter((type) => types.includes(type)));
}

async function validUrl(url: string, policy: AddressPolicy): Promise<Result<string, WebhookError>> {
  const checked = await checkTarget(url.trim(), policy, AbortSignal.timeout(5_000)).catch(() => ({ ok: false as const, reason: "the host could not be resolved in time" }));
  if (!checked.ok) return fail("VALIDATION", checked.reason, "url");
  return ok(checked.target.url.toString());
}

function validDescription(description: string): Result<string, WebhookError> {
  const trimmed = description.trim();
  if (trimmed.length > MAX_DESCRIPTION) return fail("VALIDATION", `description must be at most ${MAX_DESCRIPTION} characters`, "description");
  return ok(trimmed);
}

export async function listEndpoints(pool: pg.Pool, actor: WebhookActor, organizationId: string | null | undefined): Promise<Result<EndpointRow[], WebhookError>> {
  const organization = organizationFor(actor, organizationId, false);
  if (!organization.ok) return organization;
  const { rows } = await pool.query<EndpointRow>(
    `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE ($1::uuid IS NULL OR organization_id = $1) ORDER BY created_at DESC, id LIMIT 500`,
    [organization.value],
  );
  return ok(rows);
}

export async function createEndpoint(
  pool: pg.Pool,
  actor: WebhookActor,
  policy: AddressPolicy,
  input: { url: string; eventTypes: string[]; description?: string | null; organizationId?: string | null },
): Promise<Result<{ row: EndpointRow; secret: string }, WebhookError>> {
  const organization = organizationFor(actor, input.organizationId, true);
  if (!organization.ok) return organization;
  const types = validTypes(actor, input.eventTypes);
  if (!types.ok) return types;
  const description = validDescription(input.description ?? "");
  if (!description.ok) return description;
  const url = await validUrl(input.url, policy);
  if (!url.ok) return url;
  const organizationId = organization.value!;
  const secret = newSecret();
  return withResultTransaction(pool, async (tx) => {
    // Counted under a lock of the organization's row, so two creations at once cannot pass the limit together.
    const { rows: found } = await tx.query(`SELECT 1 FROM organizations WHERE id = $1 FOR UPDATE`, [organizationId]);
    if (found.length === 0) return fail("NOT_FOUND", "no such organization", "organizationId");
    const { rows: count } = await tx.query<{ count: number }>(`SELECT count(*)::int AS count FROM webhook_endpoints WHERE organization_id = $1`, [organizationId]);
    if (count[0]!.count >= MAX_ENDPOINTS) return fail("VALIDATION", `an organization registers at most ${MAX_ENDPOINTS} endpoints; delete one first`);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO webhook_endpoints (organization_id, url, description, event_types, secret, created_by_user_id, created_by_key_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [organizationId, url.value, description.value, types.value, secret, actor.userId, actor.keyId],
    );
    const row = (await endpointById(tx, rows[0]!.id))!;
    await recordAudit(tx, { actorUserId: actor.userId, organizationId, action: "webhook_endpoint.create", entityType: "webhook_endpoint", entityId: row.id, before: null, after: { ...audited(row), byKey: actor.keyId } });
    return ok({ row, secret });
  });
}

export interface EndpointChanges {
  url?: string | null;
  eventTypes?: string[] | null;
  description?: string | null;
  enabled?: boolean | null;
}

export async function updateEndpoint(pool: pg.Pool, actor: WebhookActor, policy: AddressPolicy, id: string, changes: EndpointChanges): Promise<Result<EndpointRow, WebhookError>> {
  if (!isId(id)) return fail("VALIDATION", "id is not a valid id", "id");
  const types = changes.eventTypes === null || changes.eventTypes === undefined ? ok(null) : validTypes(actor, changes.eventTypes);
  if (!types.ok) return types;
  const description = changes.description === null || changes.description === undefined ? ok(null) : validDescription(changes.description);
  if (!description.ok) return description;
  const url = changes.url === null || changes.url === undefined ? ok(null) : await validUrl(changes.url, policy);
  if (!url.ok) return url;
  return withResultTransaction(pool, async (tx) => {
    const before = await endpointById(tx, id.toLowerCase(), true);
    if (!before || !reaches(actor, before.organizationId)) return fail("NOT_FOUND", "no such webhook endpoint", "id");
    const enable = changes.enabled === true && before.disabledAt !== null;
    const disable = changes.enabled === false && before.disabledAt === null;
    await tx.query(
      `UPDATE webhook_endpoints
          SET url = coalesce($2, url), event_types = coalesce($3, event_types), description = coalesce($4, description),
              disabled_at = CASE WHEN $5 THEN NULL WHEN $6 THEN now() ELSE disabled_at END,
              disabled_reason = CASE WHEN $5 THEN NULL WHEN $6 THEN 'MANUAL' ELSE disabled_reason END,
              updated_at = now()
        WHERE id = $1`,
      [before.id, url.value, types.value, description.value, enable, disable],
    );
    // A disabled endpoint gets nothing more: what was waiting for it fails (replay brings any back).
    if (disable) {
      await tx.query(`UPDATE webhook_deliveries SET status = 'FAILED', last_error = 'endpoint disabled', lease_token = NULL WHERE endpoint_id = $1 AND status = 'PENDING'`, [
        before.id,
      ]);
    }
    const after = (await endpointById(tx, before.id))!;
    await recordAudit(tx, { actorUserId: actor.userId, organizationId: before.organizationId, action: "webhook_endpoint.update", entityType: "webhook_endpoint", entityId: before.id, before: audited(before), after: { ...audited(after), byKey: actor.keyId } });
    return ok(after);
  });
}

/**
 * A new secret; the current one becomes the previous and keeps signing (a second signature) for 24 h.
 * A second rotation within those 24 h drops the oldest.
 */
export async function rotateSecret(pool: pg.Pool, actor: WebhookActor, id: string): Promise<Result<{ row: EndpointRow; secret: string }, WebhookError>> {
  if (!isId(id)) return fail("VALIDATION", "id is not a valid id", "id");
  const secret = newSecret();
  return withResultTransaction(pool, async (tx) => {
    const before = await endpointById(tx, id.toLowerCase(), true);
    if (!before || !reaches(actor, before.organizationId)) return fail("NOT_FOUND", "no such webhook endpoint", "id");
    await tx.query(
      `UPDATE webhook_endpoints
          SET previous_secret = secret, previous_secret_expires_at = now() + make_interval(secs => $3::double precision / 1000), secret = $2, updated_at = now()
        WHERE id = $1`,
      [before.id, secret, SECRET_OVERLAP_MS],
    );
    const row = (await endpointById(tx, before.id))!;
    await recordAudit(tx, { actorUserId: actor.userId, organizationId: before.organizationId, action: "webhook_endpoint.rotate_secret", entityType: "webhook_endpoint", entityId: before.id, before: audited(before), after: { ...audited(row), byKey: actor.keyId } });
    return ok({ row, secret });
  });
}

/** Deletes an endpoint and its delivery log. */
export async function deleteEndpoint(pool: pg.Pool, actor: WebhookActor, id: string): Promise<Result<string, WebhookError>> {
  if (!isId(id)) return fail("VALIDATION", "id is not a valid id", "id");
  return withResultTransaction(pool, async (tx) => {
    const before = await endpointById(tx, id.toLowerCase(), true);
    if (!before || !reaches(actor, before.organizationId)) return fail("NOT_FOUND", "no such webhook endpoint", "id");
    await tx.query(`DELETE FROM webhook_endpoints WHERE id = $1`, [before.id]);
    await recordAudit(tx, { actorUserId: actor.userId, organizationId: before.organizationId, action: "webhook_endpoint.delete", entityType: "webhook_endpoint", entityId: before.id, before: audited(before), after: null });
    return ok(before.id);
  });
}

export type DeliveryStatus = "PENDING" | "DELIVERED" | "FAILED";

export interface AttemptRow {
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
}

export interface DeliveryRow {
  id: string;
  endpointId: string;
  webhookId: string;
  eventType: string;
  subjectId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  deliveredAt: Date | null;
  createdAt: Date;
  attemptLog: AttemptRow[];
}

/** Attempts listed per delivery, newest first. */
const ATTEMPTS_SHOWN = 20;

const DELIVERY_SELECT = `SELECT d.id::text AS id, d.endpoint_id AS "endpointId", d.partner_event_id::text AS "eventId", e.type AS "eventType", e.subject_id AS "subjectId",
    d.status, d.attempts, CASE WHEN d.status = 'PENDING' THEN d.next_attempt_at END AS "nextAttemptAt", d.last_attempt_at AS "lastAttemptAt",
    d.last_status_code AS "lastStatusCode", d.last_error AS "lastError", d.last_duration_ms AS "lastDurationMs", d.delivered_at AS "deliveredAt",
    d.created_at AS "createdAt",
    (SELECT coalesce(jsonb_agg(jsonb_build_object('startedAt', a.started_at, 'durationMs', a.duration_ms, 'statusCode', a.status_code, 'error', a.error) ORDER BY a.id DESC), '[]'::jsonb)
       FROM (SELECT * FROM webhook_delivery_attempts WHERE delivery_id = d.id ORDER BY id DESC LIMIT ${ATTEMPTS_SHOWN}) a) AS "attemptLog"
  FROM webhook_deliveries d JOIN partner_events e ON e.id = d.partner_event_id`;

const toDelivery = (row: Omit<DeliveryRow, "webhookId" | "attemptLog"> & { eventId: string; attemptLog: (Omit<AttemptRow, "startedAt"> & { startedAt: string })[] }): DeliveryRow => ({
  ...row,
  webhookId: messageId(row.eventId),
  attemptLog: row.attemptLog.map((entry) => ({ ...entry, startedAt: new Date(entry.startedAt) })),
});

/** An endpoint's deliveries, newest first, keyset-paged by id. */
export async function listDeliveries(
  pool: pg.Pool,
  actor: WebhookActor,
  endpointId: string,
  status: DeliveryStatus | null | undefined,
  first: number,
  after: string | null | undefined,
): Promise<Result<Page<DeliveryRow>, WebhookError>> {
  if (!isId(endpointId)) return fail("VALIDATION", "endpointId is not a valid id", "endpointId");
  const endpoint = await endpointById(pool, endpointId.toLowerCase());
  if (!endpoint || !reaches(actor, endpoint.organizationId)) return fail("NOT_FOUND", "no such webhook endpoint", "endpointId");
  const before = after ? String(decodeCursor(after, ["string"])[0]) : null;
  if (before !== null && !/^\d{1,19}$/.test(before)) throw new ApiError("VALIDATION", "after is not a cursor returned by this API", "after");
  const { rows } = await pool.query(
    `${DELIVERY_SELECT}
      WHERE d.endpoint_id = $1 AND ($2::"WebhookDeliveryStatus" IS NULL OR d.status = $2) AND ($3::bigint IS NULL OR d.id < $3)
      ORDER BY d.id DESC LIMIT $4`,
    [endpoint.id, status ?? null, before, first + 1],
  );
  const items = rows.slice(0, first).map((row) => {
    const delivery = toDelivery(row);
    return { cursor: encodeCursor([delivery.id]), node: delivery };
  });
  return ok({
    items,
    hasNextPage: rows.length > first,
    countTotal: async () => {
      const { rows: count } = await pool.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM webhook_deliveries WHERE endpoint_id = $1 AND ($2::"WebhookDeliveryStatus" IS NULL OR status = $2)`,
        [endpoint.id, status ?? null],
      );
      return count[0]!.count;
    },
  });
}

async function deliveryById(db: pg.Pool | pg.PoolClient, id: string): Promise<DeliveryRow> {
  const { rows } = await db.query(`${DELIVERY_SELECT} WHERE d.id = $1::bigint`, [id]);
  return toDelivery(rows[0]);
}

/**
 * Sends a delivered or failed delivery again, with the same webhook-id (receivers de-duplicate on it),
 * a fresh schedule of attempts, and the endpoint's current secrets. A PENDING one is already queued.
 */
export async function replayDelivery(pool: pg.Pool, actor: WebhookActor, id: string): Promise<Result<DeliveryRow, WebhookError>> {
  if (!/^\d{1,18}$/.test(id)) return fail("VALIDATION", "id is not a delivery id", "id");
  return withResultTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ status: DeliveryStatus; organizationId: string; disabled: boolean }>(
      `SELECT d.status, w.organization_id AS "organizationId", w.disabled_at IS NOT NULL AS disabled
         FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id WHERE d.id = $1::bigint FOR UPDATE OF d`,
      [id],
    );
    const found = rows[0];
    if (!found || !reaches(actor, found.organizationId)) return fail("NOT_FOUND", "no such webhook delivery", "id");
    if (found.status === "PENDING") return fail("VALIDATION", "this delivery is already waiting to be sent", "id");
    if (found.disabled) return fail("VALIDATION", "the endpoint is disabled; enable it first", "id");
    const before = await deliveryById(tx, id);
    // A new lease token (none) also discards the result of any worker still holding an old claim.
    await tx.query(
      `UPDATE webhook_deliveries SET status = 'PENDING', attempts = 0, next_attempt_at = now(), delivered_at = NULL, lease_token = NULL WHERE id = $1::bigint`,
      [id],
    );
    const after = await deliveryById(tx, id);
    const summary = (row: DeliveryRow) => ({ id: row.id, endpointId: row.endpointId, webhookId: row.webhookId, status: row.status, attempts: row.attempts });
    await recordAudit(tx, { actorUserId: actor.userId, organizationId: found.organizationId, action: "webhook_delivery.replay", entityType: "webhook_delivery", entityId: id, before: summary(before), after: { ...summary(after), byKey: actor.keyId } });
    return ok(after);
  });
}

export interface TestOutcome {
  webhookId: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * Sends one `webhook.test` message to an endpoint now (enabled or not) and answers what the receiver
 * said: signed like every delivery (with both secrets during a rotation), through the same SSRF guard,
 * but not stored and never retried.
 */
export async function sendTest(pool: pg.Pool, actor: WebhookActor, policy: AddressPolicy, timeoutMs: number, id: string): Promise<Result<TestOutcome, WebhookError>> {
  if (!isId(id)) return fail("VALIDATION", "id is not a valid id", "id");
  const { rows } = await pool.query<{ id: string; organizationId: string; url: string; secrets: string[] }>(
    `SELECT id, organization_id AS "organizationId", url,
            array_remove(ARRAY[secret, CASE WHEN previous_secret_expires_at > now() THEN previous_secret END], NULL) AS secrets
       FROM webhook_endpoints WHERE id = $1`,
    [id.toLowerCase()],
  );
  const endpoint = rows[0];
  if (!endpoint || !reaches(actor, endpoint.organizationId)) return fail("NOT_FOUND", "no such webhook endpoint", "id");
  const webhookId = `msg_test_${randomBytes(12).toString("hex")}`;
  const started = Date.now();
  const signal = AbortSignal.timeout(timeoutMs);
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const checked = await checkTarget(endpoint.url, policy, signal);
    if (!checked.ok) {
      error = checked.reason;
    } else {
      const body = JSON.stringify({ type: "webhook.test", timestamp: new Date().toISOString(), data: { endpointId: endpoint.id } });
      const outcome = await postTo(checked.target, { "content-type": "application/json", "user-agent": "Boxoffice-Webhooks/1", ...signedHeaders(webhookId, new Date(), body, endpoint.secrets) }, body, signal);
      if ("status" in outcome) statusCode = outcome.status;
      else error = outcome.error;
    }
  } catch (failure) {
    error = signal.aborted ? "timed out" : failure instanceof Error ? failure.message : String(failure);
  }
  if (statusCode !== null && (statusCode < 200 || statusCode > 299)) error = `HTTP ${statusCode}`;
  return ok({ webhookId, statusCode, error, durationMs: Date.now() - started });
}
