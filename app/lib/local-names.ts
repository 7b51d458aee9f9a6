// A school's, class's or subject's name for the reader: the name its school gave in the reader's
// language, else the official Chinese name (which stays the registry name and the key rosters match on).
import type { LocalNames } from "#db/schema";
import type { Lng } from "~/i18n";

export type { LocalNames };
export const LOCAL_NAME_LOCALES = ["bo", "ii", "en"] as const satisfies readonly Lng[];
export type LocalNameLocale = (typeof LOCAL_NAME_LOCALES)[number];
/** Longest name accepted, in characters. */
export const LOCAL_NAME_MAX = 60;

/** Field names of the form: `school.bo`, `class.<id>.ii`, `subject.<n>.en` with `subject.<n>.name` (the Chinese subject). */
export const fieldOf = {
  school: (lng: LocalNameLocale) => `school.${lng}`,
  klass: (id: string, lng: LocalNameLocale) => `class.${id}.${lng}`,
  subject: (n: number, lng: LocalNameLocale | "name") => `subject.${n}.${lng}`,
};


/** `row.names[lng]` when given (and not blank), else `row.name`. Without a locale: the official name. */
export function localName(row: { name: string; names?: LocalNames | null }, lng?: Lng | null): string {
  if (!lng || lng === "zh-Hans") return row.name;
  const given = row.names?.[lng as LocalNameLocale]?.trim();
  return given ? given : row.name;
}

/** A subject (free text, in Chinese) in the reader's language, from its school's map. */
export function localSubject(subject: string, subjectNames: Record<string, LocalNames> | null | undefined, lng?: Lng | null): string;
export function localSubject(subject: string | null, subjectNames: Record<string, LocalNames> | null | undefined, lng?: Lng | null): string | null;
export function localSubject(subject: string | null, subjectNames: Record<string, LocalNames> | null | undefined, lng?: Lng | null): string | null {
  if (subject === null) return null;
  return localName({ name: subject, names: subjectNames?.[subject] ?? null }, lng);
}
