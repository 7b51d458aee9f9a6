import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirectDocument } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PostForm, type PostFormValues } from "~/components/PostForm";
import { createPost, postForm } from "~/domain/spaces/posts.server";
import type { RouteHandle } from "~/i18n";
import { field, formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/blog.css?url";

// The editor needs React in the browser; without JavaScript the textarea still publishes.
export const handle: RouteHandle = { hydrate: true, i18n: ["blog", "space", "files"] };
export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const form = await orErrorPage(async () => postForm(actor));
  return { title: await pageTitle(request, "blog:newPost"), form };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await request.formData();
  try {
    const saved = await createPost(actor, form);
    const done = saved.status === "draft" ? "saved" : saved.approval === "pending" ? "submitted" : "published";
    // A whole page: the page after a send hydrates only if it asks to, with its own translations.
    return redirectDocument(`/posts/${saved.id}?done=${done}`);
  } catch (error) {
    const values: PostFormValues = {
      id: field(form, "id"),
      title: field(form, "title"),
      body: field(form, "body"),
      bodyJson: field(form, "bodyJson") || null,
      visibility: field(form, "visibility"),
      tags: field(form, "tags"),
      version: 0,
    };
    return formFailure(error, values);
  }
}

export default function NewPost() {
  const { form } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("blog");
  const values: PostFormValues = failure?.values ?? { id: form.id, title: "", body: "", bodyJson: null, visibility: form.visibility, tags: "", version: 0 };
  return (
    <section className="panel post-editor" aria-labelledby="new-title">
      <h1 id="new-title">{t("newPost")}</h1>
      <PostForm values={values} visibilities={form.visibilities} needsApproval={form.needsApproval} errors={failure?.fieldErrors} formError={failure?.formError} />
    </section>
  );
}
