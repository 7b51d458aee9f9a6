// GET /thumbs/:id/:width — a small preview of an image, made by the server, for exactly those who may
// open the original (/files/:id/:name): anyone else, like an unknown id, gets 404. WebP when the
// browser says it reads it, JPEG otherwise.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { openThumbnail } from "~/domain/downloads/file-reading.server";
import { actorFromRequest } from "~/domain/accounts/sessions.server";
import { orResourceErrorPage } from "~/lib/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await actorFromRequest(request);
  const format = /image\/webp/.test(request.headers.get("Accept") ?? "") ? "webp" : "jpeg";
  const thumb = await orResourceErrorPage(request, async () => openThumbnail(actor, params.id ?? "", Number(params.width), format));
  const headers = new Headers({
    "Content-Type": thumb.mimeType,
    // The bytes under an id never change, so the reader's own browser may keep them a week without asking;
    // private: never a shared cache (who may read the file is checked on every request that arrives).
    "Cache-Control": "private, max-age=604800",
    ETag: thumb.etag,
    Vary: "Accept, Cookie",
    "Content-Security-Policy": "default-src 'none'; sandbox",
  });
  const matches = (request.headers.get("If-None-Match") ?? "").split(",").some((tag) => tag.trim() === thumb.etag);
  if (matches) return new Response(null, { status: 304, headers });
  headers.set("Content-Length", String(thumb.bytes.byteLength));
  return new Response(new Uint8Array(thumb.bytes), { status: 200, headers });
}
