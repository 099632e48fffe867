/* eslint-disable @typescript-eslint/no-explicit-any -- patches an untyped internal of pg */
/**
 * Prisma 6.19 CLI configuration for machines without Prisma 7's native schema engine: `db pull` and
 * `migrate diff` run on Prisma 6's WASM engine (`engine: "js"`) through @prisma/adapter-pg. Used only
 * by cli.mjs (drift check, next-migration SQL); the application itself uses Prisma 7.
 */
import { defineConfig } from "prisma/config";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";

// @prisma/adapter-pg 6.19 cannot read pg's `name` (oid 19) and `"char"` (oid 18) columns, which the
// engine's catalogue queries return ("Column type 'name' could not be deserialized"). Type parsers run
// too late (the adapter decides from dataTypeID), so rewrite them to `text` (25) as pg builds a result.
const resultPrototype = (pg as any).Result.prototype;
if (!resultPrototype.__nameAsText) {
  const addFields = resultPrototype.addFields;
  resultPrototype.addFields = function (fields: { dataTypeID: number }[]) {
    for (const field of fields) if (field.dataTypeID === 19 || field.dataTypeID === 18) field.dataTypeID = 25;
    return addFields.call(this, fields);
  };
  resultPrototype.__nameAsText = true;
}

export default defineConfig({
  schema: "../schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    const url = process.env.DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/boxoffice";
    // allowExitOnIdle: let the CLI exit at once instead of after the pool's idle timeout.
    return new PrismaPg({ connectionString: url, allowExitOnIdle: true });
  },
});
