import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirectDocument } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert } from "~/components/FormBits";
import { RichTextField } from "~/components/RichTextField";
import { uploadProgressLinks, UploadProgressScript } from "~/components/UploadProgress";
import { requireSubmitter, submitWork, viewAssignment } from "~/domain/classwork/assignments.server";
import { NotFoundError } from "~/domain/foundation/errors.server";
import { receiveUploadForm } from "~/domain/uploads/files.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import type { RouteHandle } from "~/i18n";
import { formatDateTime } from "~/lib/format";
import { formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import blogCss from "~/styles/blog.css?url";
import spaceCss from "~/styles/space.css?url";
import cssUrl from "~/styles/assignments.css?url";
import { FilesInput } from "~/components/AttachedFilesField";

// The one student page that hydrates: the rich-text editor. Without JavaScript the textarea and the file
// input still hand in (a plain multipart form).
export const handle: RouteHandle = { hydrate: true, i18n: ["assignments", "blog", "files"] };
export const links: LinksFunction = () => [{ rel: "stylesheet", href: spaceCss }, { rel: "stylesheet", href: blogCss }, { rel: "stylesheet", href: cssUrl }, ...uploadProgressLinks()];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** The student's view of the assignment; anyone else has no hand-in page here. */
async function studentView(actor: Parameters<typeof viewAssignment>[0], id: string) {
  const view = await viewAssignment(actor, id);
  if (!view.mine) throw new NotFoundError();
  return view as typeof view & { mine: NonNullable<typeof view.mine> };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const view = await orErrorPage(async () => studentView(actor, params.id ?? ""));
  return {
    title: await pageTitle(request, "assignments:submitTitle"),
    assignment: { id: view.id, title: view.title, dueAt: formatDateTime(view.dueAt, lng), handedIn: view.mine.versions.length > 0 },
    may: view.mine.may,
    // Picked now: sending this form twice (double click, retried request) stores one version.
    versionId: view.mine.nextVersionId,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  // Handed in when the request arrived, not when a slow upload finished: a student who pressed the
  // button before the due time over a thin link is on time (nor when a busy server got round to it).
  const receivedAt = context.receivedAt ?? Date.now();
  const actor = await requireActor(request);
  const id = params.id ?? "";
  // Someone who may not hand in here is refused before a byte is received.
  await orErrorPage(async () => requireSubmitter(actor, id, receivedAt));
  // Filled as the fields arrive: a refused file still leaves the work typed before it.
  const typed = new Map<string, string>();
  try {
    const { fields, files } = await receiveUploadForm(actor, request, { accept: "any", fields: typed });
    const receipt = await submitWork(actor, id, fields, (files.get("files") ?? []).map((f) => f.id), receivedAt);
    // A whole page: the page after a send hydrates only if it asks to, with its own translations.
    return redirectDocument(`/assignments/${id}?receipt=${encodeURIComponent(receipt.versionId)}#receipt`);
  } catch (error) {
    return formFailure(error, { body: typed.get("body") ?? "", bodyJson: typed.get("bodyJson") || null, versionId: typed.get("versionId") ?? "" });
  }
}

function parseJson(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export default function HandIn() {
  const { assignment, may, versionId } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("assignments");
  const fileError = failure?.fieldErrors.files;
  return (
    <section className="panel narrow hand-in-page" aria-labelledby="submit-title">
      <p className="meta">
        <a href={`/assignments/${assignment.id}`}>{assignment.title}</a>
      </p>
      <h1 id="submit-title">{t("submitTitle")}</h1>
      <p>{t("due", { time: assignment.dueAt })}</p>
      {!may.ok ? (
        <p className="notice">{t(`cannot.${may.reason}`)}</p>
      ) : (
        <>
          {may.late ? <p className="alert">{t("lateWarning")}</p> : null}
          {assignment.handedIn ? <p className="hint">{t("againNote")}</p> : null}
          <FormAlert problem={failure?.formError} />
          <Form method="post" encType="multipart/form-data" data-upload-progress="" noValidate data-draft="hand-in">
            {/* A refused form keeps its version id: nothing was stored under it. */}
            <input type="hidden" name="versionId" value={failure?.values.versionId || versionId} />
            <RichTextField
              name="body"
              label={t("fieldWork")}
              hint={t("fieldWorkHint")}
              initialJson={parseJson(failure?.values.bodyJson)}
              initialText={failure?.values.body ?? ""}
              error={failure?.fieldErrors.body}
              rows={10}
            />
            <FilesInput label={t("fieldWorkFiles")} hint={t("fieldWorkFilesHint")} again={failure ? t("filesAgain") : undefined} error={fileError ? t(fileError.key, fileError.params) : null} />
            <button type="submit" className="primary">
              {t("submit")}
            </button>
          </Form>
          <UploadProgressScript />
        </>
      )}
    </section>
  );
}
