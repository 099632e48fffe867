// `npm test`: installs what is missing, checks services, lints, type-checks and runs every test
// (real PostgreSQL and Redis; each test file gets its own database cloned from a migrated template).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureInstalled, ensurePrismaClient, preflight, root, run } from "./steps.mjs";

ensureInstalled({ tools: true });
preflight();
ensurePrismaClient();
run("lint (eslint)", "npx", ["eslint", "."]);
run("type-check (tsc)", "npm", ["run", "typecheck", "--silent"]);

// vitest's own summary plus one plain "N passed, N failed" line that any CI can read.
const reportDir = mkdtempSync(join(tmpdir(), "boxoffice-vitest-"));
const reportFile = join(reportDir, "report.json");
console.log("▶ tests (vitest)");
const result = spawnSync(
  "npx",
  ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${reportFile}`, ...process.argv.slice(2)],
  { cwd: root, stdio: "inherit" },
);
try {
  const report = JSON.parse(readFileSync(reportFile, "utf8"));
  const skipped = report.numPendingTests + report.numTodoTests;
  console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`);
} catch {
  console.error("✗ vitest wrote no report (it did not finish)");
}
rmSync(reportDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
