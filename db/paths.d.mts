import type { Database } from "better-sqlite3";
export function dataDir(): string;
export function databaseFile(): string;
export const migrationsFolder: string;
export const pgMigrationsFolder: string;
export function configure(sqlite: Database): Database;
