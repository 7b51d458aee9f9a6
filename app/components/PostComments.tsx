import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { CommentView } from "~/domain/spaces/comments.server";
import type { FieldErrors } from "~/domain/foundation/errors.server";
import { FormAlert, TextAreaField, type Problem } from "./FormBits";

/** A comment as the page shows it: the domain's view, its time already formatted on the server. */
export type CommentItem = Omit<CommentView, "at"> & { at: string };

/**
 * A post's comments with their plain forms (no JavaScript): the text is shown as text, never as HTML,
 * with its line breaks kept by CSS.
 */
export function PostComments({
  comments,
  mayComment,
  ownSchoolOnly = false,
  signedIn,
  maxLength,
  failure,
}: {
  comments: CommentItem[];
  mayComment: boolean;
  /** The reader is a pupil of another school: say why there is no form. */
  ownSchoolOnly?: boolean;
  signedIn: boolean;
  maxLength: number;
  failure?: { target: string; fieldErrors: FieldErrors; formError: Problem; values: { body?: string } } | null;
}) {
  const { t } = useTranslation("blog");
  const failed = (target: string) => (failure && failure.target === target ? failure : null);
  return (
    <section className="panel comments" aria-labelledby="comments-title">
      <h2 id="comments-title">{t("commentsTitle")}</h2>
      {comments.length ? (
        <ol className="comment-list">
          {comments.map((c) => (
            <li key={c.id} id={`c-${c.id}`} className={c.approval === "pending" ? "comment pending" : "comment"}>
              <p className="meta">
                <a href={`/u/${c.authorHandle}`}>{c.authorName}</a> · <time>{c.at}</time>
                {c.edited ? ` · ${t("edited")}` : null}
                {c.approval === "pending" ? <span className="tag">{t("commentPending")}</span> : null}
                {c.approval === "rejected" ? <span className="tag">{t("commentRejected")}</span> : null}
                {c.reports ? <span className="tag">{t("reportsOpen", { n: c.reports })}</span> : null}
              </p>
              <p className="comment-body">{c.body}</p>
              <div className="comment-actions">
                {c.mayApprove ? (
                  <Form method="post">
                    <input type="hidden" name="commentId" value={c.id} />
                    <button type="submit" name="intent" value="approveComment" className="primary">
                      {t("approve")}
                    </button>{" "}
                    <button type="submit" name="intent" value="rejectComment">
                      {t("reject")}
                    </button>
                  </Form>
                ) : null}
                {c.mayEdit ? (
                  <details open={Boolean(failed(`edit:${c.id}`))}>
                    <summary>{t("editComment")}</summary>
                    <Form method="post">
                      <input type="hidden" name="commentId" value={c.id} />
                      <TextAreaField
                        id={`f-edit-${c.id}`}
                        name="body"
                        label={t("editComment")}
                        rows={3}
                        defaultValue={failed(`edit:${c.id}`)?.values.body ?? c.body}
                        error={failed(`edit:${c.id}`)?.fieldErrors.body}
                      />
                      <button type="submit" name="intent" value="editComment">
                        {t("saveComment")}
                      </button>
                    </Form>
                  </details>
                ) : null}
                {c.mayRemove ? (
                  <Form method="post">
                    <input type="hidden" name="commentId" value={c.id} />
                    <button type="submit" name="intent" value="removeComment" className="link-button">
                      {t("removeComment")}
                    </button>
                  </Form>
                ) : null}
                {c.mayReport ? (
                  c.reportedByMe ? (
                    <span className="meta">{t("reported")}</span>
                  ) : (
                    <details open={Boolean(failed(`report:${c.id}`))}>
                      <summary>{t("report")}</summary>
                      <Form method="post">
                        <input type="hidden" name="commentId" value={c.id} />
                        <FormAlert problem={failed(`report:${c.id}`)?.formError} />
                        <TextAreaField id={`f-reason-${c.id}`} name="reason" label={t("reportReason")} rows={2} error={failed(`report:${c.id}`)?.fieldErrors.reason} />
                        <button type="submit" name="intent" value="reportComment">
                          {t("report")}
                        </button>
                      </Form>
                    </details>
                  )
                ) : null}
              </div>
            </li>
          ))}
        </ol>
      ) : (
        <p className="meta">{t("noComments")}</p>
      )}
      {mayComment ? (
        <Form method="post" className="comment-form">
          <FormAlert problem={failed("new")?.formError} />
          <TextAreaField name="body" label={t("commentLabel")} hint={t("commentHint", { max: maxLength })} rows={4} defaultValue={failed("new")?.values.body ?? ""} error={failed("new")?.fieldErrors.body} />
          <button type="submit" name="intent" value="comment" className="primary">
            {t("addComment")}
          </button>
        </Form>
      ) : ownSchoolOnly ? (
        <p className="meta">{t("pupilCommentsOwnSchool")}</p>
      ) : !signedIn ? (
        <p className="meta">{t("signInToComment")}</p>
      ) : null}
    </section>
  );
}
