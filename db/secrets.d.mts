import type { Database } from "better-sqlite3";
export function serverSecret(sqlite: Database, name?: string): string;
export function keyedHash(secret: string, text: string): string;
