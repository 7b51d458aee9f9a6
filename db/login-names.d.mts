import type { Database } from "better-sqlite3";
export const RETIRED_LOGIN_MS: number;
export function holdsIdentityNumber(text: string, ownNumbers?: (string | null | undefined)[]): boolean;
export function loginPrefixOf(school: { id: string; loginPrefix: string | null }): string;
export function nextLoginName(prefix: string, letter: string, taken: Set<string>, ownNumbers?: (string | null | undefined)[]): string;
export function handleFromLogin(loginName: string, isTaken: (handle: string) => boolean): string;
export function retiredLoginHash(sqlite: Database, loginName: string): string;
export function retireIdentityNumberLogins(sqlite: Database, now?: number): number;
