import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirectDocument } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LessonForm } from "~/components/LessonForm";
import { uploadProgressLinks } from "~/components/UploadProgress";
import { receiveUploadForm } from "~/domain/uploads/files.server";
import { createLesson, lessonFormValues, newLessonForm, type LessonForm as LessonValues } from "~/domain/classwork/lessons.server";
import type { RouteHandle } from "~/i18n";
import { formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import blogCss from "~/styles/blog.css?url";
import spaceCss from "~/styles/space.css?url";
import cssUrl from "~/styles/class-space.css?url";

export const handle: RouteHandle = { hydrate: true, i18n: ["lessons", "blog", "files"] };
export const links: LinksFunction = () => [{ rel: "stylesheet", href: spaceCss }, { rel: "stylesheet", href: blogCss }, { rel: "stylesheet", href: cssUrl }, ...uploadProgressLinks()];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const EMPTY: LessonValues = { title: "", body: "", bodyJson: null };

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  await orErrorPage(async () => newLessonForm(actor));
  return { title: await pageTitle(request, "lessons:newTitle") };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  // Refuse anyone who may not write lessons before receiving a single byte.
  await orErrorPage(async () => newLessonForm(actor));
  // Filled as the fields arrive: a refused file still leaves what was typed before it.
  const typed = new Map<string, string>();
  try {
    const { fields, files } = await receiveUploadForm(actor, request, { accept: "any", fields: typed });
    const { id } = await createLesson(actor, fields, (files.get("files") ?? []).map((f) => f.id));
    // A whole page: the page after a send hydrates only if it asks to, with its own translations.
    return redirectDocument(`/lessons/${id}`);
  } catch (error) {
    return formFailure(error, typed.size ? lessonFormValues(typed) : EMPTY);
  }
}

export default function NewLesson() {
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("lessons");
  return (
    <section className="panel narrow" aria-labelledby="new-title">
      <p className="meta">
        <a href="/lessons">{t("back")}</a>
      </p>
      <h1 id="new-title">{t("newTitle")}</h1>
      <LessonForm values={failure?.values ?? EMPTY} errors={failure?.fieldErrors} formError={failure?.formError} submitLabel={t("create")} />
    </section>
  );
}
