import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

export type PostArticleData = {
  title: string;
  titleLang: string | null;
  html: string;
  at: string;
  updatedAt: string | null;
  status: "draft" | "published";
  approval: "none" | "pending" | "approved" | "rejected";
  visibility: string;
  tags: string[];
  author: { handle: string; realName: string };
};

/**
 * A post as readers see it. `html` is the body rendered and sanitized on the server
 * (richtext.server.ts); it is the only markup here not built by React.
 */
export function PostArticle({ post, children }: { post: PostArticleData; children?: ReactNode }) {
  const { t } = useTranslation("blog");
  return (
    <article className="panel post" aria-labelledby="post-title">
      <h1 id="post-title" lang={post.titleLang ?? undefined}>
        {post.title}
      </h1>
      <p className="meta">
        <a href={`/u/${post.author.handle}`}>{post.author.realName}</a> · <time>{post.at}</time>
        {post.updatedAt ? ` · ${t("updatedAt", { at: post.updatedAt })}` : null} · <span className="tag">{t(`space:visibility.${post.visibility}`)}</span>
        {post.status === "draft" ? <span className="tag">{t("status.draft")}</span> : null}
        {post.approval === "pending" || post.approval === "rejected" ? <span className="tag">{t(`status.${post.approval}`)}</span> : null}
      </p>
      {post.status === "draft" ? (
        <p className="notice">{t("postDraft")}</p>
      ) : post.approval === "pending" ? (
        <p className="notice">{t("postPending")}</p>
      ) : post.approval === "rejected" ? (
        <p className="alert">{t("postRejected")}</p>
      ) : null}
      <div className="post-body" dangerouslySetInnerHTML={{ __html: post.html }} />
      {post.tags.length ? (
        <ul className="post-tags" aria-label={t("fieldTags")}>
          {post.tags.map((tag) => (
            <li key={tag}>
              <a className="tag" href={`/u/${post.author.handle}/blog?tag=${encodeURIComponent(tag)}`}>
                #{tag}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {children}
    </article>
  );
}
