import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { decideComment } from "~/domain/spaces/comments.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { approvalQueue, decidePost } from "~/domain/spaces/posts.server";
import { formatDateTime } from "~/lib/format";
import { field, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/blog.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const queue = await orErrorPage(async () => approvalQueue(actor));
  return {
    title: await pageTitle(request, "blog:approvalsTitle"),
    done: new URL(request.url).searchParams.has("done"),
    queue: queue.map((q) => ({ ...q, at: formatDateTime(q.at, lng) })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await request.formData();
  const decision = field(form, "decision") === "approve" ? "approve" : "reject";
  const id = field(form, "id");
  await orErrorPage(async () => (field(form, "type") === "comment" ? decideComment(actor, id, decision) : decidePost(actor, id, decision)));
  return redirect("/approvals?done=1");
}

/** A teacher's queue: their students' posts and comments waiting to be seen by others. */
export default function Approvals() {
  const { queue, done } = useLoaderData<typeof loader>();
  const { t } = useTranslation("blog");
  return (
    <section className="panel" aria-labelledby="approvals-title">
      <h1 id="approvals-title">{t("approvalsTitle")}</h1>
      {done ? (
        <p className="notice" role="status">
          {t("decided")}
        </p>
      ) : null}
      <p className="hint">{t("approvalsIntro")}</p>
      {queue.length ? (
        <ol className="approval-list">
          {queue.map((q) => (
            <li key={`${q.type}-${q.id}`} className="card">
              <p className="meta">
                <span className="tag">{q.type === "post" ? t("kindPost") : t("kindComment")}</span> {q.authorName} · <time>{q.at}</time>
              </p>
              {q.type === "post" ? <h2>{q.postTitle}</h2> : <p className="meta">{t("onPost", { title: q.postTitle })}</p>}
              <p className="comment-body">{q.text}</p>
              <Form method="post" className="approval-actions">
                <input type="hidden" name="type" value={q.type} />
                <input type="hidden" name="id" value={q.id} />
                <button type="submit" name="decision" value="approve" className="primary">
                  {t("approve")}
                </button>
                <button type="submit" name="decision" value="reject">
                  {t("reject")}
                </button>
                <a href={`/posts/${q.postId}${q.type === "comment" ? `#c-${q.id}` : ""}`}>{t("openPost")}</a>
              </Form>
            </li>
          ))}
        </ol>
      ) : (
        <p className="meta">{t("queueEmpty")}</p>
      )}
    </section>
  );
}
