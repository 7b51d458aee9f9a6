// Times typed into forms (datetime-local inputs) are Beijing time (Asia/Shanghai: UTC+8 all year, no
// DST), the time every school in Sichuan keeps; everything is stored as UTC instants. Showing a time
// goes through ~/lib/format in the reader's locale.
import { ValidationError } from "./errors.server";

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/**
 * A datetime-local value read as Beijing time, as a UTC instant. Empty means `now` (or, when `now` is
 * null, "no time": null). Anything that is not a real date and time is refused on `field` with `key`.
 */
export function beijingTimeFrom(raw: string | null | undefined, now: number, field: string, key: string): Date;
export function beijingTimeFrom(raw: string | null | undefined, now: null, field: string, key: string): Date | null;
export function beijingTimeFrom(raw: string | null | undefined, now: number | null, field: string, key: string): Date | null {
  const text = (raw ?? "").trim();
  if (!text) return now === null ? null : new Date(now);
  const m = LOCAL_TIME.exec(text);
  const invalid = () => new ValidationError({ [field]: { key } });
  if (!m) throw invalid();
  const [year, month, day, hour, minute, second] = m.slice(1).map((p) => Number(p ?? 0)) as [number, number, number, number, number, number];
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(utc);
  // Date.UTC rolls 2026-02-30 over into March: a date that does not round-trip did not exist.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) throw invalid();
  if (year < 2000 || year > 2999) throw invalid();
  return new Date(utc - SHANGHAI_OFFSET_MS);
}

/** A UTC instant as a datetime-local value (Beijing time), for a form's initial value. */
export function beijingLocalTimeOf(date: Date): string {
  return new Date(date.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16);
}

/** The date (YYYY-MM-DD) in Beijing of a moment: the day a piece of work was handed in, for a portfolio item. */
export function beijingDateOf(date: Date): string {
  return beijingLocalTimeOf(date).slice(0, 10);
}

/** Today's date in Asia/Shanghai as YYYY-MM-DD (school days follow Beijing time, not the server's). */
export function shanghaiToday(now = Date.now()): string {
  return new Date(now + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}
