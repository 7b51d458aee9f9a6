// Dates and numbers through Intl, in Asia/Shanghai time. Call these on the server: Node formats bo and
// ii, Chromium has no data for them and would fall back to English (DESIGN.md §4).
import type { Lng } from "~/i18n";

/** Intl locale lists: bo and ii fall back to Chinese, not to the runtime's default. */
export function intlLocales(lng: Lng): string[] {
  return lng === "bo" || lng === "ii" ? [lng, "zh-Hans"] : [lng];
}

// Making an Intl formatter costs far more than using one (a region dashboard formats thousands of
// numbers): one of each kind per language is made and kept.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.ListFormat>();
function kept<F extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.ListFormat>(kind: string, lng: Lng, make: (locales: string[]) => F): F {
  const key = `${kind}:${lng}`;
  let formatter = formatters.get(key) as F | undefined;
  if (!formatter) formatters.set(key, (formatter = make(intlLocales(lng))));
  return formatter;
}

export function formatDateTime(date: Date, lng: Lng): string {
  return kept("datetime", lng, (l) => new Intl.DateTimeFormat(l, { timeZone: "Asia/Shanghai", dateStyle: "long", timeStyle: "short" })).format(date);
}

export function formatDate(date: Date, lng: Lng): string {
  return kept("date", lng, (l) => new Intl.DateTimeFormat(l, { timeZone: "Asia/Shanghai", dateStyle: "long" })).format(date);
}

/** "12月8日": month and day, as a due date nearer than a year is shown. */
export function formatMonthDay(date: Date, lng: Lng): string {
  return kept("monthday", lng, (l) => new Intl.DateTimeFormat(l, { timeZone: "Asia/Shanghai", month: "long", day: "numeric" })).format(date);
}

export function formatNumber(n: number, lng: Lng): string {
  return kept("number", lng, (l) => new Intl.NumberFormat(l)).format(n);
}

/** "A、B和C" / "A, B and C": Intl.ListFormat in the page's locale. */
export function formatList(items: string[], lng: Lng): string {
  return kept("list", lng, (l) => new Intl.ListFormat(l, { style: "narrow", type: "conjunction" })).format(items);
}
