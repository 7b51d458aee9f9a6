import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirectDocument } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PortfolioItemForm } from "~/components/PortfolioItemForm";
import { uploadProgressLinks } from "~/components/UploadProgress";
import { receiveUploadForm } from "~/domain/uploads/files.server";
import { portfolioFormValues, portfolioItemForEdit, updatePortfolioItem } from "~/domain/portfolio/portfolio.server";
import type { RouteHandle } from "~/i18n";
import { formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import blogCss from "~/styles/blog.css?url"; // the rich-text editor's frame and toolbar
import cssUrl from "~/styles/space.css?url";

// Not hydrated yet: the description is the editor's no-JS textarea (same rich-text path on the server).
// Set `hydrate: true` to load the tiptap editor once hydrated pages work under the CSP (see the report).
export const handle: RouteHandle = { hydrate: true, i18n: ["portfolio", "blog", "space", "files"] };
export const links: LinksFunction = () => [{ rel: "stylesheet", href: blogCss }, { rel: "stylesheet", href: cssUrl }, ...uploadProgressLinks()];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const item = await orErrorPage(async () => portfolioItemForEdit(actor, params.id ?? ""));
  return { title: await pageTitle(request, "portfolio:editTitle"), item };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const id = params.id ?? "";
  // Someone else's item, or a closed portfolio, is refused before any byte is received.
  await orErrorPage(async () => portfolioItemForEdit(actor, id));
  // Filled as the fields arrive: a refused file still leaves what was typed before it.
  const typed = new Map<string, string>();
  try {
    const { fields, files } = await receiveUploadForm(actor, request, { accept: "any", fields: typed });
    await updatePortfolioItem(actor, id, fields, (files.get("files") ?? []).map((f) => f.id));
    // A whole page: the page after a send hydrates only if it asks to, with its own translations.
    return redirectDocument(`/portfolio/${id}`);
  } catch (error) {
    return formFailure(error, { form: typed.size ? portfolioFormValues(typed) : null });
  }
}

export default function EditPortfolioItem() {
  const { item } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("portfolio");
  return (
    <section className="panel narrow" aria-labelledby="edit-title">
      <h1 id="edit-title">{t("editTitle")}</h1>
      <PortfolioItemForm
        values={failure?.values.form ?? item.values}
        choices={item.choices}
        files={item.files}
        // After a refused concurrent edit the form keeps what was typed; the loader has re-read the item, so
        // saving again (after reading the message) is a deliberate overwrite of the other change.
        version={item.version}
        errors={failure?.fieldErrors}
        formError={failure?.formError}
        submitLabel={t("save")}
      />
    </section>
  );
}
