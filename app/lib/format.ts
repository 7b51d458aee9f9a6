// Dates and numbers through Intl, in Asia/Shanghai time. Call these on the server: Node formats bo and
// ii, Chromium has no data for them and would fall back to English (DESIGN.md §4).
import type { Lng } from "~/i18n";

/** Intl locale lists: bo and ii fall back to Chinese, not to the runtime's default. */
export function intlLocales(lng: Lng): string[] {
  return lng === "bo" || lng === "ii" ? [lng, "zh-Hans"] : [lng];
}

export function formatDateTime(date: Date, lng: Lng): string {
  return new Intl.DateTimeFormat(intlLocales(lng), { timeZone: "Asia/Shanghai", dateStyle: "long", timeStyle: "short" }).format(date);
}

export function formatDate(date: Date, lng: Lng): string {
  return new Intl.DateTimeFormat(intlLocales(lng), { timeZone: "Asia/Shanghai", dateStyle: "long" }).format(date);
}

export function formatNumber(n: number, lng: Lng): string {
  return new Intl.NumberFormat(intlLocales(lng)).format(n);
}

/** "A、B和C" / "A, B and C": Intl.ListFormat in the page's locale. */
export function formatList(items: string[], lng: Lng): string {
  return new Intl.ListFormat(intlLocales(lng), { style: "narrow", type: "conjunction" }).format(items);
}
