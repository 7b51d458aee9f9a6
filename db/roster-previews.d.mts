import type { Database } from "better-sqlite3";
export const ROSTER_PREVIEW_DAYS: number;
export function sweepRosterPreviews(sqlite: Database, now?: number): number;
