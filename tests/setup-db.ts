// Each test file runs in its own process with its own data folder and a freshly migrated database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "rrt-test-"));
process.env.DATA_DIR = dir;

const { runMigrations, closeDb } = await import("#db/client");
runMigrations();

afterAll(() => {
  closeDb();
  rmSync(dir, { recursive: true, force: true });
});
