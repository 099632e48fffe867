import { createPool, createPrismaClient, type PrismaClient } from "@boxoffice/db/connection";
import type pg from "pg";
import type { ErrorCode, Result } from "./errors.js";

export type { PrismaClient };

export interface Database {
  /** Shared by Prisma and hand-written SQL: one pool per process, no per-request connections. */
  pool: pg.Pool;
  prisma: PrismaClient;
}

export function createDatabase(databaseUrl: string, poolSize: number, onIdleError: (error: Error) => void): Database {
  const pool = createPool(databaseUrl, { max: poolSize, applicationName: "boxoffice-api", onIdleError });
  return { pool, prisma: createPrismaClient(pool) };
}

/**
 * Calls `onStatement` for every SQL statement sent through the pool, whoever sends it (Prisma or our
 * own SQL). Used by the statement-count tests that keep list fields free of N+1 queries.
 */
export function observeStatements(pool: pg.Pool, onStatement: (sql: string) => void): void {
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      onStatement(typeof first === "string" ? first : String((first as { text?: string }).text ?? ""));
      return query(...args);
    };
  });
}

/** Runs `work` in one transaction on one connection; rolls back when it throws. */
export async function withTransaction<T>(pool: pg.Pool, work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Like withTransaction, for services that return expected failures (STYLE.md, "Errors and
 * transactions"): commits only a success; a returned failure is rolled back, as a throw is.
 */
export async function withResultTransaction<T, C extends ErrorCode>(pool: pg.Pool, work: (tx: pg.PoolClient) => Promise<Result<T, C>>): Promise<Result<T, C>> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query(result.ok ? "COMMIT" : "ROLLBACK");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
