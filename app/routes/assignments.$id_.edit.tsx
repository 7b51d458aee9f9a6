import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirectDocument } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AssignmentForm } from "~/components/AssignmentForm";
import { uploadProgressLinks } from "~/components/UploadProgress";
import { assignmentForEdit, assignmentFormValues, updateAssignment } from "~/domain/classwork/assignments.server";
import { receiveUploadForm } from "~/domain/uploads/files.server";
import type { RouteHandle } from "~/i18n";
import { formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import blogCss from "~/styles/blog.css?url";
import spaceCss from "~/styles/space.css?url";
import classCss from "~/styles/class-space.css?url";
import cssUrl from "~/styles/assignments.css?url";

export const handle: RouteHandle = { hydrate: true, i18n: ["assignments", "blog", "files"] };
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: spaceCss },
  { rel: "stylesheet", href: blogCss },
  { rel: "stylesheet", href: classCss },
  { rel: "stylesheet", href: cssUrl },
  ...uploadProgressLinks(),
];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const assignment = await orErrorPage(async () => assignmentForEdit(actor, params.id ?? ""));
  return { title: await pageTitle(request, "assignments:editTitle"), assignment };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const id = params.id ?? "";
  // Someone else's assignment is refused before any byte is received.
  const current = await orErrorPage(async () => assignmentForEdit(actor, id));
  // Filled as the fields arrive: a refused file still leaves what was typed before it.
  const typed = new Map<string, string>();
  try {
    const { fields, files } = await receiveUploadForm(actor, request, { accept: "any", fields: typed });
    await updateAssignment(actor, id, fields, (files.get("files") ?? []).map((f) => f.id));
    // A whole page: the page after a send hydrates only if it asks to, with its own translations.
    return redirectDocument(`/assignments/${id}`);
  } catch (error) {
    return formFailure(error, { form: typed.size ? assignmentFormValues(typed, current.classChoices) : null });
  }
}

export default function EditAssignment() {
  const { assignment } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("assignments");
  return (
    <section className="panel assignment-editor" aria-labelledby="edit-title">
      <p className="meta">
        <a href={`/assignments/${assignment.id}`}>{assignment.values.title}</a>
      </p>
      <h1 id="edit-title">{t("editTitle")}</h1>
      <AssignmentForm
        // After a refused concurrent edit the form keeps what was typed; the loader has re-read the
        // assignment, so saving again (after reading the message) deliberately replaces the other change.
        version={assignment.version}
        status={assignment.status}
        values={failure?.values.form ?? assignment.values}
        files={assignment.files}
        classChoices={assignment.classChoices}
        lessonChoices={assignment.lessonChoices}
        errors={failure?.fieldErrors}
        formError={failure?.formError}
        refused={Boolean(failure)}
      />
    </section>
  );
}
