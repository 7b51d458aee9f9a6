import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ConsentNeeded } from "~/components/ConsentNeeded";
import { ProgressCounts } from "~/components/ProgressCounts";
import { ScoreTrendChart } from "~/components/ScoreTrendChart";
import { acknowledge } from "~/domain/grading/acknowledgements.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { childProgress, PROGRESS_STATUSES } from "~/domain/overviews/progress.server";
import { formatDate, formatDateTime, formatList, formatNumber, intlLocales } from "~/lib/format";
import { field, orErrorPage, requireActor } from "~/lib/http.server";
import { i18next } from "~/i18next.server";
import cssUrl from "~/styles/progress.css?url";

// A read page with plain forms (已阅): no hydration, no script.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** The chart shows the latest grades; more would not fit a phone's width. */
const CHART_POINTS = 12;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const p = await orErrorPage(async () => childProgress(actor, params.id ?? "", undefined, lng));
  const t = await i18next.getFixedT(lng, "progress");
  const n = (x: number) => formatNumber(x, lng);
  const shortDate = new Intl.DateTimeFormat(intlLocales(lng), { timeZone: "Asia/Shanghai", month: "numeric", day: "numeric" });
  const scores = p.scores.slice(-CHART_POINTS).map((s) => ({
    id: s.submissionId,
    dateText: shortDate.format(s.at),
    date: formatDate(s.at, lng),
    title: s.title,
    percent: s.percent,
    percentText: `${n(s.percent)}%`,
    scoreText: t("score", { score: n(s.score), points: n(s.points) }),
  }));
  return {
    title: `${p.child.realName} · ${t("title")} · ${t("common:appName")}`,
    child: p.child,
    consentState: p.consentState,
    awaitsConsent: p.awaitsConsent,
    spaceClosed: p.space.open ? null : p.space.reason,
    counts: PROGRESS_STATUSES.filter((s) => s !== "notExpected" || p.counts[s] > 0).map((s) => ({ key: `common:work.state.${s}`, n: n(p.counts[s]), alert: (s === "missing" || s === "late") && p.counts[s] > 0 })),
    chartLabel: t("chart.label", { list: formatList(scores.map((s) => `${s.date} ${s.title} ${s.percentText}`), lng) }),
    scores,
    classes: p.classes.map((k) => ({
      id: k.id,
      name: k.name,
      assignments: k.assignments.map((a) => ({
        id: a.id,
        title: a.title,
        status: a.status,
        late: a.late,
        due: formatDateTime(a.dueAt, lng),
        grade: a.grade
          ? {
              submissionId: a.grade.submissionId,
              scoreText: a.grade.score === null ? null : t("score", { score: n(a.grade.score), points: n(a.points) }),
              feedback: a.grade.feedback,
              returned: formatDate(a.grade.returnedAt, lng),
              acknowledged: a.grade.acknowledgedAt ? formatDate(a.grade.acknowledgedAt, lng) : null,
            }
          : null,
      })),
      announcements: k.announcements.map((x) => ({
        id: x.id,
        bodyHtml: x.bodyHtml,
        pinned: x.pinned,
        byline: t("announcements.byline", { name: x.authorName, time: formatDateTime(x.createdAt, lng) }),
        acknowledged: x.acknowledgedAt ? formatDate(x.acknowledgedAt, lng) : null,
      })),
    })),
    shared: p.shared.map((s) => ({ ...s, href: s.kind === "post" ? `/posts/${s.id}` : `/portfolio/${s.id}`, date: formatDate(s.at, lng) })),
  };
}

/** 家长已阅: marks a returned grade or an announcement of this child as read, then back to it. */
export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const studentId = params.id ?? "";
  const form = await request.formData();
  const subjectType = field(form, "subjectType");
  const subjectId = field(form, "subjectId");
  await orErrorPage(async () => {
    if (field(form, "intent") !== "acknowledge") throw new Response(null, { status: 400 });
    await acknowledge(actor, studentId, subjectType, subjectId);
  });
  return redirect(`/parent/children/${studentId}#${subjectType === "grade" ? "g" : "a"}-${subjectId}`);
}

function Acknowledge({ subjectType, subjectId, acknowledged }: { subjectType: "grade" | "announcement"; subjectId: string; acknowledged: string | null }) {
  const { t } = useTranslation("progress");
  return (
    <div className="ack">
      {acknowledged ? (
        <span className="done">{t("acknowledged", { date: acknowledged })}</span>
      ) : (
        <Form method="post">
          <input type="hidden" name="intent" value="acknowledge" />
          <input type="hidden" name="subjectType" value={subjectType} />
          <input type="hidden" name="subjectId" value={subjectId} />
          <button type="submit">{t("acknowledge")}</button>
        </Form>
      )}
    </div>
  );
}

/** One child's progress: counts, the score chart, each class's assignments and announcements, what they shared. */
export default function ChildProgressPage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("progress");
  const head = (
    <>
      <p className="meta">
        <a href="/parent">{t("allChildren")}</a>
      </p>
      <h1>{data.child.realName}</h1>
      <p className="meta">{data.child.schoolName}</p>
    </>
  );
  // Nothing of the child's work is in the data then (the domain left it out); only the way to consent.
  if (data.awaitsConsent) {
    return (
      <header className="panel child-head">
        {head}
        <ConsentNeeded childId={data.child.id} />
      </header>
    );
  }
  return (
    <>
      <header className="panel child-head">
        {head}
        {data.spaceClosed ? (
          <p className="notice">
            {t(data.spaceClosed === "consent" ? "space.closedConsent" : data.spaceClosed === "phase" ? "space.closedPhase" : "space.closedDisabled")}{" "}
            {data.spaceClosed === "consent" ? <a href={`/parent/children/${data.child.id}/consent`}>{t("space.consentLink")}</a> : null}
          </p>
        ) : null}
        <ProgressCounts counts={data.counts} />
      </header>

      <section className="panel" aria-labelledby="chart-title">
        <h2 id="chart-title">{t("chart.title")}</h2>
        {data.scores.length === 0 ? (
          <p>{t("chart.none")}</p>
        ) : (
          <>
            <ScoreTrendChart label={data.chartLabel} points={data.scores} />
            <div className="table-wrap">
              <table className="score-table">
                <thead>
                  <tr>
                    <th scope="col">{t("chart.date")}</th>
                    <th scope="col">{t("chart.assignment")}</th>
                    <th scope="col">{t("col.score")}</th>
                    <th scope="col">{t("chart.percent")}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.scores.map((s) => (
                    <tr key={s.id}>
                      <td>{s.date}</td>
                      <th scope="row">{s.title}</th>
                      <td className="num">{s.scoreText}</td>
                      <td className="num">{s.percentText}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      {data.classes.map((k) => (
        <section key={k.id} className="panel" aria-labelledby={`class-${k.id}`}>
          <h2 id={`class-${k.id}`}>{k.name}</h2>
          {k.assignments.length === 0 ? <p>{t("noAssignments")}</p> : null}
          <ul className="work-list">
            {k.assignments.map((a) => (
              <li key={a.id} id={a.grade ? `g-${a.grade.submissionId}` : undefined}>
                <h3>{a.title}</h3>
                <p>
                  <span className={`pstatus s-${a.status}`}>{t(`common:work.state.${a.status}`)}</span>
                  {a.status === "returned" && a.late ? <span className="pstatus s-late">{t("common:work.state.late")}</span> : null} <span className="meta">{t("assignments:due", { time: a.due })}</span>
                </p>
                {a.grade ? (
                  <>
                    <p className="grade-line">
                      {a.grade.scoreText ?? t("noScore")} <span className="meta">{t("returnedAt", { date: a.grade.returned })}</span>
                    </p>
                    {a.grade.feedback ? (
                      <div className="feedback">
                        <span className="meta">{t("feedback")}</span>
                        <p>{a.grade.feedback}</p>
                      </div>
                    ) : null}
                    <Acknowledge subjectType="grade" subjectId={a.grade.submissionId} acknowledged={a.grade.acknowledged} />
                  </>
                ) : null}
              </li>
            ))}
          </ul>
          <h3>{t("announcements.title")}</h3>
          {k.announcements.length === 0 ? <p>{t("announcements.none")}</p> : null}
          <ul className="stream">
            {k.announcements.map((x) => (
              <li key={x.id} id={`a-${x.id}`}>
                <p className="meta">
                  {x.pinned ? <span className="tag">{t("announcements.pinned")}</span> : null} {x.byline}
                </p>
                {/* Sanitized on the server when saved (richtext.server's allowlist). */}
                <div className="rich-text" dangerouslySetInnerHTML={{ __html: x.bodyHtml }} />
                <Acknowledge subjectType="announcement" subjectId={x.id} acknowledged={x.acknowledged} />
              </li>
            ))}
          </ul>
        </section>
      ))}

      <section className="panel" aria-labelledby="shared-title">
        <h2 id="shared-title">{t("shared.title")}</h2>
        {data.shared.length === 0 ? <p>{t("shared.none")}</p> : null}
        <ul className="stream">
          {data.shared.map((s) => (
            <li key={`${s.kind}-${s.id}`}>
              <a href={s.href}>{s.title}</a> <span className="meta">{`${t(`shared.${s.kind}`)} · ${s.date}`}</span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
