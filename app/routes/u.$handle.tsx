import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { follow, unfollow } from "~/domain/overviews/follows.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { localName } from "~/lib/local-names";
import { featuredPortfolio } from "~/domain/portfolio/portfolio.server";
import { spaceProfile } from "~/domain/spaces/profiles.server";
import { actorFromRequest } from "~/domain/accounts/sessions.server";
import { formatDate, formatNumber } from "~/lib/format";
import { asErrorPage, field, readerErrorPage, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/space.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const handle = params.handle ?? "";
  const actor = await actorFromRequest(request);
  const lng = await resolveLocale(request, actor);
  try {
    const profile = await spaceProfile(actor, handle);
    const featured = profile.portfolioOpen ? await featuredPortfolio(actor, profile.owner.id) : [];
    return {
      title: profile.owner.realName,
      signedIn: Boolean(actor),
      isOwner: profile.isOwner,
      owner: { handle: profile.owner.handle, realName: profile.owner.realName, role: profile.owner.role, schoolName: profile.owner.schoolName === null ? null : localName({ name: profile.owner.schoolName, names: profile.owner.schoolNames }, lng), bio: profile.owner.bio, avatarUrl: profile.owner.avatarUrl },
      status: profile.status,
      capabilities: profile.capabilities,
      followers: formatNumber(profile.counts.followers, lng),
      followingCount: formatNumber(profile.counts.following, lng),
      following: profile.following,
      blogOpen: profile.blogOpen,
      portfolioOpen: profile.portfolioOpen,
      posts: profile.recentPosts.map((p) => ({ id: p.id, title: p.title, excerpt: p.excerpt, date: formatDate(p.publishedAt, lng) })),
      featured: featured.map((i) => ({ id: i.id, title: i.title, kind: i.kind, date: formatDate(new Date(`${i.occurredOn}T00:00:00+08:00`), lng) })),
    };
  } catch (error) {
    throw readerErrorPage(request, error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const handle = params.handle ?? "";
  const form = await request.formData();
  try {
    if (field(form, "intent") === "unfollow") await unfollow(actor, handle);
    else await follow(actor, handle);
  } catch (error) {
    throw asErrorPage(error);
  }
  return redirect(`/u/${handle}`);
}

/** A person's space: who they are, their recent posts and featured portfolio items, and following. */
export default function Space() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("space");
  const { owner, isOwner, status, capabilities, posts, featured } = data;
  return (
    <>
      <section className="panel space-home" aria-labelledby="space-title">
        <div className="space-head">
          {owner.avatarUrl ? (
            <img className="avatar" src={owner.avatarUrl} alt={t("avatarOf", { name: owner.realName })} width={96} height={96} />
          ) : (
            <span className="avatar avatar-initial" aria-hidden="true">
              {[...owner.realName][0]}
            </span>
          )}
          <div>
            <h1 id="space-title">{owner.realName}</h1>
            <p className="meta">
              {t(`common:roles.${owner.role}`)}
              {owner.schoolName ? ` · ${owner.schoolName}` : ""}
            </p>
            <p className="follow-counts">
              <span>{t("followers", { n: data.followers })}</span> · <span>{t("followingCount", { n: data.followingCount })}</span>
            </p>
          </div>
        </div>
        {owner.bio ? <p className="bio">{owner.bio}</p> : null}
        <div className="space-actions">
          {data.following !== null ? (
            <Form method="post">
              <input type="hidden" name="intent" value={data.following ? "unfollow" : "follow"} />
              <button type="submit" className={data.following ? "secondary-button" : "primary"}>
                {data.following ? t("social:unfollow") : t("social:follow")}
              </button>
            </Form>
          ) : null}
          {isOwner ? <Link to={`/u/${owner.handle}/edit`}>{t("editProfile")}</Link> : null}
          {data.blogOpen ? <Link to={`/u/${owner.handle}/blog`}>{t("blogLink")}</Link> : null}
          {data.portfolioOpen ? <Link to={`/u/${owner.handle}/portfolio`}>{t("portfolioLink")}</Link> : null}
        </div>
        {isOwner ? status.open ? <p className="notice">{t("ownOpen")}</p> : <p className="alert">{t(`ownClosed_${status.reason}`)}</p> : null}
        {capabilities ? (
          <>
            <h2>{t("capabilities")}</h2>
            <ul className="capabilities">
              {capabilities.map((c) => (
                <li key={c.key}>
                  {t(`flags:names.${c.key}`)} <span className={c.open ? "tag consent-given" : "tag"}>{c.open ? t("capabilityOpen") : t("capabilityClosed")}</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      {data.blogOpen ? (
        <section className="panel" aria-labelledby="posts-title">
          <h2 id="posts-title">{t("recentPosts")}</h2>
          {posts.length ? (
            <ul className="entry-list">
              {posts.map((p) => (
                <li key={p.id}>
                  <Link to={`/posts/${p.id}`}>{p.title}</Link> <span className="meta">{p.date}</span>
                  {p.excerpt ? <p className="excerpt">{p.excerpt}</p> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="hint">{t("noPosts")}</p>
          )}
        </section>
      ) : null}
      {data.portfolioOpen ? (
        <section className="panel" aria-labelledby="featured-title">
          <h2 id="featured-title">{t("featuredItems")}</h2>
          {featured.length ? (
            <ul className="cards portfolio-cards">
              {featured.map((i) => (
                <li key={i.id} className="card">
                  <Link to={`/portfolio/${i.id}`}>{i.title}</Link>
                  <p className="meta">
                    {t(`portfolio:kinds.${i.kind}`)} · {i.date}
                  </p>
                </li>
              ))}
            </ul>
          ) : (
            <p className="hint">{t("noFeatured")}</p>
          )}
        </section>
      ) : null}
    </>
  );
}
