import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { GradebookTable } from "~/components/GradebookTable";
import { GradeStatusLegend } from "~/components/GradeStatus";
import { ScoreChart } from "~/components/ScoreChart";
import { gradebook } from "~/domain/grading/grading.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { i18next } from "~/i18next.server";
import { formatDateTime, formatNumber } from "~/lib/format";
import { orErrorPage, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/grading.css?url";

// A read page: the table and the charts are rendered on the server, no script.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const book = await orErrorPage(async () => gradebook(actor, params.id ?? ""));
  const t = await i18next.getFixedT(request);
  const num = (n: number | null) => (n === null ? null : formatNumber(n, lng));
  return {
    title: `${book.klass.name} · ${t("grading:gradebookTitle")} · ${t("common:appName")}`,
    klass: book.klass,
    assignments: book.assignments.map((a) => ({ id: a.id, title: a.title, points: a.points, state: a.state, graded: a.graded, distribution: a.distribution, dueText: formatDateTime(a.dueAt, lng), averageText: num(a.average) })),
    students: book.students.map((s) => ({ id: s.id, realName: s.realName, notExpected: s.notExpected, averageText: num(s.averagePercent), cells: s.cells.map((c) => ({ status: c.status, scoreText: num(c.score) })) })),
  };
}

/** The class's gradebook: students × assignments, averages, each assignment's score distribution, exports. */
export default function GradebookPage() {
  const { klass, assignments, students } = useLoaderData<typeof loader>();
  const { t } = useTranslation("grading");
  const base = `/classes/${klass.id}/gradebook`;
  return (
    <>
      <header className="panel">
        <p className="meta">
          <a href={`/classes/${klass.id}`}>{t("classSpace")}</a>
        </p>
        <h1>
          {klass.name} · {t("gradebookTitle")}
        </h1>
        <p className="export-links">
          <a href={`${base}/csv`} download>{t("exportCsv")}</a>{" "}
          <a href={`${base}/xlsx`} download>{t("exportXlsx")}</a>
        </p>
      </header>
      <section className="panel" aria-labelledby="book-title">
        <h2 id="book-title">{t("gradebookTitle")}</h2>
        {assignments.length === 0 ? (
          <p>{t("noAssignments")}</p>
        ) : students.length === 0 ? (
          <p>{t("noClassStudents")}</p>
        ) : (
          <>
            <p className="hint">{t("gradebookHint")}</p>
            <GradeStatusLegend statuses={["returned", "draft", "handedIn", "late", "missing", "toDo", "notExpected"]} />
            {students.some((s) => s.notExpected) ? <p className="hint">{t("common:work.notExpectedHint")}</p> : null}
            <GradebookTable className={klass.name} assignments={assignments} students={students} />
          </>
        )}
      </section>
      {assignments.length ? (
        <section className="panel" aria-labelledby="distribution-title">
          <h2 id="distribution-title">{t("distributionTitle")}</h2>
          <p className="hint">{t("bandsHint")}</p>
          <ul className="cards distributions">
            {assignments.map((a, i) => (
              <li key={a.id} className="card">
                <h3>{a.title}</h3>
                <p className="meta">{a.graded ? t("gradedOf", { graded: a.graded, average: t("averageScore", { value: a.averageText, points: a.points }) }) : t("noneGraded")}</p>
                <ScoreChart id={`chart-${i}`} title={a.title} distribution={a.distribution} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
