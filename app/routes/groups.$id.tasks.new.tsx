import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirectDocument } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { GroupTaskForm } from "~/components/GroupTaskForm";
import { uploadProgressLinks } from "~/components/UploadProgress";
import { receiveUploadForm } from "~/domain/uploads/files.server";
import { createTask, newTaskForm, TASK_TITLE_MAX, taskFormValues } from "~/domain/group-work/group-tasks.server";
import type { RouteHandle } from "~/i18n";
import { formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import blogCss from "~/styles/blog.css?url";
import cssUrl from "~/styles/group-tasks.css?url";

// The one task page that hydrates: the instructions' rich-text editor. Without JavaScript the textarea
// and the file input still post (a plain multipart form).
export const handle: RouteHandle = { hydrate: true, i18n: ["groupTasks", "groups", "blog", "files"] };
export const links: LinksFunction = () => [{ rel: "stylesheet", href: blogCss }, { rel: "stylesheet", href: cssUrl }, ...uploadProgressLinks()];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const groupId = params.id ?? "";
  const form = await orErrorPage(async () => newTaskForm(actor, groupId));
  return { title: await pageTitle(request, "groupTasks:newTitle"), groupId, taskId: form.taskId, titleMax: TASK_TITLE_MAX };
}

export async function action({ request, params }: ActionFunctionArgs) {
  // "In the future" is judged at the moment the request arrived, not when a slow upload finished.
  const receivedAt = Date.now();
  const actor = await requireActor(request);
  const groupId = params.id ?? "";
  // Refuse anyone who may not set tasks here before receiving a single byte.
  await orErrorPage(async () => newTaskForm(actor, groupId));
  // Filled as the fields arrive: a refused file still leaves what was typed before it.
  const typed = new Map<string, string>();
  try {
    const { fields, files } = await receiveUploadForm(actor, request, { accept: "any", fields: typed });
    const { id } = await createTask(actor, groupId, fields, (files.get("files") ?? []).map((f) => f.id), receivedAt);
    // A whole page: the page after a send hydrates only if it asks to, with its own translations.
    return redirectDocument(`/groups/${groupId}/tasks/${id}`);
  } catch (error) {
    return formFailure(error, taskFormValues(typed));
  }
}

export default function NewGroupTask() {
  const { groupId, taskId, titleMax } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("groupTasks");
  const values = failure?.values ?? { id: taskId, title: "", body: "", bodyJson: null, dueAt: "" };
  return (
    <section className="panel" aria-labelledby="new-task-title">
      <p className="meta">
        <a href={`/groups/${groupId}/tasks`}>{t("back")}</a>
      </p>
      <h2 id="new-task-title">{t("newTitle")}</h2>
      {/* A refused form keeps its id: nothing was stored under it. */}
      <GroupTaskForm values={{ ...values, id: values.id || taskId }} errors={failure?.fieldErrors} formError={failure?.formError} titleMax={titleMax} />
    </section>
  );
}
