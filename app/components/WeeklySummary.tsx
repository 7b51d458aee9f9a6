import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** One part of the week (work handed in, grades…): a heading and its list, or "none". */
export function WeeklySection({ id, title, count, children }: { id: string; title: string; count: number; children: ReactNode }) {
  const { t } = useTranslation("consent");
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        {title} <span className="tag">{count}</span>
      </h2>
      {count === 0 ? <p className="meta">{t("week.none")}</p> : <ul className="week-list">{children}</ul>}
    </section>
  );
}

/** Previous / this / next week, as plain links (the page ships no script). */
export function WeekNav({ base, previousWeek, nextWeek, isCurrent }: { base: string; previousWeek: string; nextWeek: string | null; isCurrent: boolean }) {
  const { t } = useTranslation("consent");
  return (
    <nav className="week-nav" aria-label={t("week.weeks")}>
      <a href={`${base}?week=${previousWeek}`}>← {t("week.previous")}</a>
      {isCurrent ? null : <a href={base}>{t("week.current")}</a>}
      {nextWeek ? <a href={`${base}?week=${nextWeek}`}>{t("week.next")} →</a> : null}
    </nav>
  );
}
