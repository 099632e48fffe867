import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/client.js";

export const DEFAULT_DATABASE_URL = "postgresql://root@127.0.0.1:5432/boxoffice";

export interface PoolOptions {
  max?: number;
  applicationName?: string;
  /** Errors of idle connections (server restart, terminated backend); the pool replaces them. */
  onIdleError?: (error: Error) => void;
}

/** One pg pool per process, shared by Prisma and hand-written SQL so neither opens connections per request. */
export function createPool(databaseUrl: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "boxoffice",
    // Fail fast instead of queueing forever when the database is unreachable.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // Without a listener an idle connection's error (e.g. PostgreSQL restarting) would crash the process.
  pool.on("error", options.onIdleError ?? ((error) => process.stderr.write(`postgres idle connection lost: ${error.message}\n`)));
  return pool;
}

/** A Prisma client running on the given pool through the pg driver adapter (no native engine). */
export function createPrismaClient(pool: pg.Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}

export type { PrismaClient };
