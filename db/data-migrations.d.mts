import type { Database } from "better-sqlite3";
export function runDataMigrations(sqlite: Database): void;
