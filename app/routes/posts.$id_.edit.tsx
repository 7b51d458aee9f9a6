import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirectDocument } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PostForm, type PostFormValues } from "~/components/PostForm";
import { postForm, updatePost } from "~/domain/spaces/posts.server";
import type { RouteHandle } from "~/i18n";
import { field, formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/blog.css?url";

export const handle: RouteHandle = { hydrate: true, i18n: ["blog", "space", "files"] };
export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const form = await orErrorPage(async () => postForm(actor, params.id ?? ""));
  return { title: await pageTitle(request, "blog:editPost"), form };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const postId = params.id ?? "";
  const form = await request.formData();
  try {
    const saved = await updatePost(actor, postId, form);
    const done = saved.status === "draft" ? "saved" : saved.approval === "pending" ? "submitted" : "published";
    // A whole page: the page after a send hydrates only if it asks to, with its own translations.
    return redirectDocument(`/posts/${saved.id}?done=${done}`);
  } catch (error) {
    // Whatever went wrong (even an edit made elsewhere meanwhile), the form comes back with the text typed.
    const values: PostFormValues = {
      id: postId,
      title: field(form, "title"),
      body: field(form, "body"),
      bodyJson: field(form, "bodyJson") || null,
      visibility: field(form, "visibility"),
      tags: field(form, "tags"),
      version: Number(field(form, "version")) || 0,
    };
    return formFailure(error, values);
  }
}

export default function EditPost() {
  const { form } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("blog");
  const values: PostFormValues = failure?.values ?? { id: form.id, title: form.title, body: form.bodyText, bodyJson: form.bodyJson, visibility: form.visibility, tags: form.tags, version: form.version };
  return (
    <section className="panel post-editor" aria-labelledby="edit-title">
      <h1 id="edit-title">{t("editPost")}</h1>
      <PostForm values={values} visibilities={form.visibilities} needsApproval={form.needsApproval} errors={failure?.fieldErrors} formError={failure?.formError} />
    </section>
  );
}
