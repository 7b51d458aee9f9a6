import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { movePortfolioItem, portfolioOf, portfolioYears } from "~/domain/portfolio/portfolio.server";
import { actorFromRequest } from "~/domain/accounts/sessions.server";
import { i18next } from "~/i18next.server";
import { formatDate } from "~/lib/format";
import { field, orErrorPage, readerErrorPage, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/space.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await actorFromRequest(request);
  const lng = await resolveLocale(request, actor);
  try {
    const { owner, items } = await portfolioOf(actor, params.handle ?? "");
    const t = await i18next.getFixedT(lng, "portfolio");
    return {
      title: `${t("portfolioOf", { name: owner.realName })} · ${t("common:appName")}`,
      owner: { handle: owner.handle, realName: owner.realName, isOwner: owner.isOwner },
      years: owner.isOwner ? await portfolioYears(actor) : [],
      items: items.map((i) => ({ ...i, date: formatDate(new Date(`${i.occurredOn}T00:00:00+08:00`), lng) })),
    };
  } catch (error) {
    throw readerErrorPage(request, error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await request.formData();
  const direction = field(form, "direction") === "down" ? "down" : "up";
  await orErrorPage(async () => movePortfolioItem(actor, field(form, "item"), direction));
  return redirect(`/u/${params.handle ?? actor.handle}/portfolio`);
}

/** A person's portfolio: featured items first, then in the owner's order; the owner reorders and exports. */
export default function Portfolio() {
  const { owner, items, years } = useLoaderData<typeof loader>();
  const { t } = useTranslation("portfolio");
  return (
    <section className="panel" aria-labelledby="portfolio-title">
      <p className="meta">
        <Link to={`/u/${owner.handle}`}>{owner.realName}</Link>
      </p>
      <h1 id="portfolio-title">{t("portfolioOf", { name: owner.realName })}</h1>
      {owner.isOwner ? (
        <div className="space-actions">
          <Link to="/portfolio/new" className="button-link">
            {t("newTitle")}
          </Link>
          <form method="get" action="/portfolio/export" className="inline export-form">
            <label htmlFor="f-year">{t("exportYearLabel")}</label>{" "}
            <select id="f-year" name="year" defaultValue="all">
              <option value="all">{t("exportAllYears")}</option>
              {years.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>{" "}
            <button type="submit">{t("export")}</button>
          </form>
        </div>
      ) : null}
      {items.length ? (
        <ol className="portfolio-list">
          {items.map((i, index) => (
            <li key={i.id} className="card">
              <div>
                <Link to={`/portfolio/${i.id}`}>{i.title}</Link>
                {i.featured ? <span className="tag">{t("featured")}</span> : null}
                <p className="meta">
                  {t(`kinds.${i.kind}`)} · {i.date}
                  {owner.isOwner ? ` · ${t(`space:visibility.${i.visibility}`)}` : ""}
                </p>
              </div>
              {owner.isOwner ? (
                <div className="move">
                  <Form method="post">
                    <input type="hidden" name="item" value={i.id} />
                    <input type="hidden" name="direction" value="up" />
                    <button type="submit" disabled={index === 0 || items[index - 1]!.featured !== i.featured} aria-label={t("moveUpNamed", { title: i.title })}>
                      ↑
                    </button>
                  </Form>
                  <Form method="post">
                    <input type="hidden" name="item" value={i.id} />
                    <input type="hidden" name="direction" value="down" />
                    <button type="submit" disabled={index === items.length - 1 || items[index + 1]!.featured !== i.featured} aria-label={t("moveDownNamed", { title: i.title })}>
                      ↓
                    </button>
                  </Form>
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="hint">{t("empty")}</p>
      )}
    </section>
  );
}
