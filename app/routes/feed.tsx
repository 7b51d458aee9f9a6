import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { feed } from "~/domain/overviews/feed.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { formatDateTime } from "~/lib/format";
import { orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/space.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const cursor = new URL(request.url).searchParams.get("after");
  const page = await orErrorPage(async () => feed(actor, cursor));
  return {
    title: await pageTitle(request, "social:feedTitle"),
    first: !cursor,
    nextCursor: page.nextCursor,
    entries: page.entries.map((e) => ({ ...e, at: formatDateTime(e.at, lng) })),
  };
}

/** New posts and portfolio items from followed spaces and the reader's classes, newest first. */
export default function Feed() {
  const { entries, nextCursor, first } = useLoaderData<typeof loader>();
  const { t } = useTranslation("social");
  return (
    <section className="panel" aria-labelledby="feed-title">
      <h1 id="feed-title">{t("feedTitle")}</h1>
      {entries.length ? (
        <ul className="entry-list feed">
          {entries.map((e) => (
            <li key={`${e.type}:${e.id}`}>
              <p className="meta">
                <Link to={`/u/${e.author.handle}`}>{e.author.realName}</Link> · {e.type === "post" ? t("newPost") : t("newPortfolioItem", { kind: t(`portfolio:kinds.${e.kind}`) })} · {e.at}
              </p>
              <Link to={e.type === "post" ? `/posts/${e.id}` : `/portfolio/${e.id}`} className="entry-title">
                {e.title}
              </Link>
              {e.excerpt ? <p className="excerpt">{e.excerpt}</p> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">{first ? t("feedEmpty") : t("feedEnd")}</p>
      )}
      <nav className="pager" aria-label={t("pages")}>
        {!first ? <Link to="/feed">{t("newest")}</Link> : null}
        {nextCursor ? <Link to={`/feed?after=${encodeURIComponent(nextCursor)}`}>{t("older")}</Link> : null}
      </nav>
    </section>
  );
}
