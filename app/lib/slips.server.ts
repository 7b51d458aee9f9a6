// Shared by the pages that print slips: the slips' two voices, and paging a long pile of them.
import { slipLanguages, slipLayoutOf, slipSheet, type SlipVoice } from "~/components/ActivationSlips";
import type { ImportedSlipsData } from "~/components/ImportedSlips";
import { linkSlipSheet } from "~/components/LinkCodeSlips";
import { openActivationSlips } from "~/domain/accounts/accounts.server";
import type { Actor } from "~/domain/foundation/actor.server";
import { openLinkSlipsOfImport } from "~/domain/families/guardian-links.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { isLng } from "~/i18n";
import { i18next } from "~/i18next.server";
import { formatNumber } from "~/lib/format";

/** The school's language and Chinese, each with a fixed translator of `ns` (slips never follow the reader's language). */
export async function slipVoice(schoolLng: string, ns: "roster" | "guardianLinks"): Promise<SlipVoice> {
  const langs = slipLanguages(isLng(schoolLng) ? schoolLng : "zh-Hans");
  return { langs, ts: await Promise.all(langs.map(async (lng) => i18next.getFixedT(lng, ns))) };
}

/** Slips on one screen: a list naming pupils never exceeds 100 rows a page. */
export const SLIPS_PER_PAGE = 100;

/** The `page` (1-based, from `?name=`) of `items`, and how many pages there are. */
export function slipPage<T>(items: T[], url: URL, name = "page"): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / SLIPS_PER_PAGE));
  const asked = Number.parseInt(url.searchParams.get(name) ?? "1", 10);
  const page = Number.isFinite(asked) ? Math.min(Math.max(1, asked), pages) : 1;
  return { items: items.slice((page - 1) * SLIPS_PER_PAGE, page * SLIPS_PER_PAGE), page, pages };
}

/**
 * The slips of a roster import that can still be printed (from their sealed copies): activation slips, or
 * with `?print=parents` the parents' link-code slips, a page at a time, in the layout asked for.
 */
export async function importedSlips(request: Request, actor: Actor, importId: string): Promise<ImportedSlipsData> {
  const url = new URL(request.url);
  const layout = slipLayoutOf(url.searchParams.get("layout"));
  const print: ImportedSlipsData["print"] = url.searchParams.get("print") === "parents" ? "parents" : "activation";
  const activation = await openActivationSlips(actor, importId);
  const parents = await openLinkSlipsOfImport(actor, importId);
  const lng = await resolveLocale(request, actor);
  const site = `${url.protocol}//${url.host}`;
  const counts = { activation: formatNumber(activation.slips.length, lng), parents: formatNumber(parents.length, lng) };
  if (print === "parents") {
    const shown = slipPage(parents, url);
    const sheet = shown.items.length ? linkSlipSheet(shown.items, await slipVoice(activation.school.defaultLocale, "guardianLinks"), `${site}/parent/join`, layout) : null;
    return { print, layout, counts, activationSheet: null, parentSheet: sheet, page: shown.page, pages: shown.pages };
  }
  const shown = slipPage(activation.slips, url);
  const sheet = shown.items.length ? slipSheet({ school: activation.school, slips: shown.items }, await slipVoice(activation.school.defaultLocale, "roster"), site, layout) : null;
  return { print, layout, counts, activationSheet: sheet, parentSheet: null, page: shown.page, pages: shown.pages };
}
