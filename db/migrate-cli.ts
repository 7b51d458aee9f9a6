import { closeDb, runMigrations } from "./client";
import { databaseFile } from "./paths.mjs";

await runMigrations();
console.log(`migrated ${databaseFile()}`);
await closeDb();
