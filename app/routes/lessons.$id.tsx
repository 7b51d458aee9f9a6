import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AskToDelete, ConfirmDelete } from "~/components/ConfirmDelete";
import { FormAlert, TextField } from "~/components/FormBits";
import { ForbiddenError } from "~/domain/foundation/errors.server";
import { deleteLesson, publishLesson, unpublishLesson, viewLesson } from "~/domain/classwork/lessons.server";
import { mayUseLibrary } from "~/domain/library/library-access.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { actorFromRequest } from "~/domain/accounts/sessions.server";
import { formatDateTime, formatNumber } from "~/lib/format";
import { asErrorPage, field, formFailure, orErrorPage, requireActor } from "~/lib/http.server";
import spaceCss from "~/styles/space.css?url";
import cssUrl from "~/styles/class-space.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: spaceCss }, { rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await actorFromRequest(request);
  const lng = await resolveLocale(request, actor);
  try {
    const lesson = await viewLesson(actor, params.id ?? "");
    // "Delete" first opens this question (a GET view): only the author is asked.
    const confirming = lesson.isAuthor && new URL(request.url).searchParams.get("confirm") === "delete";
    return {
      title: lesson.title,
      confirming,
      // Just published: a short confirmation at the top of the page.
      published: lesson.isAuthor && new URL(request.url).searchParams.get("done") === "published",
      // Just copied from the region library into this lesson.
      fromLibrary: lesson.isAuthor && new URL(request.url).searchParams.get("done") === "fromLibrary",
      mayOffer: lesson.isAuthor && (await mayUseLibrary(actor)),
      lesson: {
        ...lesson,
        updatedText: formatDateTime(lesson.updatedAt, lng),
        files: lesson.files.map((f) => ({ ...f, sizeText: formatNumber(Math.max(1, Math.round(f.size / 1024)), lng) })),
        publications: lesson.publications.map((p) => ({ ...p, time: formatDateTime(p.publishAt, lng) })),
      },
    };
  } catch (error) {
    if (error instanceof ForbiddenError && error.status === 401) throw redirect(`/login?next=${encodeURIComponent(new URL(request.url).pathname)}`);
    throw asErrorPage(error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const id = params.id ?? "";
  const form = await request.formData();
  const intent = field(form, "intent");
  if (intent === "delete") {
    // Deleting is asked first: a bare "delete" (an old page, a stray tap) only opens the question.
    if (field(form, "confirmed") !== "yes") return redirect(`/lessons/${id}?confirm=delete`);
    await orErrorPage(async () => deleteLesson(actor, id));
    return redirect("/lessons");
  }
  if (intent === "unpublish") {
    await orErrorPage(async () => unpublishLesson(actor, id, field(form, "classId")));
    return redirect(`/lessons/${id}`);
  }
  const values = { classIds: form.getAll("classIds").filter((v): v is string => typeof v === "string"), publishAt: field(form, "publishAt") };
  try {
    await publishLesson(actor, id, values);
    return redirect(`/lessons/${id}?done=published`);
  } catch (error) {
    return formFailure(error, values);
  }
}

/** One lesson: its content and files; for its author, where it is published, publishing and taking back. */
export default function LessonPage() {
  const { lesson, confirming, published, fromLibrary, mayOffer } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("lessons");
  const chosen = new Set(failure?.values.classIds ?? []);
  if (confirming) {
    return (
      <ConfirmDelete
        heading={t("common:confirm.lesson.heading")}
        name={lesson.title}
        files={lesson.files.map((f) => ({ id: f.id, name: f.name, sizeText: t("sizeKb", { size: f.sizeText }) }))}
        consequence={lesson.publications.length ? t("common:confirm.lesson.published", { count: lesson.publications.length }) : null}
        confirmLabel={t("common:confirm.lesson.button")}
        cancelHref={`/lessons/${lesson.id}`}
        fields={{ intent: "delete" }}
      />
    );
  }
  return (
    <>
      {published ? (
        <p className="notice" role="status">
          {t("done.published")}
        </p>
      ) : null}
      {fromLibrary ? (
        <p className="notice" role="status">
          {t("library:done.used")}
        </p>
      ) : null}
      <article className="panel" aria-labelledby="lesson-title">
        {lesson.isAuthor ? (
          <p className="meta">
            <a href="/lessons">{t("back")}</a>
          </p>
        ) : null}
        <h1 id="lesson-title">{lesson.title}</h1>
        <p className="meta">{t("byline", { name: lesson.author.realName, time: lesson.updatedText })}</p>
        {lesson.sources.map((s) => (
          <p key={s.resourceId} className="meta source-line">
            {lesson.isAuthor ? <a href={`/library/${s.resourceId}`}>{t("library:sourceLine", { title: s.title, author: s.author })}</a> : t("library:sourceLine", { title: s.title, author: s.author })}
          </p>
        ))}
        {/* Sanitized on the server when saved (richtext.server's allowlist). */}
        <div className="rich-text" dangerouslySetInnerHTML={{ __html: lesson.bodyHtml }} />
        {lesson.files.length ? (
          <>
            <h2>{t("files")}</h2>
            <ul className="file-list">
              {lesson.files.map((f) => (
                <li key={f.id}>
                  <a href={f.url}>{f.name}</a> <span className="meta">{t("sizeKb", { size: f.sizeText })}</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {lesson.isAuthor ? (
          <p>
            <a href={`/lessons/${lesson.id}/edit`}>{t("edit")}</a> · <a href={`/assignments/new?lesson=${encodeURIComponent(lesson.id)}`}>{t("assignments:fromLesson")}</a>
            {mayOffer ? (
              <>
                {" · "}
                <a href={`/library/new?lesson=${encodeURIComponent(lesson.id)}`}>{t("library:offerLesson")}</a>
              </>
            ) : null}
          </p>
        ) : null}
      </article>
      {lesson.isAuthor ? (
        <>
          <section className="panel" aria-labelledby="publications-title">
            <h2 id="publications-title">{t("publications")}</h2>
            {lesson.publications.length === 0 ? <p>{t("notPublished")}</p> : null}
            <ul className="publications">
              {lesson.publications.map((p) => (
                <li key={p.classId}>
                  <a href={`/classes/${p.classId}`}>{t(p.live ? "live" : "scheduled", { className: p.className, time: p.time })}</a>
                  <Form method="post">
                    <input type="hidden" name="classId" value={p.classId} />
                    <button type="submit" name="intent" value="unpublish" className="quiet">
                      {t("unpublish")}
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          </section>
          <section className="panel" aria-labelledby="publish-title">
            <h2 id="publish-title">{t("publishTitle")}</h2>
            <p className="hint">{t("publishHint")}</p>
            {lesson.classChoices.length === 0 ? (
              <p>{t("noClassChoices")}</p>
            ) : (
              <Form method="post" noValidate>
                <FormAlert problem={failure?.formError} />
                <fieldset className={failure?.fieldErrors.classIds ? "field has-error" : "field"} aria-describedby={failure?.fieldErrors.classIds ? "f-classIds-error" : undefined}>
                  <legend>{t("fieldClasses")}</legend>
                  {lesson.classChoices.map((c) => (
                    <label key={c.id} className="check">
                      <input type="checkbox" name="classIds" value={c.id} defaultChecked={chosen.has(c.id)} /> {c.name}
                    </label>
                  ))}
                  {failure?.fieldErrors.classIds ? (
                    <p className="error" id="f-classIds-error">
                      {t(failure.fieldErrors.classIds.key, failure.fieldErrors.classIds.params)}
                    </p>
                  ) : null}
                </fieldset>
                <TextField name="publishAt" type="datetime-local" label={t("fieldPublishAt")} hint={t("fieldPublishAtHint")} defaultValue={failure?.values.publishAt ?? ""} error={failure?.fieldErrors.publishAt} />
                <button type="submit" name="intent" value="publish" className="primary">
                  {t("publish")}
                </button>
              </Form>
            )}
          </section>
          <section className="panel">
            <AskToDelete label={t("delete")} />
          </section>
        </>
      ) : null}
    </>
  );
}
