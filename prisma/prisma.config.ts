import { defineConfig } from "prisma/config";

// The datasource URL lives here in Prisma 7. Only `prisma generate` runs on machines without the
// native schema engine; migrations are applied by src/migrate.ts (see README.md).
export default defineConfig({
  schema: "schema.prisma",
  migrations: { path: "migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/boxoffice" },
});
