import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FileThumbList, type ListedFile } from "~/components/FileThumbs";
import { GradeForm } from "~/components/GradeForm";
import { Acknowledgers } from "~/components/Acknowledgers";
import { GradeStatusTag } from "~/components/GradeStatus";
import { uploadProgressLinks, UploadProgressScript } from "~/components/UploadProgress";
import { receiveUploadForm } from "~/domain/uploads/files.server";
import { FEEDBACK_MAX, gradeFormValues, gradingQueue, gradingView, saveGrade } from "~/domain/grading/grading.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { gradeAcknowledgers } from "~/domain/grading/acknowledgements.server";
import { i18next } from "~/i18next.server";
import type { RouteHandle } from "~/i18n";
import { formatDateTime, formatList, formatNumber } from "~/lib/format";
import { formFailure, orErrorPage, requireActor } from "~/lib/http.server";
import spaceCss from "~/styles/space.css?url";
import cssUrl from "~/styles/grading.css?url";

// No hydration: the work is read, the grade form is a plain multipart form (with the upload progress script).
export const links: LinksFunction = () => [{ rel: "stylesheet", href: spaceCss }, { rel: "stylesheet", href: cssUrl }, ...uploadProgressLinks()];
// The feedback / reply form keeps a browser draft (a plain script; the page does not hydrate).
export const handle: RouteHandle = { drafts: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const assignmentId = params.id ?? "";
  const view = await orErrorPage(async () => gradingView(actor, assignmentId, params.studentId ?? ""));
  const t = await i18next.getFixedT(request);
  const kb = (size: number) => formatNumber(Math.max(1, Math.round(size / 1024)), lng);
  // The notice after a save names the student just graded (the page has moved on to the next one).
  const url = new URL(request.url);
  const savedId = url.searchParams.get("saved");
  const savedAs = url.searchParams.get("as") === "returned" ? "returned" : "draft";
  const savedName = savedId ? ((await gradingQueue(actor, assignmentId)).rows.find((r) => r.studentId === savedId)?.realName ?? null) : null;
  return {
    title: `${view.student.realName} · ${view.assignment.title} · ${t("grading:title")} · ${t("common:appName")}`,
    feedbackMax: FEEDBACK_MAX,
    view: {
      ...view,
      assignment: { ...view.assignment, dueText: formatDateTime(view.assignment.dueAt, lng) },
      versions: view.versions.map((v) => ({ ...v, at: formatDateTime(v.submittedAt, lng), files: v.files.map((f) => ({ ...f, sizeText: kb(f.size) })) })),
      grade: { ...view.grade, scoreText: view.grade.score === null ? null : formatNumber(view.grade.score, lng) },
    },
    saved: savedName ? { name: savedName, as: savedAs } : null,
    acknowledgedBy: formatList(((await gradeAcknowledgers(actor, assignmentId)).get(view.student.id) ?? []).map((a) => a.guardianName), lng) || null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const assignmentId = params.id ?? "";
  const studentId = params.studentId ?? "";
  // Only those who may grade this student reach the upload: anyone else is refused before a byte is stored.
  const view = await orErrorPage(async () => gradingView(actor, assignmentId, studentId));
  let values = { score: "", feedback: "" };
  try {
    const { fields, files } = await receiveUploadForm(actor, request, { accept: "any", maxFiles: 10 });
    values = gradeFormValues(fields);
    const { state } = await saveGrade(actor, assignmentId, studentId, fields, (files.get("files") ?? []).map((f) => f.id));
    const as = state === "returned" ? "returned" : "draft";
    const next = view.nextStudentId ?? studentId;
    return redirect(`/assignments/${assignmentId}/grading/${next}?saved=${studentId}&as=${as}`);
  } catch (error) {
    return formFailure(error, values);
  }
}

/** One student's work and the grade form, with the way to the previous and next student. */
export default function GradingViewPage() {
  const { view, feedbackMax, saved, acknowledgedBy } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("grading");
  const { assignment, student, grade } = view;
  const [latest, ...older] = view.versions;
  const base = `/assignments/${assignment.id}/grading`;
  // What the photos are, for their alt text: this pupil's work on this assignment.
  const what = `${student.realName} · ${assignment.title}`;
  const nav = (
    <nav className="student-nav" aria-label={t("studentNav")}>
      {view.prevStudentId ? <a href={`${base}/${view.prevStudentId}`}>{t("prev")}</a> : <span />}
      <span className="meta">{t("position", { n: view.position, total: view.total })}</span>
      {view.nextStudentId ? <a href={`${base}/${view.nextStudentId}`}>{t("next")}</a> : <span />}
    </nav>
  );
  return (
    <>
      <header className="panel">
        <p className="meta">
          <a href={base}>{t("backToQueue")}</a> · <a href={`/assignments/${assignment.id}`}>{assignment.title}</a>
        </p>
        <h1>
          {student.realName} <GradeStatusTag status={view.status} reason={view.reason} />
        </h1>
        <p className="meta">
          {student.className} · {t("pointsLine", { points: assignment.points, due: assignment.dueText })}
        </p>
        {saved ? (
          <p className="notice" role="status">
            {t(saved.as === "returned" ? "savedReturned" : "savedDraft", { name: saved.name })}
          </p>
        ) : null}
        {nav}
      </header>
      <div className="grading-layout">
        <section className="panel" aria-labelledby="work-title">
          <h2 id="work-title">{t("work")}</h2>
          {latest ? <Version version={latest} what={what} isLatest /> : <p>{t("noWork")}</p>}
          {older.length ? (
            <details className="older-versions">
              <summary>{t("olderVersions", { count: older.length })}</summary>
              {older.map((v) => (
                <Version key={v.versionId} version={v} what={what} />
              ))}
            </details>
          ) : null}
        </section>
        <section className="panel" aria-labelledby="grade-title">
          <h2 id="grade-title">{t("gradeTitle")}</h2>
          <dl className="facts grade-facts">
            <dt>{t("savedGrade")}</dt>
            <dd>
              {grade.scoreText !== null ? `${grade.scoreText} / ${assignment.points} · ` : null}
              {t(`gradeState.${grade.state}`)}
              {grade.gradedBy ? ` · ${t("gradedBy", { name: grade.gradedBy })}` : null}
            </dd>
          </dl>
          <Acknowledgers ns="grading" names={acknowledgedBy} />
          <GradeForm points={assignment.points} feedbackMax={feedbackMax} grade={grade} failure={failure} />
          <UploadProgressScript />
        </section>
      </div>
      <div className="panel">{nav}</div>
    </>
  );
}

type VersionView = { versionId: string; number: number; at: string; checksum: string; late: boolean; bodyHtml: string; files: ListedFile[] };

function Version({ version, what, isLatest = false }: { version: VersionView; what: string; isLatest?: boolean }) {
  const { t } = useTranslation("grading");
  return (
    <article className="work-version" aria-labelledby={`v-${version.versionId}`}>
      <h3 id={`v-${version.versionId}`}>
        {t("version", { number: version.number })}
        {isLatest ? <span className="tag">{t("latest")}</span> : null}
        {version.late ? <span className="tag status-late">{t("late")}</span> : null}
      </h3>
      <p className="meta">
        {t("submittedAt", { time: version.at })} · {t("receipt", { checksum: version.checksum })}
      </p>
      {/* Sanitized on the server when handed in (richtext.server's allowlist). */}
      <div className="rich-text" dangerouslySetInnerHTML={{ __html: version.bodyHtml }} />
      {version.files.length ? (
        <>
          <h4>{t("workFiles")}</h4>
          <FileThumbList files={version.files} what={what} />
        </>
      ) : null}
    </article>
  );
}
