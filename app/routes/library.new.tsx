import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirectDocument } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LibraryOfferForm } from "~/components/LibraryOfferForm";
import { uploadProgressLinks } from "~/components/UploadProgress";
import { receiveUploadForm } from "~/domain/uploads/files.server";
import { offerForm, offerFormValues, offerResource } from "~/domain/library-use/offering.server";
import type { RouteHandle } from "~/i18n";
import { formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import blogCss from "~/styles/blog.css?url";
import spaceCss from "~/styles/space.css?url";
import classCss from "~/styles/class-space.css?url";
import cssUrl from "~/styles/library.css?url";

export const handle: RouteHandle = { hydrate: true, i18n: ["library", "lessons", "blog", "files"] };
export const links: LinksFunction = () => [{ rel: "stylesheet", href: spaceCss }, { rel: "stylesheet", href: blogCss }, { rel: "stylesheet", href: classCss }, { rel: "stylesheet", href: cssUrl }, ...uploadProgressLinks()];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lessonId = new URL(request.url).searchParams.get("lesson");
  const form = await orErrorPage(async () => offerForm(actor, { lessonId }));
  return { title: await pageTitle(request, lessonId ? "library:offerLessonTitle" : "library:offerTitle"), form };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  // Refuse anyone who may not offer before receiving a single byte.
  await orErrorPage(async () => offerForm(actor));
  // Filled as the fields arrive: a refused file still leaves what was typed before it.
  const typed = new Map<string, string>();
  try {
    const { fields, files } = await receiveUploadForm(actor, request, { accept: "any", fields: typed });
    const { id } = await offerResource(actor, fields, (files.get("files") ?? []).map((f) => f.id));
    return redirectDocument(`/library/${id}?done=offered`);
  } catch (error) {
    return formFailure(error, offerFormValues(typed));
  }
}

export default function OfferResource() {
  const { form } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("library");
  const values = failure?.values ?? form.values;
  return (
    <section className="panel narrow" aria-labelledby="offer-title">
      <p className="meta">
        <a href="/library">{t("title")}</a>
      </p>
      <h1 id="offer-title">{t(form.values.lessonId ? "offerLessonTitle" : "offerTitle")}</h1>
      <p>{t("offerIntro")}</p>
      {form.values.lessonId ? <p className="meta">{t("fromLesson", { title: form.values.title })}</p> : null}
      <LibraryOfferForm catalogue={form.catalogue} libraries={form.libraries} values={values} errors={failure?.fieldErrors} formError={failure?.formError} files={form.files} revising={false} submitLabel={t("offer")} />
    </section>
  );
}
