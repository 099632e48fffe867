// Runs `prisma generate` for the prisma/ workspace. Prisma 7's CLI wants a schema-engine path even
// though generate does not use it; on machines where the engine could not be downloaded we point it
// at any existing file (see ../shared/STACK.md).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const prismaDir = join(dirname(fileURLToPath(import.meta.url)), "..", "prisma");
const require = createRequire(join(prismaDir, "package.json"));
const cli = join(dirname(require.resolve("prisma/package.json")), "build", "index.js");
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}
const result = spawnSync(process.execPath, [cli, "generate"], { cwd: prismaDir, env, stdio: "inherit" });
process.exit(result.status ?? 1);
