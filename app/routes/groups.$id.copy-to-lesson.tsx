import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert } from "~/components/FormBits";
import { copyGroupFileToLesson, copyToLessonChoices } from "~/domain/group-work/group-library.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { formatNumber } from "~/lib/format";
import { field, formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import { i18next } from "~/i18next.server";
import cssUrl from "~/styles/group-library.css?url";

// "Copy to my lesson" (?file=<id>): a group file (library or thread) into one of the teacher's own
// lessons or a new one, then on to that lesson's edit page. A plain form; no hydration.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const fileId = new URL(request.url).searchParams.get("file") ?? "";
  const choices = await orErrorPage(async () => copyToLessonChoices(actor, params.id ?? "", fileId));
  return {
    title: await pageTitle(request, "groupLibrary:copy.title"),
    choices,
    sizeText: formatNumber(Math.max(1, Math.round(choices.file.size / 1024)), lng),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const groupId = params.id ?? "";
  const form = await request.formData();
  const fileId = field(form, "fileId");
  const lessonId = field(form, "lessonId") || "new";
  try {
    const t = await i18next.getFixedT(request);
    const choices = await copyToLessonChoices(actor, groupId, fileId);
    const body = t("groupLibrary:copy.newLessonBody", { group: choices.groupName, file: choices.file.name });
    const copied = await copyGroupFileToLesson(actor, groupId, fileId, lessonId, body);
    return redirect(`/lessons/${copied.lessonId}/edit`);
  } catch (error) {
    return formFailure(error, { lessonId });
  }
}

export default function CopyToLessonPage() {
  const { choices, sizeText } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("groupLibrary");
  const chosen = failure?.values.lessonId ?? "new";
  const back = choices.source.kind === "thread" ? `/groups/${choices.groupId}/threads/${choices.source.threadId}` : `/groups/${choices.groupId}/library`;
  const lessonError = failure?.fieldErrors.lessonId;
  return (
    <section className="panel narrow copy-to-lesson" aria-labelledby="copy-title">
      <h2 id="copy-title">{t("copy.title")}</h2>
      <p>{t("copy.file", { name: choices.file.name, size: sizeText })}</p>
      <p className="meta">{t("copy.from", { group: choices.groupName })}</p>
      <p className="hint">{t("copy.hint")}</p>
      <FormAlert problem={failure?.formError} />
      <form method="post" noValidate>
        <input type="hidden" name="fileId" value={choices.file.id} />
        <fieldset className={lessonError ? "field has-error" : "field"} aria-describedby={lessonError ? "f-lessonId-error" : undefined}>
          <legend>{t("copy.choose")}</legend>
          <label className="check">
            <input type="radio" name="lessonId" value="new" defaultChecked={chosen === "new"} /> {t("copy.newLesson")}
          </label>
          {choices.lessons.map((l) => (
            <label className="check" key={l.id}>
              <input type="radio" name="lessonId" value={l.id} defaultChecked={chosen === l.id} /> {l.title}
            </label>
          ))}
          {lessonError ? (
            <p className="error" id="f-lessonId-error">
              {t(lessonError.key, lessonError.params)}
            </p>
          ) : null}
        </fieldset>
        <p className="copy-actions">
          <button type="submit" className="primary">
            {t("copy.submit")}
          </button>
          <a href={back}>{t("copy.back")}</a>
        </p>
      </form>
    </section>
  );
}
