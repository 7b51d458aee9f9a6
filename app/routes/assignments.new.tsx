import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirectDocument } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AssignmentForm } from "~/components/AssignmentForm";
import { uploadProgressLinks } from "~/components/UploadProgress";
import { assignmentFormValues, createAssignment, newAssignmentForm } from "~/domain/classwork/assignments.server";
import { receiveUploadForm } from "~/domain/uploads/files.server";
import type { RouteHandle } from "~/i18n";
import { formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import blogCss from "~/styles/blog.css?url";
import spaceCss from "~/styles/space.css?url";
import classCss from "~/styles/class-space.css?url";
import cssUrl from "~/styles/assignments.css?url";

// The instructions' editor needs React in the browser; without JavaScript the textarea still posts.
export const handle: RouteHandle = { hydrate: true, i18n: ["assignments", "blog", "files"] };
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: spaceCss },
  { rel: "stylesheet", href: blogCss },
  { rel: "stylesheet", href: classCss },
  { rel: "stylesheet", href: cssUrl },
  ...uploadProgressLinks(),
];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const url = new URL(request.url);
  const form = await orErrorPage(async () => newAssignmentForm(actor, { classId: url.searchParams.get("class"), lessonId: url.searchParams.get("lesson") }));
  return { title: await pageTitle(request, "assignments:newTitle"), form };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  // Refuse anyone who may not set assignments before receiving a single byte.
  const blank = await orErrorPage(async () => newAssignmentForm(actor));
  // Filled as the fields arrive: a refused file still leaves what was typed before it.
  const typed = new Map<string, string>();
  try {
    const { fields, files } = await receiveUploadForm(actor, request, { accept: "any", fields: typed });
    const saved = await createAssignment(actor, fields, (files.get("files") ?? []).map((f) => f.id));
    // A whole page: the page after a send hydrates only if it asks to, with its own translations.
    return redirectDocument(`/assignments/${saved.id}`);
  } catch (error) {
    return formFailure(error, { form: typed.size ? assignmentFormValues(typed, blank.classChoices) : null, id: typed.get("id") ?? "" });
  }
}

export default function NewAssignment() {
  const { form } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("assignments");
  return (
    <section className="panel assignment-editor" aria-labelledby="new-title">
      <p className="meta">
        <a href="/assignments">{t("back")}</a>
      </p>
      <h1 id="new-title">{t("newTitle")}</h1>
      <AssignmentForm
        // A refused form keeps its id: nothing was stored under it, and a retry must still be one assignment.
        id={failure?.values.id || form.id}
        status="draft"
        values={failure?.values.form ?? form.values}
        classChoices={form.classChoices}
        lessonChoices={form.lessonChoices}
        errors={failure?.fieldErrors}
        formError={failure?.formError}
        refused={Boolean(failure)}
      />
    </section>
  );
}
