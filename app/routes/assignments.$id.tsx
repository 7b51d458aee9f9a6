import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StateTag, StatusTag } from "~/components/AssignmentTags";
import { FileThumbList, type ListedFile } from "~/components/FileThumbs";
import { AskToDelete, ConfirmDelete } from "~/components/ConfirmDelete";
import { FormAlert } from "~/components/FormBits";
import { deleteAssignment, mayGrade, publishAssignment, viewAssignment } from "~/domain/classwork/assignments.server";
import type { StoredFile } from "~/domain/uploads/files.server";
import { addReturnedWorkToPortfolio } from "~/domain/grading/grading.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { localName } from "~/lib/local-names";
import { formatDateTime, formatList, formatNumber } from "~/lib/format";
import { field, formFailure, orErrorPage, requireActor } from "~/lib/http.server";
import spaceCss from "~/styles/space.css?url";
import classCss from "~/styles/class-space.css?url";
import cssUrl from "~/styles/assignments.css?url";

// A read page: no hydration. Its buttons (publish, delete, add to portfolio) are plain forms.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: spaceCss }, { rel: "stylesheet", href: classCss }, { rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const id = params.id ?? "";
  const view = await orErrorPage(async () => viewAssignment(actor, id));
  const kb = (f: StoredFile) => ({ id: f.id, name: f.name, url: f.url, thumb: f.thumb, sizeText: formatNumber(Math.max(1, Math.round(f.size / 1024)), lng) });
  const at = (d: Date) => formatDateTime(d, lng);
  const mine = view.mine
    ? {
        may: view.mine.may,
        versions: view.mine.versions.map((v) => ({
          versionId: v.versionId,
          number: formatNumber(v.number, lng),
          at: at(v.submittedAt),
          checksum: v.checksum,
          late: v.late,
          files: v.files.map(kb),
          bodyHtml: v.bodyHtml,
        })),
        work: view.mine.work,
        lateUntil: view.mine.lateOpen && view.lateUntil ? at(view.lateUntil) : null,
        grade: view.mine.grade
          ? {
              score: view.mine.grade.score === null ? null : formatNumber(view.mine.grade.score, lng),
              points: formatNumber(view.mine.grade.points, lng),
              feedback: view.mine.grade.feedback,
              files: view.mine.grade.files.map(kb),
              returnedAt: at(view.mine.grade.returnedAt),
              portfolioItemId: view.mine.grade.portfolioItemId,
            }
          : null,
      }
    : null;
  // The receipt shown after handing in: only a version of this student's own work on this assignment.
  const receiptId = new URL(request.url).searchParams.get("receipt");
  const receipt = mine?.versions.find((v) => v.versionId === receiptId) ?? null;
  // "Delete" first opens this question (a GET view): only the author is asked.
  const confirming = view.standing === "author" && new URL(request.url).searchParams.get("confirm") === "delete";
  return {
    title: view.title,
    confirming,
    assignment: {
      id: view.id,
      title: view.title,
      bodyHtml: view.bodyHtml,
      files: view.files.map(kb),
      state: view.state,
      standing: view.standing,
      openAt: at(view.openAt),
      dueAt: at(view.dueAt),
      lateUntil: view.lateUntil ? at(view.lateUntil) : null,
      allowResubmit: view.allowResubmit,
      points: formatNumber(view.points, lng),
      author: view.author.realName,
      lesson: view.lesson,
      classes: formatList(
        view.classes.map((k) => localName(k, lng)),
        lng,
      ),
      mayGrade: await mayGrade(actor, id),
    },
    mine,
    receipt,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const id = params.id ?? "";
  const form = await request.formData();
  const intent = field(form, "intent");
  try {
    if (intent === "publish") {
      await publishAssignment(actor, id);
      return redirect(`/assignments/${id}`);
    }
    if (intent === "delete") {
      // Deleting is asked first: a bare "delete" (an old page, a stray tap) only opens the question.
      if (field(form, "confirmed") !== "yes") return redirect(`/assignments/${id}?confirm=delete`);
      await deleteAssignment(actor, id);
      return redirect("/assignments");
    }
    if (intent === "portfolio") {
      const item = await addReturnedWorkToPortfolio(actor, id);
      return redirect(`/portfolio/${item.id}?done=added`);
    }
    return redirect(`/assignments/${id}`);
  } catch (error) {
    return formFailure(error, { intent });
  }
}

/** Files with photos as thumbnails; `what` names what they belong to, for the photos' alt text. */
function FileList({ files, label, what }: { files: ListedFile[]; label: string; what: string }) {
  return <FileThumbList files={files} label={label} what={`${what} · ${label}`} />;
}

/** One assignment: instructions, files, times; the author's actions; a student's work, receipts and grade. */
export default function AssignmentPage() {
  const { assignment: a, mine, receipt, confirming } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("assignments");
  if (confirming && !failure) {
    return (
      <ConfirmDelete
        heading={t("common:confirm.assignment.heading")}
        name={a.title}
        files={a.files.map((f) => ({ id: f.id, name: f.name, sizeText: t("sizeKb", { size: f.sizeText }) }))}
        confirmLabel={t("common:confirm.assignment.button")}
        cancelHref={`/assignments/${a.id}`}
        fields={{ intent: "delete" }}
      />
    );
  }
  return (
    <>
      {/* Just handed in: the receipt comes first, so it is in view on a phone (and focused via #receipt). */}
      {receipt ? (
        <div className="receipt panel" id="receipt" tabIndex={-1} role="status" aria-labelledby="receipt-title">
          <h2 id="receipt-title">{t("receipt.title")}</h2>
          <dl className="facts">
            <dt>{t("receipt.received")}</dt>
            <dd>{receipt.at}</dd>
            <dt>{t("receipt.version")}</dt>
            <dd>
              {t("receipt.versionN", { n: receipt.number })} {receipt.late ? <span className="tag st-late">{t("receipt.late")}</span> : null}
            </dd>
            <dt>{t("receipt.checksum")}</dt>
            <dd className="checksum">{receipt.checksum}</dd>
            <dt>{t("receipt.files")}</dt>
            <dd>{receipt.files.length ? <FileList files={receipt.files} label={t("receipt.files")} what={a.title} /> : t("receipt.noFiles")}</dd>
          </dl>
          <p className="hint">{t("receipt.keep")}</p>
        </div>
      ) : null}
      <article className="panel assignment-head" aria-labelledby="assignment-title">
        <p className="meta">
          <a href="/assignments">{t("back")}</a>
        </p>
        <h1 id="assignment-title">{a.title}</h1>
        <p className="meta">
          {/* A pupil sees where they stand (the same words as their to-do and the teacher's queue), not the assignment's state. */}
          {mine ? <StatusTag state={mine.work} lateUntil={mine.lateUntil} /> : <StateTag state={a.state} />} {t("byline", { name: a.author })}
        </p>
        <FormAlert problem={failure?.formError} />
        {a.state === "draft" ? <p className="notice">{t("draftNote")}</p> : null}
        <dl className="facts assignment-facts">
          <dt>{t("facts.classes")}</dt>
          <dd>{a.classes}</dd>
          {a.lesson ? (
            <>
              <dt>{t("facts.lesson")}</dt>
              <dd>
                <a href={`/lessons/${a.lesson.id}`}>{a.lesson.title}</a>
              </dd>
            </>
          ) : null}
          <dt>{t("facts.openAt")}</dt>
          <dd>{a.openAt}</dd>
          <dt>{t("facts.dueAt")}</dt>
          <dd>
            <strong>{a.dueAt}</strong>
          </dd>
          <dt>{t("facts.late")}</dt>
          <dd>{a.lateUntil ? t("facts.lateUntil", { time: a.lateUntil }) : t("facts.lateNo")}</dd>
          {/* Once the pupil cannot hand in again (returned, closed…), the rule would only contradict the notice below. */}
          {mine && !mine.may.ok && mine.may.reason !== "notOpen" ? null : (
            <>
              <dt>{t("facts.resubmit")}</dt>
              <dd>{a.allowResubmit ? t("facts.resubmitYes") : t("facts.resubmitNo")}</dd>
            </>
          )}
          <dt>{t("facts.points")}</dt>
          <dd>{a.points}</dd>
        </dl>
        {/* Sanitized on the server when saved (richtext.server's allowlist). */}
        <div className="rich-text" dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
        {a.files.length ? (
          <>
            <h2>{t("files")}</h2>
            <FileList files={a.files} label={t("files")} what={a.title} />
          </>
        ) : null}
        {a.standing !== "student" ? (
          <div className="author-actions">
            {a.mayGrade && a.state !== "draft" ? (
              <a className="button" href={`/assignments/${a.id}/grading`}>
                {t("grading")}
              </a>
            ) : null}
            {a.standing === "author" ? (
              <>
                <a className="button" href={`/assignments/${a.id}/edit`}>
                  {t("edit")}
                </a>
                {a.state === "draft" ? (
                  <Form method="post">
                    <button type="submit" name="intent" value="publish" className="primary">
                      {t("publishNow")}
                    </button>
                  </Form>
                ) : null}
                <AskToDelete label={t("delete")} />
              </>
            ) : null}
          </div>
        ) : null}
      </article>
      {mine ? (
        <section className="panel" aria-labelledby="mine-title">
          {mine.grade ? (
            <div className="grade-box" aria-labelledby="grade-title">
              <h2 id="grade-title">{t("grade.title")}</h2>
              <p className="score">{mine.grade.score === null ? t("grade.noScore") : t("grade.score", { score: mine.grade.score, points: mine.grade.points })}</p>
              <p className="meta">{t("grade.returnedAt", { time: mine.grade.returnedAt })}</p>
              {mine.grade.feedback ? (
                <>
                  <h3>{t("grade.feedback")}</h3>
                  <p className="feedback">{mine.grade.feedback}</p>
                </>
              ) : null}
              {mine.grade.files.length ? (
                <>
                  <h3>{t("grade.files")}</h3>
                  <FileList files={mine.grade.files} label={t("grade.files")} what={a.title} />
                </>
              ) : null}
              {mine.grade.portfolioItemId ? (
                <p>
                  <a href={`/portfolio/${mine.grade.portfolioItemId}`}>{t("inPortfolio")}</a>
                </p>
              ) : (
                <Form method="post">
                  <button type="submit" name="intent" value="portfolio" className="primary">
                    {t("toPortfolio")}
                  </button>
                </Form>
              )}
            </div>
          ) : null}
          <h2 id="mine-title">{t("myWork")}</h2>
          {mine.may.ok ? (
            <p>
              <a className="hand-in" href={`/assignments/${a.id}/submit`}>
                {mine.versions.length ? t("handInAgain") : t("handIn")}
              </a>
            </p>
          ) : (
            <p className="notice">{t(`cannot.${mine.may.reason}`)}</p>
          )}
          {mine.versions.length === 0 ? <p>{t("noWork")}</p> : null}
          <ol className="versions" reversed>
            {mine.versions.map((v) => (
              <li key={v.versionId} id={`v-${v.versionId}`}>
                <p>
                  <strong>{t("versionLine", { n: v.number, time: v.at })}</strong> {v.late ? <span className="tag st-late">{t("status.late")}</span> : null}
                </p>
                <p className="meta">
                  {t("receipt.checksum")} <span className="checksum">{v.checksum}</span>
                </p>
                {/* Sanitized on the server when handed in. */}
                <div className="rich-text" dangerouslySetInnerHTML={{ __html: v.bodyHtml }} />
                {v.files.length ? <FileList files={v.files} label={t("receipt.files")} what={a.title} /> : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}
