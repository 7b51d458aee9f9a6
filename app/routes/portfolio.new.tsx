import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirectDocument } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PortfolioItemForm } from "~/components/PortfolioItemForm";
import { uploadProgressLinks } from "~/components/UploadProgress";
import { receiveUploadForm } from "~/domain/uploads/files.server";
import { createPortfolioItem, newPortfolioForm, portfolioFormValues, type PortfolioForm } from "~/domain/portfolio/portfolio.server";
import type { RouteHandle } from "~/i18n";
import { formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import blogCss from "~/styles/blog.css?url"; // the rich-text editor's frame and toolbar
import cssUrl from "~/styles/space.css?url";

// Not hydrated yet: the description is the editor's no-JS textarea (same rich-text path on the server).
// Set `hydrate: true` to load the tiptap editor once hydrated pages work under the CSP (see the report).
export const handle: RouteHandle = { hydrate: true, i18n: ["portfolio", "blog", "space", "files"] };
export const links: LinksFunction = () => [{ rel: "stylesheet", href: blogCss }, { rel: "stylesheet", href: cssUrl }, ...uploadProgressLinks()];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const EMPTY: PortfolioForm = { title: "", kind: "work", occurredOn: "", description: "", descriptionJson: null, tags: "", featured: false, visibility: "private" };

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const { choices } = await orErrorPage(async () => newPortfolioForm(actor));
  return { title: await pageTitle(request, "portfolio:newTitle"), choices, today: new Date().toISOString().slice(0, 10) };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  // Refuse a closed portfolio before receiving a single byte.
  await orErrorPage(async () => newPortfolioForm(actor));
  // Filled as the fields arrive: a refused file still leaves what was typed before it.
  const typed = new Map<string, string>();
  try {
    const { fields, files } = await receiveUploadForm(actor, request, { accept: "any", fields: typed });
    const { id } = await createPortfolioItem(actor, fields, (files.get("files") ?? []).map((f) => f.id));
    // A whole page: the page after a send hydrates only if it asks to, with its own translations.
    return redirectDocument(`/portfolio/${id}?done=added`);
  } catch (error) {
    return formFailure(error, typed.size ? portfolioFormValues(typed) : EMPTY);
  }
}

export default function NewPortfolioItem() {
  const { choices, today } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("portfolio");
  return (
    <section className="panel narrow" aria-labelledby="new-title">
      <h1 id="new-title">{t("newTitle")}</h1>
      <PortfolioItemForm values={failure?.values ?? { ...EMPTY, occurredOn: today }} choices={choices} errors={failure?.fieldErrors} formError={failure?.formError} submitLabel={t("create")} />
    </section>
  );
}
