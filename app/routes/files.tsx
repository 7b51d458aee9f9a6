// POST /files: uploads that are not part of another form. The editor sends one image and asks for JSON
// ({id, url, name, mimeType} or {error}); a plain form without JavaScript posts its files to
// `/files?next=<path>` and is sent back there with `uploaded=<ids>` (or `uploadError=<locale key>`).
// (`next` may also be a form field, but a refused upload only knows the one in the URL.)
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { DomainError, ValidationError } from "~/domain/foundation/errors.server";
import { receiveUploadForm, requireUploader } from "~/domain/uploads/files.server";
import { actorFromRequest } from "~/domain/accounts/sessions.server";
import { i18next } from "~/i18next.server";
import { asErrorPage, requireActor, safeNext } from "~/lib/http.server";

export async function action({ request }: ActionFunctionArgs) {
  if ((request.headers.get("Accept") ?? "").includes("application/json")) return editorUpload(request);
  const actor = await requireActor(request);
  const next = safeNext(new URL(request.url).searchParams.get("next"), "/");
  try {
    await requireUploader(actor);
    const { fields, files } = await receiveUploadForm(actor, request);
    const to = new URL(safeNext(fields.get("next"), next), "http://local");
    to.searchParams.set("uploaded", [...files.values()].flat().map((f) => f.id).join(","));
    return redirect(to.pathname + to.search);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw asErrorPage(error);
    const to = new URL(next, "http://local");
    to.searchParams.set("uploadError", error.key);
    return redirect(to.pathname + to.search);
  }
}

async function editorUpload(request: Request) {
  const actor = await actorFromRequest(request);
  const t = await i18next.getFixedT(request);
  try {
    await requireUploader(actor);
    const { files } = await receiveUploadForm(actor, request, { maxFiles: 1, accept: "image" });
    const file = files.get("file")?.[0];
    if (!file) return Response.json({ error: t("files:notMultipart") }, { status: 400 });
    return Response.json({ id: file.id, url: file.url, name: file.name, mimeType: file.mimeType });
  } catch (error) {
    if (error instanceof DomainError) {
      const status = error.key === "files:tooLarge" ? 413 : error.status;
      return Response.json({ error: t(error.key, error.params) }, { status, headers: { "Cache-Control": "no-store" } });
    }
    throw error;
  }
}
