import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirectDocument } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { GroupThreadForm } from "~/components/GroupThreadForm";
import { uploadProgressLinks } from "~/components/UploadProgress";
import { receiveUploadForm } from "~/domain/uploads/files.server";
import { newThreadForm, requireThreadWriter, startThread, threadFormValues, THREAD_TITLE_MAX } from "~/domain/groups/group-threads.server";
import type { RouteHandle } from "~/i18n";
import { formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import blogCss from "~/styles/blog.css?url";
import cssUrl from "~/styles/group-threads.css?url";

// The one discussion page with the rich-text editor (so it hydrates, with the layout's namespaces);
// without JavaScript its textarea and file input post the same multipart form.
export const handle: RouteHandle = { hydrate: true, i18n: ["groupThreads", "groups", "blog", "files"] };
export const links: LinksFunction = () => [{ rel: "stylesheet", href: blogCss }, { rel: "stylesheet", href: cssUrl }, ...uploadProgressLinks()];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const groupId = params.id ?? "";
  // Picked now: sending this form twice (double click, retried request) makes one thread.
  const { threadId } = await orErrorPage(async () => newThreadForm(actor, groupId));
  return { title: await pageTitle(request, "groupThreads:new.title"), groupId, threadId, titleMax: THREAD_TITLE_MAX };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const groupId = params.id ?? "";
  // Someone who may not write here is refused before a byte of their upload is received.
  await orErrorPage(async () => requireThreadWriter(actor, groupId));
  // Filled as the fields arrive: a refused file still leaves what was typed before it.
  const typed = new Map<string, string>();
  try {
    const { fields, files } = await receiveUploadForm(actor, request, { accept: "any", maxFiles: 10, fields: typed });
    const { threadId } = await startThread(actor, groupId, fields, (files.get("files") ?? []).map((f) => f.id));
    // A whole page: the page after a send hydrates only if it asks to, with its own translations.
    return redirectDocument(`/groups/${groupId}/threads/${threadId}`);
  } catch (error) {
    return formFailure(error, threadFormValues(typed));
  }
}

export default function NewGroupThread() {
  const { groupId, threadId, titleMax } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("groupThreads");
  return (
    <section className="panel group-threads" aria-labelledby="new-thread-title">
      <p className="meta">
        <a href={`/groups/${groupId}`}>{t("new.back")}</a>
      </p>
      <h2 id="new-thread-title">{t("new.title")}</h2>
      <GroupThreadForm
        // A refused form keeps its thread id: nothing was stored under it.
        values={failure?.values ?? { title: "", body: "", bodyJson: null, threadId }}
        threadId={failure?.values.threadId || threadId}
        titleMax={titleMax}
        errors={failure?.fieldErrors}
        formError={failure?.formError}
        failed={Boolean(failure)}
      />
    </section>
  );
}
