import { closeDb, runMigrations } from "./client";
import { databaseFile } from "./paths.mjs";

runMigrations();
console.log(`migrated ${databaseFile()}`);
closeDb();
