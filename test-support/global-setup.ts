/**
 * Runs once per `vitest run`: (re)builds the migrated template database when the migrations changed.
 * The template carries a fingerprint of all migration files in its database comment.
 */
import { createHash } from "node:crypto";
import { migrate, readMigrations } from "@boxoffice/db/migrate";
import { databaseComment, databaseUrl, recreateDatabase, setDatabaseComment, TEMPLATE_DATABASE } from "./database.js";

export default async function globalSetup(): Promise<void> {
  const fingerprint = createHash("sha256")
    .update(readMigrations().map((migration) => `${migration.name}:${migration.checksum}`).join("\n"))
    .digest("hex");
  if ((await databaseComment(TEMPLATE_DATABASE)) === fingerprint) return;
  await recreateDatabase(TEMPLATE_DATABASE);
  await migrate(databaseUrl(TEMPLATE_DATABASE));
  await setDatabaseComment(TEMPLATE_DATABASE, fingerprint);
}
