import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AskToDelete, ConfirmDelete } from "~/components/ConfirmDelete";
import { PostArticle } from "~/components/PostArticle";
import { PostComments } from "~/components/PostComments";
import { addComment, decideComment, editComment, listComments, MAX_COMMENT, removeComment, reportComment, setLike } from "~/domain/spaces/comments.server";
import { ForbiddenError } from "~/domain/foundation/errors.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { decidePost, deletePost, viewPost } from "~/domain/spaces/posts.server";
import { scriptLang } from "~/domain/foundation/richtext.server";
import { actorFromRequest } from "~/domain/accounts/sessions.server";
import { formatDateTime, formatNumber } from "~/lib/format";
import { asErrorPage, field, formFailure, readerErrorPage, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/blog.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const NOTICES = ["published", "submitted", "saved", "commented", "commentSubmitted", "reportSent", "decided"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await actorFromRequest(request);
  const lng = await resolveLocale(request, actor);
  try {
    const post = await viewPost(actor, params.id ?? "");
    const comments = await listComments(actor, post.id);
    const done = new URL(request.url).searchParams.get("done");
    // "Delete" first opens this question (a GET view): only someone who may delete is asked.
    const confirming = post.mayDelete && new URL(request.url).searchParams.get("confirm") === "delete";
    return {
      title: post.title,
      confirming,
      notice: NOTICES.find((n) => n === done) ?? null,
      signedIn: Boolean(actor),
      post: {
        ...post,
        titleLang: scriptLang(post.title),
        at: formatDateTime(post.at, lng),
        updatedAt: post.updatedAt ? formatDateTime(post.updatedAt, lng) : null,
        likes: formatNumber(post.likes, lng),
      },
      comments: comments.map((c) => ({ ...c, at: formatDateTime(c.at, lng) })),
      maxComment: MAX_COMMENT,
    };
  } catch (error) {
    // A post the reader may not see: anonymous readers are asked to sign in, others get "not found".
    throw readerErrorPage(request, error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const postId = params.id ?? "";
  const form = await request.formData();
  const intent = field(form, "intent");
  const commentId = field(form, "commentId");
  const back = (done: string, anchor = "") => redirect(`/posts/${postId}?done=${done}${anchor}`);
  const target = intent === "comment" ? "new" : intent === "editComment" ? `edit:${commentId}` : intent === "reportComment" ? `report:${commentId}` : intent;
  try {
    switch (intent) {
      case "comment": {
        const { id, approval } = await addComment(actor, postId, field(form, "body"));
        return back(approval === "pending" ? "commentSubmitted" : "commented", `#c-${id}`);
      }
      case "editComment": {
        const { approval } = await editComment(actor, commentId, field(form, "body"));
        return back(approval === "pending" ? "commentSubmitted" : "commented", `#c-${commentId}`);
      }
      case "removeComment":
        await removeComment(actor, commentId);
        return redirect(`/posts/${postId}#comments-title`);
      case "reportComment":
        await reportComment(actor, commentId, field(form, "reason"));
        return back("reportSent");
      case "like":
      case "unlike":
        await setLike(actor, postId, intent === "like");
        return redirect(`/posts/${postId}`);
      case "approvePost":
      case "rejectPost":
        await decidePost(actor, postId, intent === "approvePost" ? "approve" : "reject");
        return back("decided");
      case "approveComment":
      case "rejectComment":
        await decideComment(actor, commentId, intent === "approveComment" ? "approve" : "reject");
        return back("decided", `#c-${commentId}`);
      case "delete": {
        // Deleting is asked first: a bare "delete" (an old page, a stray tap) only opens the question.
        if (field(form, "confirmed") !== "yes") return redirect(`/posts/${postId}?confirm=delete`);
        const { authorHandle } = await deletePost(actor, postId);
        return redirect(`/u/${authorHandle}/blog`);
      }
      default:
        throw asErrorPage(new ForbiddenError("errors:invalidInput", 400));
    }
  } catch (error) {
    return formFailure(error, { target, body: field(form, "body") });
  }
}

/** A post: server-rendered, sanitized HTML; likes, comments and moderation as plain forms (no JavaScript). */
export default function PostPage() {
  const { post, comments, notice, signedIn, maxComment, confirming } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("blog");
  if (confirming && !failure) {
    return (
      <ConfirmDelete
        heading={t("common:confirm.post.heading")}
        name={`${post.title} · ${post.author.realName}`}
        consequence={t("common:confirm.post.comments")}
        confirmLabel={t("common:confirm.post.button")}
        cancelHref={`/posts/${post.id}`}
        fields={{ intent: "delete" }}
      />
    );
  }
  return (
    <>
      {notice ? (
        <p className="notice" role="status">
          {t(notice)}
        </p>
      ) : null}
      {failure && failure.values.target !== "new" && !failure.values.target.includes(":") ? <p className="alert" role="alert">{t(failure.formError?.key ?? "errors:invalidInput", failure.formError?.params)}</p> : null}
      <PostArticle post={post}>
        <div className="post-actions">
          {post.mayLike ? (
            <Form method="post">
              <button type="submit" name="intent" value={post.likedByMe ? "unlike" : "like"} aria-pressed={post.likedByMe} className={post.likedByMe ? "liked" : undefined}>
                {post.likedByMe ? t("unlike") : t("like")} · {t("likes", { n: post.likes })}
              </button>
            </Form>
          ) : (
            <span className="meta">{t("likes", { n: post.likes })}</span>
          )}
          {post.mayApprove ? (
            <Form method="post">
              <button type="submit" name="intent" value="approvePost" className="primary">
                {t("approve")}
              </button>{" "}
              <button type="submit" name="intent" value="rejectPost">
                {t("reject")}
              </button>
            </Form>
          ) : null}
          {post.mayEdit ? <a href={`/posts/${post.id}/edit`}>{t("edit")}</a> : null}
          {post.mayDelete ? (
            <AskToDelete label={t("deletePost")} className="link-button danger" />
          ) : null}
        </div>
        <p>
          <a href={`/u/${post.author.handle}/blog`}>{t("backToBlog", { name: post.author.realName })}</a>
        </p>
      </PostArticle>
      {post.status === "published" ? (
        <PostComments
          comments={comments}
          mayComment={post.mayComment}
          ownSchoolOnly={post.commentsOwnSchoolOnly}
          signedIn={signedIn}
          maxLength={maxComment}
          failure={failure && failure.values.target !== "" ? { target: failure.values.target, fieldErrors: failure.fieldErrors, formError: failure.formError, values: failure.values } : null}
        />
      ) : null}
    </>
  );
}
