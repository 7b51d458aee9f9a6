import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { i18next } from "~/i18next.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { listPosts } from "~/domain/spaces/posts.server";
import { scriptLang } from "~/domain/foundation/richtext.server";
import { actorFromRequest } from "~/domain/accounts/sessions.server";
import { isFeatureEnabled } from "~/domain/rollout/flags.server";
import { formatDate, formatNumber } from "~/lib/format";
import { readerErrorPage } from "~/lib/http.server";
import cssUrl from "~/styles/blog.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await actorFromRequest(request);
  const lng = await resolveLocale(request, actor);
  const url = new URL(request.url);
  try {
    const list = await listPosts(actor, params.handle ?? "", { tag: url.searchParams.get("tag"), cursor: url.searchParams.get("after") });
    const t = await i18next.getFixedT(request);
    return {
      title: `${t("blog:blogOf", { name: list.owner.realName })} · ${t("common:appName")}`,
      owner: list.owner,
      isOwner: list.isOwner,
      mayWrite: list.isOwner && await isFeatureEnabled(actor, "blog"),
      tag: list.tag,
      posts: list.posts.map((p) => ({ ...p, titleLang: scriptLang(p.title), excerptLang: scriptLang(p.excerpt), at: formatDate(p.at, lng), likes: formatNumber(p.likes, lng), comments: formatNumber(p.comments, lng) })),
      next: list.nextCursor ? `?${new URLSearchParams({ ...(list.tag ? { tag: list.tag } : {}), after: list.nextCursor })}` : null,
    };
  } catch (error) {
    throw readerErrorPage(request, error);
  }
}

/** A person's posts, newest first: no JavaScript, one small page at a time. */
export default function Blog() {
  const { owner, isOwner, mayWrite, tag, posts, next } = useLoaderData<typeof loader>();
  const { t } = useTranslation("blog");
  return (
    <section className="panel blog-list" aria-labelledby="blog-title">
      <h1 id="blog-title">{t("blogOf", { name: owner.realName })}</h1>
      <p className="blog-nav">
        <a href={`/u/${owner.handle}`}>{owner.realName}</a>
        {tag ? (
          <>
            {" · "}
            <span>{t("taggedWith", { tag })}</span> · <a href={`/u/${owner.handle}/blog`}>{t("allPosts")}</a>
          </>
        ) : null}
        {mayWrite ? (
          <a className="button primary" href="/posts/new">
            {t("newPost")}
          </a>
        ) : null}
      </p>
      {posts.length ? (
        <ol className="post-list">
          {posts.map((p) => (
            <li key={p.id}>
              <h2 lang={p.titleLang ?? undefined}>
                <a href={`/posts/${p.id}`}>{p.title}</a>
              </h2>
              <p className="meta">
                <time>{p.at}</time>
                {isOwner ? <span className="tag">{t(`space:visibility.${p.visibility}`)}</span> : null}
                {p.status === "draft" ? <span className="tag">{t("status.draft")}</span> : null}
                {p.approval === "pending" || p.approval === "rejected" ? <span className="tag">{t(`status.${p.approval}`)}</span> : null}
                {" · "}
                {t("likes", { n: p.likes })} · {t("commentsCount", { n: p.comments })}
              </p>
              {p.excerpt ? <p lang={p.excerptLang ?? undefined}>{p.excerpt}</p> : null}
              {p.tags.length ? (
                <p className="post-tags">
                  {p.tags.map((tg) => (
                    <a key={tg} className="tag" href={`/u/${owner.handle}/blog?tag=${encodeURIComponent(tg)}`}>
                      #{tg}
                    </a>
                  ))}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="meta">{t("noPosts")}</p>
      )}
      {next ? (
        <p>
          <a href={next} rel="next">
            {t("olderPosts")}
          </a>
        </p>
      ) : null}
    </section>
  );
}
