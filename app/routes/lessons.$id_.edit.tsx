import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirectDocument } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LessonForm } from "~/components/LessonForm";
import { uploadProgressLinks } from "~/components/UploadProgress";
import { receiveUploadForm } from "~/domain/uploads/files.server";
import { lessonForEdit, lessonFormValues, updateLesson } from "~/domain/classwork/lessons.server";
import type { RouteHandle } from "~/i18n";
import { formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import blogCss from "~/styles/blog.css?url";
import spaceCss from "~/styles/space.css?url";
import cssUrl from "~/styles/class-space.css?url";

export const handle: RouteHandle = { hydrate: true, i18n: ["lessons", "blog", "files"] };
export const links: LinksFunction = () => [{ rel: "stylesheet", href: spaceCss }, { rel: "stylesheet", href: blogCss }, { rel: "stylesheet", href: cssUrl }, ...uploadProgressLinks()];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lesson = await orErrorPage(async () => lessonForEdit(actor, params.id ?? ""));
  return { title: await pageTitle(request, "lessons:editTitle"), lesson };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const id = params.id ?? "";
  // Someone else's lesson is refused before any byte is received.
  await orErrorPage(async () => lessonForEdit(actor, id));
  // Filled as the fields arrive: a refused file still leaves what was typed before it.
  const typed = new Map<string, string>();
  try {
    const { fields, files } = await receiveUploadForm(actor, request, { accept: "any", fields: typed });
    await updateLesson(actor, id, fields, (files.get("files") ?? []).map((f) => f.id));
    // A whole page: the page after a send hydrates only if it asks to, with its own translations.
    return redirectDocument(`/lessons/${id}`);
  } catch (error) {
    return formFailure(error, { form: typed.size ? lessonFormValues(typed) : null });
  }
}

export default function EditLesson() {
  const { lesson } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("lessons");
  return (
    <section className="panel narrow" aria-labelledby="edit-title">
      <p className="meta">
        <a href={`/lessons/${lesson.id}`}>{lesson.values.title}</a>
      </p>
      <h1 id="edit-title">{t("editTitle")}</h1>
      <LessonForm
        values={failure?.values.form ?? lesson.values}
        files={lesson.files}
        // After a refused concurrent edit the form keeps what was typed; the loader has re-read the lesson,
        // so saving again (after reading the message) deliberately replaces the other change.
        version={lesson.version}
        errors={failure?.fieldErrors}
        formError={failure?.formError}
        submitLabel={t("save")}
      />
    </section>
  );
}
