import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { myResources } from "~/domain/library/resources.server";
import { orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import spaceCss from "~/styles/class-space.css?url";
import cssUrl from "~/styles/library.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: spaceCss }, { rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return { title: await pageTitle(request, "library:mineTitle"), resources: await orErrorPage(async () => myResources(actor)) };
}

/** What the teacher offered: where each stands in each library, how often and at how many schools it was used, its rating. */
export default function MyResources() {
  const { resources } = useLoaderData<typeof loader>();
  const { t } = useTranslation("library");
  return (
    <section className="panel" aria-labelledby="mine-title">
      <p className="meta">
        <a href="/library">{t("title")}</a>
      </p>
      <h1 id="mine-title">{t("mineTitle")}</h1>
      <p>
        <a href="/library/new">{t("offerNew")}</a>
      </p>
      {resources.length === 0 ? <p>{t("mineEmpty")}</p> : null}
      <ul className="resource-list">
        {resources.map((r) => (
          <li key={r.id}>
            <h3>
              <a href={`/library/${r.id}`} lang={r.lang ?? undefined}>
                {r.title}
              </a>{" "}
              <span className="meta">{t("version", { n: r.latestNumber })}</span>
            </h3>
            {r.withdrawn ? <p className="meta">{t("withdrawnNotice")}</p> : null}
            <p>
              {r.listings.map((l, i) => (
                <span key={i}>
                  {t("libraryOf", { name: l.regionName })}
                  <span className={`badge state-${l.state}`}>{t(`states.${l.state}`)}</span>
                  {l.quality ? <span className="badge">{t("quality")}</span> : null}{" "}
                </span>
              ))}
            </p>
            <p className="meta">
              {t("mineUses", { uses: r.uses, schools: r.schools })} · {r.rating === null ? t("noRating") : t("ratingShort", { rating: r.rating })}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
