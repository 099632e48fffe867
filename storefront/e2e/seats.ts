import type pg from "pg";

/**
 * The seat ids of seats the page names by key (data-seat: "sectionId|row|number"; the storefront's map
 * carries no seat ids), in the order given, for assertions in SQL.
 */
export async function seatIdsOf(pool: pg.Pool, keys: readonly string[]): Promise<string[]> {
  const { rows } = await pool.query<{ id: string; ord: number }>(
    `SELECT s.id, k.ord::int AS ord
     FROM unnest($1::text[]) WITH ORDINALITY AS k(key, ord)
     JOIN seats s ON s.section_id = split_part(k.key, '|', 1)::uuid AND s.number = split_part(k.key, '|', 3)::int
     JOIN seat_rows r ON r.id = s.row_id AND r.label = split_part(k.key, '|', 2)
     ORDER BY k.ord`,
    [keys],
  );
  if (rows.length !== keys.length) throw new Error(`not every seat key names a seat: ${keys.join(", ")}`);
  return rows.map((row) => row.id);
}
