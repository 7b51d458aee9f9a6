export const REQUIRED: string[];
export function readLocales(root: string): Record<string, Record<string, unknown>>;
export function checkLocales(root: string): string[];
