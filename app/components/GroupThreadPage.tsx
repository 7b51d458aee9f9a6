import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/domain/foundation/errors.server";
import type { ThreadPost, ThreadReport } from "~/domain/groups/group-threads.server";
import { FormAlert, TextAreaField, type Problem } from "./FormBits";
import { UploadProgressScript } from "./UploadProgress";
import { FilesInput } from "~/components/AttachedFilesField";

// The parts of a thread's read page (no hydration): every control is a plain form posting to the
// thread route's action, so all of it works without JavaScript.

type Failure = { formError: Problem; fieldErrors: FieldErrors; values: { target: string; body?: string; postId?: string; reason?: string } } | null | undefined;

/** A post as the page shows it: its time and file sizes already formatted on the server. */
export type PostItem = Omit<ThreadPost, "createdAt" | "files"> & { createdAt: string; files: { id: string; name: string; url: string; sizeText: string }[] };
export type ReportItem = Omit<ThreadReport, "createdAt"> & { createdAt: string };

function PageField({ page }: { page: number }) {
  return <input type="hidden" name="page" value={page} />;
}

/** Pin and lock, for moderators. */
export function GroupThreadTools({ pinned, locked, failure }: { pinned: boolean; locked: boolean; failure: Failure }) {
  const { t } = useTranslation("groupThreads");
  return (
    <>
      <FormAlert problem={failure?.formError} />
      <div className="thread-tools" role="group" aria-label={t("thread.moderation")}>
        <form method="post">
          <button type="submit" name="intent" value={pinned ? "unpin" : "pin"} className="quiet">
            {pinned ? t("thread.unpin") : t("thread.pin")}
          </button>
        </form>
        <form method="post">
          <button type="submit" name="intent" value={locked ? "unlock" : "lock"} className="quiet">
            {locked ? t("thread.unlock") : t("thread.lock")}
          </button>
        </form>
      </div>
    </>
  );
}

/** Open reports on the thread's posts, each resolvable (moderators). */
export function GroupThreadReports({ reports, page }: { reports: ReportItem[]; page: number }) {
  const { t } = useTranslation("groupThreads");
  return (
    <section className="notice thread-reports" aria-labelledby="reports-title">
      <h3 id="reports-title">{t("thread.reportsTitle")}</h3>
      <ul className="report-list">
        {reports.map((r) => (
          <li key={r.id}>
            <span>
              {t("thread.reportLine", { name: r.reporterName, time: r.createdAt })}: {r.reason || t("thread.noReason")} <a href={`#p-${r.postId}`}>{t("thread.goToPost")}</a>
            </span>
            <form method="post">
              <input type="hidden" name="reportId" value={r.id} />
              <input type="hidden" name="postId" value={r.postId} />
              <PageField page={page} />
              <button type="submit" name="intent" value="resolve" className="quiet">
                {t("thread.resolve")}
              </button>
            </form>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The posts in order; a hidden one is its text for those who may read it, else "a post was hidden". */
export function GroupThreadPosts({ posts, page, mayModerate, copyFrom, failure }: { posts: PostItem[]; page: number; mayModerate: boolean; copyFrom: string | null; failure: Failure }) {
  const { t } = useTranslation("groupThreads");
  const failed = (postId: string) => (failure && failure.values.target === `report:${postId}` ? failure : null);
  return (
    <ol className="post-list">
      {posts.map((p) => (
        <li key={p.id} id={`p-${p.id}`} tabIndex={-1} className={p.hidden ? "is-hidden" : undefined}>
          {p.bodyHtml === null ? (
            <p className="placeholder">{t("thread.hiddenPost")}</p>
          ) : (
            <>
              <p className="byline meta">
                <span>{t("thread.byline", { name: p.author.realName, school: p.author.schoolName ?? "", time: p.createdAt })}</span>
                {p.isOpening ? <span className="tag">{t("thread.starter")}</span> : null}
                {p.hidden ? <span className="tag tag-warn">{t("thread.hiddenMark")}</span> : null}
              </p>
              {p.hidden ? <p className="hint">{t("thread.hiddenNote")}</p> : null}
              {/* Sanitized on the server when saved (richtext.server's allowlist). */}
              <div className="rich-text" lang={p.bodyLang ?? undefined} dangerouslySetInnerHTML={{ __html: p.bodyHtml }} />
              {p.files.length ? (
                <ul className="file-list" aria-label={t("thread.files")}>
                  {p.files.map((f) => (
                    <li key={f.id}>
                      <a href={f.url}>{f.name}</a> <span className="meta">{t("lessons:sizeKb", { size: f.sizeText })}</span>
                      {copyFrom ? (
                        <>
                          {" "}
                          <a className="copy-to-lesson" href={`/groups/${copyFrom}/copy-to-lesson?file=${encodeURIComponent(f.id)}`} aria-label={t("groupLibrary:copyToLessonNamed", { name: f.name })}>
                            {t("groupLibrary:copyToLesson")}
                          </a>
                        </>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : null}
              <div className="post-actions">
                {mayModerate ? (
                  <form method="post">
                    <input type="hidden" name="postId" value={p.id} />
                    <PageField page={page} />
                    <button type="submit" name="intent" value={p.hidden ? "unhide" : "hide"} className="quiet">
                      {p.hidden ? t("thread.unhide") : t("thread.hide")}
                    </button>
                  </form>
                ) : null}
                {p.removable ? (
                  <form method="post">
                    <input type="hidden" name="userId" value={p.author.id} />
                    <input type="hidden" name="postId" value={p.id} />
                    <PageField page={page} />
                    <button type="submit" name="intent" value="remove" className="quiet danger">
                      {t("thread.removeMember")}
                    </button>
                  </form>
                ) : null}
                {p.mine ? null : p.reportedByMe ? (
                  <span className="meta">{t("thread.reported")}</span>
                ) : (
                  <details open={Boolean(failed(p.id))}>
                    <summary>{t("thread.report")}</summary>
                    <form method="post">
                      <input type="hidden" name="postId" value={p.id} />
                      <PageField page={page} />
                      <FormAlert problem={failed(p.id)?.formError} />
                      <TextAreaField id={`f-reason-${p.id}`} name="reason" label={t("thread.reportReason")} rows={2} defaultValue={failed(p.id)?.values.reason ?? ""} error={failed(p.id)?.fieldErrors.reason} />
                      <button type="submit" name="intent" value="report" className="quiet">
                        {t("thread.report")}
                      </button>
                    </form>
                  </details>
                )}
              </div>
            </>
          )}
        </li>
      ))}
    </ol>
  );
}

/** The reply form: a plain textarea and files (no editor on a read page); the page picks the reply's id. */
export function GroupThreadReplyForm({ postId, failure }: { postId: string; failure: Failure }) {
  const { t } = useTranslation("groupThreads");
  const fileError = failure?.fieldErrors.files;
  return (
    <section className="reply-form" aria-labelledby="reply-title">
      <h3 id="reply-title">{t("thread.replyTitle")}</h3>
      <FormAlert problem={failure?.formError} />
      <form method="post" encType="multipart/form-data" data-upload-progress="" noValidate data-draft="reply">
        <input type="hidden" name="postId" value={postId} />
        <TextAreaField name="body" label={t("thread.fieldReply")} hint={t("new.fieldBodyHint")} rows={5} defaultValue={failure?.values.body ?? ""} error={failure?.fieldErrors.body} />
        <FilesInput label={t("new.fieldFiles")} hint={failure ? `${t("new.fieldFilesHint")} ${t("new.filesAgain")}` : t("new.fieldFilesHint")} error={fileError ? t(fileError.key, fileError.params) : null} />
        <button type="submit" className="primary">
          {t("thread.send")}
        </button>
      </form>
      <UploadProgressScript />
    </section>
  );
}
