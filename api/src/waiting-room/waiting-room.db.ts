/** SQL of the waiting room: its events' settings, the commit-reveal draw, presale entitlements. */
import { createHash, randomBytes } from "node:crypto";
import type pg from "pg";

export interface RoomEventRow {
  id: string;
  organizationId: string;
  status: string;
  onSaleAt: Date;
  startsAt: Date;
  waitingRoomEnabled: boolean;
  maxActiveShoppers: number;
  admissionIntervalSeconds: number;
  admissionTokenTtlSeconds: number;
  conversionFactor: number;
  presaleEnabled: boolean;
  proofOfWorkEnabled: boolean;
}

const ROOM_COLUMNS = `id, organization_id AS "organizationId", status, on_sale_at AS "onSaleAt", starts_at AS "startsAt",
  waiting_room_enabled AS "waitingRoomEnabled", waiting_room_max_active_shoppers AS "maxActiveShoppers",
  waiting_room_admission_interval_seconds AS "admissionIntervalSeconds", admission_token_ttl_seconds AS "admissionTokenTtlSeconds",
  waiting_room_conversion_factor AS "conversionFactor", presale_enabled AS "presaleEnabled", proof_of_work_enabled AS "proofOfWorkEnabled"`;

export async function findRoomEvent(db: pg.Pool, eventId: string): Promise<RoomEventRow | null> {
  const { rows } = await db.query<RoomEventRow>(`SELECT ${ROOM_COLUMNS} FROM events WHERE id = $1::uuid`, [eventId]);
  return rows[0] ?? null;
}

/** Events whose waiting room the scheduler runs: enabled, public, not yet started. */
export async function findOpenRooms(db: pg.Pool): Promise<RoomEventRow[]> {
  const { rows } = await db.query<RoomEventRow>(
    `SELECT ${ROOM_COLUMNS} FROM events
     WHERE waiting_room_enabled AND status IN ('SCHEDULED', 'ON_SALE') AND starts_at > now()
     ORDER BY on_sale_at LIMIT 500`,
  );
  return rows;
}

export interface DrawRow {
  commitment: string;
  seed: string;
  shuffledAt: Date | null;
  revealedAt: Date | null;
}

/** The event's draw, created with a fresh random seed the first time it is asked for (commit). */
export async function ensureDraw(db: pg.Pool, eventId: string): Promise<DrawRow> {
  const seed = randomBytes(32).toString("hex");
  const commitment = createHash("sha256").update(seed).digest("hex");
  await db.query(`INSERT INTO waiting_room_draws (event_id, commitment, seed) VALUES ($1::uuid, $2, $3) ON CONFLICT (event_id) DO NOTHING`, [
    eventId,
    commitment,
    seed,
  ]);
  const { rows } = await db.query<DrawRow>(
    `SELECT commitment, seed, shuffled_at AS "shuffledAt", revealed_at AS "revealedAt" FROM waiting_room_draws WHERE event_id = $1::uuid`,
    [eventId],
  );
  return rows[0]!;
}

export async function findDraw(db: pg.Pool, eventId: string): Promise<DrawRow | null> {
  const { rows } = await db.query<DrawRow>(
    `SELECT commitment, seed, shuffled_at AS "shuffledAt", revealed_at AS "revealedAt" FROM waiting_room_draws WHERE event_id = $1::uuid`,
    [eventId],
  );
  return rows[0] ?? null;
}

/** The shuffle is done: the seed is revealed. */
export async function revealDraw(db: pg.Pool, eventId: string): Promise<void> {
  await db.query(
    `UPDATE waiting_room_draws SET shuffled_at = coalesce(shuffled_at, now()), revealed_at = coalesce(revealed_at, now()) WHERE event_id = $1::uuid`,
    [eventId],
  );
}

/** How a presale access code is stored: SHA-256 of the code trimmed and upper-cased (fans type it in any case). */
export const presaleCodeHash = (code: string) => createHash("sha256").update(code.trim().toUpperCase()).digest("hex");

/**
 * Uses a presale entitlement: the fan is on the verified-fan list, or the code (stored hashed) has
 * uses left. True when the fan may join the presale lane.
 */
export async function usePresaleAccess(db: pg.Pool, eventId: string, userId: string, accessCode: string | null): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE presale_access SET used_count = used_count + 1
     WHERE id = (SELECT id FROM presale_access
                 WHERE event_id = $1::uuid AND used_count < max_uses
                   AND ((kind = 'VERIFIED_FAN' AND user_id = $2::uuid) OR (kind = 'ACCESS_CODE' AND code_hash = $3))
                 ORDER BY kind DESC LIMIT 1 FOR UPDATE)
     RETURNING id`,
    [eventId, userId, accessCode ? presaleCodeHash(accessCode) : null],
  );
  return rows.length === 1;
}

/** Nothing left to sell and nothing held that could come back: every seat and place is sold or blocked. */
export async function isSoldOut(db: pg.Pool, eventId: string): Promise<boolean> {
  const { rows } = await db.query<{ soldOut: boolean }>(
    `SELECT NOT EXISTS (SELECT 1 FROM event_seats WHERE event_id = $1::uuid AND status IN ('AVAILABLE', 'HELD'))
        AND NOT EXISTS (SELECT 1 FROM event_sections x JOIN sections s ON s.id = x.section_id
                        WHERE x.event_id = $1::uuid AND s.kind = 'GENERAL_ADMISSION' AND x.ga_sold < x.capacity) AS "soldOut"`,
    [eventId],
  );
  return rows[0]!.soldOut;
}
