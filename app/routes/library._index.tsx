import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { descriptionLine } from "~/components/LibraryLabels";
import { searchLibrary } from "~/domain/library/resources.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { formatNumber } from "~/lib/format";
import { orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import spaceCss from "~/styles/class-space.css?url";
import cssUrl from "~/styles/library.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: spaceCss }, { rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const FILTERS = ["q", "stage", "grade", "subject", "edition", "unit", "kind", "language", "quality", "page"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const url = new URL(request.url);
  const search = await orErrorPage(async () => searchLibrary(actor, Object.fromEntries(FILTERS.map((k) => [k, url.searchParams.get(k)]))));
  const lng = await resolveLocale(request, actor);
  const pageHref = (page: number) => {
    const params = new URLSearchParams(url.searchParams);
    params.set("page", String(page));
    return `/library?${params}`;
  };
  return {
    title: await pageTitle(request, "library:title"),
    ...search,
    results: search.results.map((r) => ({ ...r, usesText: formatNumber(r.uses, lng), ratingText: r.rating === null ? null : formatNumber(r.rating, lng) })),
    previousHref: search.filters.page > 1 ? pageHref(search.filters.page - 1) : null,
    nextHref: search.hasMore ? pageHref(search.filters.page + 1) : null,
  };
}

/** The teacher's region library: search by a title fragment in any script and by the description's fields. */
export default function Library() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("library");
  const f = data.filters;
  const subjects = [...new Set(Object.values(data.catalogue.subjects).flat())];
  return (
    <>
      <section className="panel" aria-labelledby="library-title">
        <h1 id="library-title">{t("title")}</h1>
        <p>{t("intro")}</p>
        <p className="library-actions">
          <a href="/library/new">{t("offerNew")}</a>
          <a href="/library/mine">{t("mine")}</a>
          {data.reviews ? <a href="/library/review">{t("reviewQueue")}</a> : null}
        </p>
        <form method="get" action="/library" className="library-search" role="search">
          <div className="field wide">
            <label htmlFor="f-q">{t("searchLabel")}</label>
            <p className="hint" id="f-q-hint">
              {t("searchHint")}
            </p>
            <input id="f-q" type="search" name="q" defaultValue={f.q} maxLength={60} aria-describedby="f-q-hint" />
          </div>
          <div className="field">
            <label htmlFor="f-stage">{t("fieldStage")}</label>
            <select id="f-stage" name="stage" defaultValue={f.stage ?? ""}>
              <option value="">{t("any")}</option>
              {data.catalogue.stages.map((s) => (
                <option key={s} value={s}>
                  {t(`common:stages.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-subject">{t("fieldSubject")}</label>
            <select id="f-subject" name="subject" defaultValue={f.subject ?? ""}>
              <option value="">{t("any")}</option>
              {subjects.map((s) => (
                <option key={s} value={s}>
                  {t(`subjects.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-kind">{t("fieldKind")}</label>
            <select id="f-kind" name="kind" defaultValue={f.kind ?? ""}>
              <option value="">{t("any")}</option>
              {data.catalogue.kinds.map((k) => (
                <option key={k} value={k}>
                  {t(`kinds.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-language">{t("fieldLanguage")}</label>
            <select id="f-language" name="language" defaultValue={f.language ?? ""}>
              <option value="">{t("any")}</option>
              {data.catalogue.languages.map((l) => (
                <option key={l} value={l}>
                  {t(`languages.${l}`)}
                </option>
              ))}
            </select>
          </div>
          <label className="check">
            <input type="checkbox" name="quality" value="1" defaultChecked={f.quality === "1"} /> {t("qualityOnly")}
          </label>
          <button type="submit" className="primary">
            {t("search")}
          </button>
        </form>
        <p className="meta">{t("librariesSearched", { names: data.libraries.map((l) => l.name).join(" · ") })}</p>
      </section>
      <section className="panel" aria-labelledby="results-title">
        <h2 id="results-title">{t("results")}</h2>
        {data.results.length === 0 ? <p>{t("noResults")}</p> : null}
        <ul className="resource-list">
          {data.results.map((r) => (
            <li key={r.id}>
              <h3>
                <a href={`/library/${r.id}`} lang={r.lang ?? undefined}>
                  {r.title}
                </a>
                {r.quality ? <span className="badge">{t("quality")}</span> : null}
              </h3>
              <p className="meta">{descriptionLine(t, r)}</p>
              <p className="meta">
                {t("byline", { name: r.author.realName, school: r.author.schoolName ?? "" })} · {t("uses", { count: r.uses, formatted: r.usesText })} · {r.ratingText === null ? t("noRating") : t("rating", { rating: r.ratingText, count: r.ratings })}
              </p>
            </li>
          ))}
        </ul>
        <p className="library-actions">
          {data.previousHref ? <a href={data.previousHref}>{t("previous")}</a> : null}
          {data.nextHref ? <a href={data.nextHref}>{t("next")}</a> : null}
        </p>
      </section>
    </>
  );
}
