import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { GradeStatusTag } from "~/components/GradeStatus";
import { gradingQueue, returnGrades, type QueueStatus } from "~/domain/grading/grading.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { gradeAcknowledgers } from "~/domain/grading/acknowledgements.server";
import { i18next } from "~/i18next.server";
import { formatDateTime, formatList, formatNumber } from "~/lib/format";
import { field, orErrorPage, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/grading.css?url";

// A read page with one plain form ("return all drafts"): no hydration.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

// The counts, in the words of work-states.server; "not open" and "not expected" only when there are any.
const STATUSES: readonly QueueStatus[] = ["toDo", "handedIn", "late", "missing", "draft", "returned"];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const queue = await orErrorPage(async () => gradingQueue(actor, params.id ?? ""));
  const t = await i18next.getFixedT(request);
  const returned = new URL(request.url).searchParams.get("returned");
  // The queue just computed (for this actor): the acknowledgements need not compute it again.
  const acks = await gradeAcknowledgers(actor, queue.assignment.id, queue);
  return {
    title: `${queue.assignment.title} · ${t("grading:queueTitle")} · ${t("common:appName")}`,
    assignment: { ...queue.assignment, dueText: formatDateTime(queue.assignment.dueAt, lng) },
    counts: queue.counts,
    rows: queue.rows.map((r) => ({
      ...r,
      scoreText: r.score === null ? null : formatNumber(r.score, lng),
      handedInText: r.lastSubmittedAt ? formatDateTime(r.lastSubmittedAt, lng) : null,
      acknowledgedBy: acks.has(r.studentId) ? formatList(acks.get(r.studentId)!.map((a) => a.guardianName), lng) : null,
    })),
    returned: returned && /^\d+$/.test(returned) ? formatNumber(Number(returned), lng) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const id = params.id ?? "";
  const form = await request.formData();
  if (field(form, "intent") !== "returnAll") return redirect(`/assignments/${id}/grading`);
  const count = await orErrorPage(async () => returnGrades(actor, id));
  return redirect(`/assignments/${id}/grading?returned=${count}`);
}

/** The teacher's queue for one assignment: counts by status, then every student of their classes. */
export default function GradingQueuePage() {
  const { assignment, counts, rows, returned } = useLoaderData<typeof loader>();
  const { t } = useTranslation("grading");
  const expected = rows.filter((r) => r.status !== "notExpected");
  const apart = rows.filter((r) => r.status === "notExpected");
  const shown = [...STATUSES, ...(["notOpen", "notExpected"] as const).filter((s) => counts[s] > 0)];
  return (
    <>
      <header className="panel">
        <p className="meta">
          <a href={`/assignments/${assignment.id}`}>{t("backToAssignment")}</a>
        </p>
        <h1>
          {assignment.title} <span className="tag">{t(`state.${assignment.state}`)}</span>
        </h1>
        <p className="meta">{t("pointsLine", { points: assignment.points, due: assignment.dueText })}</p>
        {returned !== null ? (
          <p className="notice" role="status">
            {t("returnedCount", { number: returned })}
          </p>
        ) : null}
      </header>
      <section className="panel" aria-labelledby="counts-title">
        <h2 id="counts-title">{t("countsTitle")}</h2>
        <dl className="stats grade-counts">
          {shown.map((s) => (
            <div key={s} className={`status-${s}`}>
              <dt>{t(`common:work.state.${s}`)}</dt>
              <dd>{counts[s]}</dd>
            </div>
          ))}
        </dl>
        {counts.draft > 0 ? (
          <Form method="post" className="return-all">
            <p className="hint" id="return-all-hint">
              {t("returnAllHint")}
            </p>
            <button type="submit" name="intent" value="returnAll" className="primary" aria-describedby="return-all-hint">
              {t("returnAll")}
            </button>
          </Form>
        ) : null}
      </section>
      <section className="panel" aria-labelledby="students-title">
        <h2 id="students-title">{t("studentsTitle")}</h2>
        {expected.length === 0 ? <p>{t("noStudents")}</p> : <QueueTable assignment={assignment} rows={expected} />}
      </section>
      {apart.length ? (
        <section className="panel not-expected" aria-labelledby="not-expected-title">
          <h2 id="not-expected-title">{t("common:work.notExpectedTitle", { count: apart.length })}</h2>
          <p className="hint">{t("common:work.notExpectedHint")}</p>
          <QueueTable assignment={assignment} rows={apart} />
        </section>
      ) : null}
    </>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

function QueueTable({ assignment, rows }: { assignment: Loaded["assignment"]; rows: Loaded["rows"] }) {
  const { t } = useTranslation("grading");
  return (
    <div className="table-wrap">
      <table className="grading-queue">
        <thead>
          <tr>
            <th scope="col">{t("col.student")}</th>
            <th scope="col">{t("col.class")}</th>
            <th scope="col">{t("col.status")}</th>
            <th scope="col" className="num">
              {t("col.score")}
            </th>
            <th scope="col">{t("col.handedIn")}</th>
            <th scope="col">{t("col.acknowledged")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.studentId}>
              <th scope="row">
                <a href={`/assignments/${assignment.id}/grading/${r.studentId}`}>{r.realName}</a>
              </th>
              <td>{r.className}</td>
              <td>
                <GradeStatusTag status={r.status} reason={r.reason} />
              </td>
              <td className="num">{r.scoreText === null ? t("notHandedIn") : `${r.scoreText} / ${assignment.points}`}</td>
              <td>{r.handedInText ?? t("notHandedIn")}</td>
              <td>{r.acknowledgedBy ?? t("notHandedIn")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
