// The end-to-end server: the built app on a fresh data folder with the demo world, plus a file that
// tells the tests the activation codes the seed issued.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { closeDb, runMigrations } from "#db/client";
import { dataDir } from "#db/paths.mjs";
import { seedDemo } from "#db/seed/demo";

rmSync(dataDir(), { recursive: true, force: true });
await runMigrations();
const { activations } = await seedDemo();
writeFileSync(join(dataDir(), "fixtures.json"), JSON.stringify({ activations }, null, 2));
await closeDb();

const { startServer } = await import("../../server.mjs");
await startServer();
