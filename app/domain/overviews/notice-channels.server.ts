// The text renderer shared by every channel: a notice's stored facts become one line in the reader's
// language (the notices page shows it; an SMS or messaging adapter sends it). Also the daily digest and
// the weekly summary's short text version (moved here from the parent's week page: it is what an
// outside channel sends, not something a parent reads on the page).
import type { Actor } from "../foundation/actor.server";
import { digestKindsOf, noticesSince, type NotificationRow } from "../notices/notifications.server";
import { summaryText, weeklySummary, type Translate } from "./weekly-summary.server";
import { formatDateTime, formatNumber } from "~/lib/format";
import type { Lng } from "~/i18n";

export type { Translate };

/**
 * One notice as a line of plain text: who (the actor, or "a student" when hidden), the thing (its title)
 * and the fact (score, due time, count). Keys live in the "social" namespace.
 */
export function noticeText(row: Pick<NotificationRow, "kind" | "actorName" | "actorHidden" | "title" | "dueAt" | "points" | "facts">, t: Translate, lng: Lng): string {
  const name = row.actorHidden ? t("social:aStudent") : (row.actorName ?? t("social:someone"));
  const points = row.facts?.points ?? row.points;
  const score =
    row.facts?.score === null || row.facts?.score === undefined
      ? t("social:noticeFacts.noScore")
      : points
        ? t("social:noticeFacts.score", { score: formatNumber(row.facts.score, lng), points: formatNumber(points, lng) })
        : formatNumber(row.facts.score, lng);
  const values = {
    name,
    title: row.title ?? t("social:noticeFacts.untitled"),
    due: row.dueAt ? formatDateTime(row.dueAt, lng) : "",
    score,
    count: formatNumber(row.facts?.count ?? 1, lng),
  };
  const base = t(`social:notification.${row.kind}`, values);
  // Kinds whose sentence does not carry the title name the thing after it.
  return row.title && !TITLED_KINDS.has(row.kind) ? t("social:noticeFacts.about", { text: base, title: row.title }) : base;
}

/** Kinds whose own sentence names the thing (the others get "…：《title》" added). */
const TITLED_KINDS = new Set<string>(["assignment_new", "assignment_due", "grade_returned", "handins", "child_grade_returned", "child_missing", "weekly_summary"]);

/**
 * The daily digest of one person: their notices of the kinds they chose for it since `since`, one line
 * each, newest first (empty when they chose none or nothing happened). What a digest adapter sends.
 */
export async function dailyDigest(actor: Actor, since: number, t: Translate, lng: Lng): Promise<string[]> {
  if (!actor) return [];
  return (await noticesSince(actor, await digestKindsOf(actor.id), since)).map((row) => noticeText(row, t, lng));
}

/** The weekly summary's short plain text (at most SUMMARY_TEXT_MAX characters), for an SMS or a messaging app. */
export async function weeklySummaryText(actor: Actor, childId: string, week: string, t: Translate): Promise<string> {
  return summaryText(await weeklySummary(actor, childId, week), t);
}
