import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ConsentNeeded } from "~/components/ConsentNeeded";
import { WeekNav, WeeklySection } from "~/components/WeeklySummary";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { currentWeekStart, weekBounds, weeklySummary } from "~/domain/overviews/weekly-summary.server";
import { i18next } from "~/i18next.server";
import { formatDate, formatDateTime, formatNumber } from "~/lib/format";
import { orErrorPage, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/parents.css?url";

// A read page: no hydration, no forms.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const week = new URL(request.url).searchParams.get("week") || currentWeekStart();
  const summary = await orErrorPage(async () => weeklySummary(actor, params.id ?? "", week));
  const t = await i18next.getFixedT(request);
  const { start } = weekBounds(summary.weekStart);
  const sunday = new Date(start.getTime() + 6 * 86_400_000);
  const title = t("consent:week.title", { name: summary.child.realName });
  return {
    title: `${title} · ${t("common:appName")}`,
    heading: title,
    childId: summary.child.id,
    awaitsConsent: summary.awaitsConsent,
    range: t("consent:week.range", { from: formatDate(start, lng), to: formatDate(sunday, lng) }),
    complete: summary.complete,
    previousWeek: summary.previousWeek,
    nextWeek: summary.nextWeek,
    isCurrent: summary.weekStart === currentWeekStart(),
    handedIn: summary.handedIn.map((h) => ({ id: h.assignmentId, title: h.title, className: h.className, late: h.late, state: h.state, at: formatDateTime(h.at, lng) })),
    missing: summary.missing.map((m) => ({ id: m.assignmentId, title: m.title, className: m.className, due: formatDateTime(m.dueAt, lng) })),
    grades: summary.grades.map((g) => ({
      id: g.submissionId,
      title: g.title,
      score: g.score === null ? null : formatNumber(g.score, lng),
      points: formatNumber(g.points, lng),
      feedback: g.feedback,
      at: formatDateTime(g.returnedAt, lng),
    })),
    announcements: summary.announcements.map((a) => ({ id: a.id, className: a.className, text: a.text, at: formatDateTime(a.at, lng) })),
    portfolio: summary.portfolio.map((p) => ({ id: p.id, title: p.title, at: formatDate(p.at, lng) })),
  };
}

/** The child's week for their parent: what was handed in, missed, graded, announced and shared. */
export default function WeeklySummaryPage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("consent");
  const base = `/parent/children/${data.childId}/week`;
  return (
    <>
      <header className="panel">
        <p className="meta">
          <a href={`/parent/children/${data.childId}`}>{t("links.progress")}</a> · <a href={`/parent/children/${data.childId}/consent`}>{t("links.consent")}</a>
        </p>
        <h1>{data.heading}</h1>
        <p>
          {t("week.heading")} · {data.range}
        </p>
        {data.complete ? null : <p className="hint">{t("week.soFar")}</p>}
        {data.awaitsConsent ? (
          <ConsentNeeded childId={data.childId} />
        ) : (
          <WeekNav base={base} previousWeek={data.previousWeek} nextWeek={data.nextWeek} isCurrent={data.isCurrent} />
        )}
      </header>
      {data.awaitsConsent ? null : <WeekSections data={data} />}
    </>
  );
}

function WeekSections({ data }: { data: ReturnType<typeof useLoaderData<typeof loader>> }) {
  const { t } = useTranslation("consent");
  return (
    <>
      <WeeklySection id="handed-in" title={t("week.handedIn")} count={data.handedIn.length}>
        {data.handedIn.map((h) => (
          <li key={h.id}>
            <p className="title">
              {/* The words of the child's page and the teacher's queue (work-states.server). */}
              {h.title} <span className={`tag${h.state === "late" ? " week-late" : ""}`}>{t(`common:work.state.${h.state}`)}</span>
              {h.state === "returned" && h.late ? <span className="tag week-late">{t("common:work.state.late")}</span> : null}
            </p>
            <p className="meta">
              {h.className} · {t("week.handedInAt", { time: h.at })}
            </p>
          </li>
        ))}
      </WeeklySection>
      <WeeklySection id="missing" title={t("week.missing")} count={data.missing.length}>
        {data.missing.map((m) => (
          <li key={m.id}>
            <p className="title">{m.title}</p>
            <p className="meta">
              {m.className} · {t("week.due", { time: m.due })}
            </p>
          </li>
        ))}
      </WeeklySection>
      <WeeklySection id="grades" title={t("week.grades")} count={data.grades.length}>
        {data.grades.map((g) => (
          <li key={g.id}>
            <p className="title">
              {g.title} · {g.score === null ? t("week.noScore") : t("week.score", { score: g.score, points: g.points })}
            </p>
            {g.feedback ? <p>{t("week.feedback", { text: g.feedback })}</p> : null}
            <p className="meta">{g.at}</p>
          </li>
        ))}
      </WeeklySection>
      <WeeklySection id="announcements" title={t("week.announcements")} count={data.announcements.length}>
        {data.announcements.map((a) => (
          <li key={a.id}>
            <p>{a.text}</p>
            <p className="meta">
              {a.className} · {a.at}
            </p>
          </li>
        ))}
      </WeeklySection>
      <WeeklySection id="portfolio" title={t("week.portfolio")} count={data.portfolio.length}>
        {data.portfolio.map((p) => (
          <li key={p.id}>
            <p className="title">
              <a href={`/portfolio/${p.id}`}>{p.title}</a>
            </p>
            <p className="meta">{p.at}</p>
          </li>
        ))}
      </WeeklySection>
    </>
  );
}
