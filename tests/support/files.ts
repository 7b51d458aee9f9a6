// Uploading and opening files in integration tests, through the same code the routes use.
import type { Actor } from "~/domain/foundation/actor.server";
import { ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { openFile } from "~/domain/downloads/file-reading.server";
import { receiveUploadForm } from "~/domain/uploads/files.server";

/** A small PDF named `name` (its text `text`) sent as the "files" field of a multipart form: the drafts' ids. */
export async function upload(actor: Actor, name: string, text: string = name): Promise<string[]> {
  const body = new FormData();
  body.append("files", new File([new TextEncoder().encode(`%PDF-1.4\n% ${text}\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n`)], name));
  const { files } = await receiveUploadForm(actor, new Request("http://localhost/upload", { method: "POST", body }));
  return files.get("files")!.map((f) => f.id);
}

/** Whether `actor` may download the file (the download route's check), closing the stream it opens. */
export async function canOpen(actor: Actor, fileId: string): Promise<boolean> {
  try {
    const { body } = await openFile(actor, fileId);
    if (!(body instanceof ReadableStream)) (body as NodeJS.ReadableStream & { destroy(): void }).destroy();
    return true;
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ForbiddenError) return false;
    throw error;
  }
}
