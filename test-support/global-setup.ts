/**
 * Runs once per `vitest run`: (re)builds the migrated template database when the migrations changed
 * (the template carries a fingerprint of all migration files in its database comment), and builds the
 * front ends the browser tests serve (the storefront and the admin console).
 */
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { migrate, readMigrations } from "@boxoffice/db/migrate";
import { databaseComment, databaseUrl, recreateDatabase, setDatabaseComment, TEMPLATE_DATABASE } from "./database.js";

export default async function globalSetup(): Promise<void> {
  await Promise.all([prepareTemplate(), buildFrontEnd("storefront"), buildFrontEnd("admin")]);
}

async function buildFrontEnd(part: "storefront" | "admin"): Promise<void> {
  const root = fileURLToPath(new URL(`../${part}/`, import.meta.url));
  const { build } = await import("vite");
  await build({ root, configFile: `${root}vite.config.ts`, logLevel: "warn", build: { sourcemap: false } });
}

async function prepareTemplate(): Promise<void> {
  const fingerprint = createHash("sha256")
    .update(readMigrations().map((migration) => `${migration.name}:${migration.checksum}`).join("\n"))
    .digest("hex");
  if ((await databaseComment(TEMPLATE_DATABASE)) === fingerprint) return;
  await recreateDatabase(TEMPLATE_DATABASE);
  await migrate(databaseUrl(TEMPLATE_DATABASE));
  await setDatabaseComment(TEMPLATE_DATABASE, fingerprint);
}
