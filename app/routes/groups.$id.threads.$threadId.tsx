import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { GroupThreadPosts, GroupThreadReplyForm, GroupThreadReports, GroupThreadTools } from "~/components/GroupThreadPage";
import { uploadProgressLinks } from "~/components/UploadProgress";
import { ValidationError } from "~/domain/foundation/errors.server";
import { receiveUploadForm } from "~/domain/uploads/files.server";
import { removeMember } from "~/domain/groups/group-members.server";
import { reply, reportPost, requireReplier, resolveReport, setPostHidden, setThreadLocked, setThreadPinned, threadView } from "~/domain/groups/group-threads.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { mayCopyToLesson } from "~/domain/group-work/group-library.server";
import { i18next } from "~/i18next.server";
import type { RouteHandle } from "~/i18n";
import { formatDateTime, formatNumber } from "~/lib/format";
import { field, formFailure, orErrorPage, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/group-threads.css?url";

// A read page: no hydration, no editor (the 60 KB budget). Replies are a plain multipart form
// (textarea + files); moderation and reports are small plain forms to the same action.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }, ...uploadProgressLinks()];
// The feedback / reply form keeps a browser draft (a plain script; the page does not hydrate).
export const handle: RouteHandle = { drafts: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const groupId = params.id ?? "";
  const pageParam = new URL(request.url).searchParams.get("page");
  const page = pageParam === "last" ? Number.MAX_SAFE_INTEGER : Number(pageParam) || 1;
  const view = await orErrorPage(async () => threadView(actor, groupId, params.threadId ?? "", page));
  const t = await i18next.getFixedT(request);
  const kb = (size: number) => formatNumber(Math.max(1, Math.round(size / 1024)), lng);
  return {
    title: `${view.thread.title} · ${t("groupThreads:list.title")} · ${t("common:appName")}`,
    groupId,
    thread: { ...view.thread, createdAt: formatDateTime(view.thread.createdAt, lng) },
    posts: view.posts.map((p) => ({ ...p, createdAt: formatDateTime(p.createdAt, lng), files: p.files.map((f) => ({ id: f.id, name: f.name, url: f.url, sizeText: kb(f.size) })) })),
    page: view.page,
    pages: view.pages,
    pageText: { page: formatNumber(view.page, lng), pages: formatNumber(view.pages, lng) },
    // A teacher who writes lessons may copy a post's file into one (the library's copy page).
    may: { ...view.may, copyToLesson: await mayCopyToLesson(actor) },
    reports: view.reports.map((r) => ({ ...r, createdAt: formatDateTime(r.createdAt, lng) })),
    nextPostId: view.nextPostId,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const groupId = params.id ?? "";
  const threadId = params.threadId ?? "";
  const here = `/groups/${groupId}/threads/${threadId}`;
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    // A reply: refused (not a member, locked) before a byte of its upload is received.
    await orErrorPage(async () => requireReplier(actor, groupId, threadId));
    let values = { target: "reply", body: "", postId: "" };
    try {
      const { fields, files } = await receiveUploadForm(actor, request, { accept: "any", maxFiles: 10 });
      values = { target: "reply", body: fields.get("body") ?? "", postId: fields.get("postId") ?? "" };
      const { postId } = await reply(actor, groupId, threadId, fields, (files.get("files") ?? []).map((f) => f.id));
      return redirect(`${here}?page=last#p-${postId}`);
    } catch (error) {
      return formFailure(error, values);
    }
  }
  const form = await request.formData();
  const intent = field(form, "intent");
  const postId = field(form, "postId");
  const reason = field(form, "reason");
  const target = intent === "report" ? `report:${postId}` : "tools";
  try {
    if (intent === "pin" || intent === "unpin") await setThreadPinned(actor, groupId, threadId, intent === "pin");
    else if (intent === "lock" || intent === "unlock") await setThreadLocked(actor, groupId, threadId, intent === "lock");
    else if (intent === "hide" || intent === "unhide") await setPostHidden(actor, groupId, postId, intent === "hide");
    else if (intent === "report") await reportPost(actor, groupId, postId, reason);
    else if (intent === "resolve") await resolveReport(actor, groupId, field(form, "reportId"));
    else if (intent === "remove") await removeMember(actor, groupId, field(form, "userId"));
    else throw new ValidationError({}, "errors:invalidInput");
  } catch (error) {
    return formFailure(error, { target, body: "", postId: "", reason });
  }
  const page = field(form, "page");
  return redirect(`${here}${/^\d{1,6}$/.test(page) ? `?page=${page}` : ""}${postId ? `#p-${postId}` : ""}`);
}

export default function GroupThread() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("groupThreads");
  const { thread, groupId } = data;
  const base = `/groups/${groupId}/threads/${thread.id}`;
  return (
    <section className="panel group-threads" aria-labelledby="thread-title">
      <header className="thread-head">
        <p className="meta">
          <a href={`/groups/${groupId}`}>{t("thread.back")}</a>
        </p>
        <h2 id="thread-title">
          {thread.pinned ? <span className="tag">{t("list.pinned")}</span> : null}
          {thread.locked ? <span className="tag tag-muted">{t("list.locked")}</span> : null}
          {thread.hidden ? <span className="tag tag-warn">{t("list.hidden")}</span> : null} <span lang={thread.titleLang ?? undefined}>{thread.title}</span>
        </h2>
        <p className="meta">
          {t("list.startedBy", { name: thread.authorName })} · {thread.createdAt}
        </p>
        {thread.hidden ? <p className="notice">{t("thread.hiddenThread")}</p> : null}
        {data.may.moderate ? <GroupThreadTools pinned={thread.pinned} locked={thread.locked} failure={failure?.values.target === "tools" ? failure : null} /> : null}
      </header>
      {data.may.moderate && data.reports.length ? <GroupThreadReports reports={data.reports} page={data.page} /> : null}
      <GroupThreadPosts posts={data.posts} page={data.page} mayModerate={data.may.moderate} copyFrom={data.may.copyToLesson ? data.groupId : null} failure={failure && failure.values.target.startsWith("report:") ? failure : null} />
      {data.pages > 1 ? (
        <nav className="thread-pager" aria-label={t("thread.pages")}>
          {data.page > 1 ? <a href={`${base}?page=${data.page - 1}`}>{t("thread.previous")}</a> : null}
          <span>{t("thread.page", data.pageText)}</span>
          {data.page < data.pages ? <a href={`${base}?page=${data.page + 1}`}>{t("thread.next")}</a> : null}
        </nav>
      ) : null}
      {data.may.reply ? null : <p className="notice">{t("thread.lockedNotice")}</p>}
      {/* A reply refused because the thread was locked meanwhile still shows what was typed. */}
      {data.may.reply || failure?.values.target === "reply" ? (
        <GroupThreadReplyForm postId={(failure?.values.target === "reply" && failure.values.postId) || data.nextPostId} failure={failure?.values.target === "reply" ? failure : null} />
      ) : null}
    </section>
  );
}
