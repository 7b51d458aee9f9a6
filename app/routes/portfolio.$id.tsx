import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AskToDelete, ConfirmDelete } from "~/components/ConfirmDelete";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { deletePortfolioItem, portfolioItem } from "~/domain/portfolio/portfolio.server";
import { actorFromRequest } from "~/domain/accounts/sessions.server";
import { formatDate, formatNumber } from "~/lib/format";
import { orErrorPage, readerErrorPage, requireActor } from "~/lib/http.server";
import { FileThumbList } from "~/components/FileThumbs";
import cssUrl from "~/styles/space.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await actorFromRequest(request);
  const lng = await resolveLocale(request, actor);
  try {
    const item = await portfolioItem(actor, params.id ?? "");
    // "Delete" first opens this question (a GET view): only the owner is asked.
    const confirming = item.isOwner && new URL(request.url).searchParams.get("confirm") === "delete";
    return {
      title: item.title,
      confirming,
      // Just added: a short confirmation at the top of the page.
      added: item.isOwner && new URL(request.url).searchParams.get("done") === "added",
      item: {
        ...item,
        date: formatDate(new Date(`${item.occurredOn}T00:00:00+08:00`), lng),
        files: item.files.map((f) => ({ ...f, sizeText: formatNumber(Math.max(1, Math.round(f.size / 1024)), lng) })),
      },
    };
  } catch (error) {
    // A private item's guessed URL: anonymous readers are asked to sign in, others get "not found".
    throw readerErrorPage(request, error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  // Deleting is asked first: a bare POST (an old page, a stray tap) only opens the question.
  const form = await request.formData();
  if (form.get("confirmed") !== "yes") return redirect(`/portfolio/${params.id ?? ""}?confirm=delete`);
  await orErrorPage(async () => deletePortfolioItem(actor, params.id ?? ""));
  return redirect(`/u/${actor.handle}/portfolio`);
}

/** One portfolio item: what it is, when, its description and files. */
export default function PortfolioItemPage() {
  const { item, confirming, added } = useLoaderData<typeof loader>();
  const { t } = useTranslation("portfolio");
  if (confirming) {
    return (
      <ConfirmDelete
        heading={t("common:confirm.portfolio.heading")}
        name={item.title}
        files={item.files.map((f) => ({ id: f.id, name: f.name, sizeText: t("sizeKb", { size: f.sizeText }) }))}
        confirmLabel={t("common:confirm.portfolio.button")}
        cancelHref={`/portfolio/${item.id}`}
        fields={{ intent: "delete" }}
      />
    );
  }
  return (
    <>
      {added ? (
        <p className="notice" role="status">
          {t("done.added")}
        </p>
      ) : null}
    <article className="panel portfolio-item" aria-labelledby="item-title">
      <p className="meta">
        <Link to={`/u/${item.owner.handle}/portfolio`}>{t("portfolioOf", { name: item.owner.realName })}</Link>
      </p>
      <h1 id="item-title">{item.title}</h1>
      <p className="meta">
        {t(`kinds.${item.kind}`)} · {item.date}
        {item.featured ? <span className="tag">{t("featured")}</span> : null}
        {item.isOwner ? <span className="tag">{t(`space:visibility.${item.visibility}`)}</span> : null}
      </p>
      {item.tags.length ? (
        <p className="tags">
          {item.tags.map((tag) => (
            <span key={tag} className="tag">
              {tag}
            </span>
          ))}
        </p>
      ) : null}
      {/* Sanitized on the server when saved (richtext.server's allowlist). */}
      <div className="rich-text" dangerouslySetInnerHTML={{ __html: item.descriptionHtml }} />
      {item.groupCredit ? <p className="meta">{item.groupCredit.memberNames ? t("groupCredit.members", { names: item.groupCredit.memberNames.join("、") }) : t("groupCredit.withoutNames")}</p> : null}
      {item.files.length ? (
        <>
          <h2>{t("files")}</h2>
          <FileThumbList files={item.files} what={item.title} sizeKey="portfolio:sizeKb" />
        </>
      ) : null}
      {item.isOwner ? (
        <div className="space-actions">
          <Link to={`/portfolio/${item.id}/edit`}>{t("edit")}</Link>
          <AskToDelete label={t("delete")} className="secondary-button danger" />
        </div>
      ) : null}
    </article>
    </>
  );
}
