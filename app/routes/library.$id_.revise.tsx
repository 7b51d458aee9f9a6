import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirectDocument } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LibraryOfferForm } from "~/components/LibraryOfferForm";
import { uploadProgressLinks } from "~/components/UploadProgress";
import { receiveUploadForm } from "~/domain/uploads/files.server";
import { offerForm, offerFormValues, reviseResource } from "~/domain/library-use/offering.server";
import type { RouteHandle } from "~/i18n";
import { formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import blogCss from "~/styles/blog.css?url";
import spaceCss from "~/styles/space.css?url";
import classCss from "~/styles/class-space.css?url";
import cssUrl from "~/styles/library.css?url";

export const handle: RouteHandle = { hydrate: true, i18n: ["library", "lessons", "blog", "files"] };
export const links: LinksFunction = () => [{ rel: "stylesheet", href: spaceCss }, { rel: "stylesheet", href: blogCss }, { rel: "stylesheet", href: classCss }, { rel: "stylesheet", href: cssUrl }, ...uploadProgressLinks()];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const form = await orErrorPage(async () => offerForm(actor, { resourceId: params.id ?? "" }));
  return { title: await pageTitle(request, "library:reviseTitle"), form };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const id = params.id ?? "";
  await orErrorPage(async () => offerForm(actor, { resourceId: id }));
  const typed = new Map<string, string>();
  try {
    const { fields, files } = await receiveUploadForm(actor, request, { accept: "any", fields: typed });
    await reviseResource(actor, id, fields, (files.get("files") ?? []).map((f) => f.id));
    return redirectDocument(`/library/${id}?done=revised`);
  } catch (error) {
    return formFailure(error, offerFormValues(typed));
  }
}

/** A new version of the author's resource: reviewed again; the admitted version stays shown until then. */
export default function ReviseResource() {
  const { form } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("library");
  return (
    <section className="panel narrow" aria-labelledby="revise-title">
      <p className="meta">
        <a href={`/library/${form.revising?.id ?? ""}`}>{form.values.title}</a>
      </p>
      <h1 id="revise-title">{t("reviseTitle")}</h1>
      <p>{t("reviseHint")}</p>
      <LibraryOfferForm catalogue={form.catalogue} libraries={form.libraries} values={failure?.values ?? form.values} errors={failure?.fieldErrors} formError={failure?.formError} files={form.files} revising submitLabel={t("revise")} />
    </section>
  );
}
