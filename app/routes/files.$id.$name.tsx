// GET /files/:id/:name — a download, for those who may see what the file is attached to. The id
// decides; the name is only for people and browsers. Unknown and not visible answer alike.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import contentDisposition from "content-disposition";
import { Readable } from "node:stream";
import { openFile } from "~/domain/downloads/file-reading.server";
import { downloadName } from "~/domain/uploads/files.server";
import { actorFromRequest } from "~/domain/accounts/sessions.server";
import { orResourceErrorPage } from "~/lib/http.server";

// Shown in the page, not saved: photos (posts show them inline). Everything else, PDFs included, is
// offered as a download: a PDF may carry scripts, and browsers' PDF viewers do not all run in a sandbox.
const INLINE = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await actorFromRequest(request);
  // Unknown and not visible answer alike (404); anonymous readers are asked to sign in first.
  const opened = await orResourceErrorPage(request, async () => openFile(actor, params.id ?? ""));
  const { file, body } = opened;
  const etag = `"${file.sha256}"`;
  const headers = new Headers({
    "Content-Type": file.mimeType.startsWith("text/") ? `${file.mimeType}; charset=utf-8` : file.mimeType,
    "Content-Disposition": contentDisposition(downloadName(file), { type: INLINE.has(file.mimeType) ? "inline" : "attachment" }),
    // Private: who may read it can change (visibility, approval), so every use revalidates by ETag.
    "Cache-Control": "private, no-cache",
    ETag: etag,
    // X-Content-Type-Options: nosniff comes with every response (server/security-headers.mjs); this
    // policy is added to the site-wide one, so both apply.
    // A file opened on its own, whatever its type, may run nothing and reach nothing.
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox",
  });
  const matches = (request.headers.get("If-None-Match") ?? "").split(",").some((tag) => tag.trim() === etag);
  if (matches) {
    destroy(body);
    return new Response(null, { status: 304, headers });
  }
  headers.set("Accept-Ranges", "bytes");
  const rangeHeader = request.headers.get("Range");
  const ifRange = request.headers.get("If-Range");
  const range = rangeHeader && (!ifRange || ifRange === etag) ? parseRange(rangeHeader, file.size) : null;
  if (range === "unsatisfiable") {
    destroy(body);
    headers.set("Content-Range", `bytes */${file.size}`);
    return new Response(null, { status: 416, headers });
  }
  if (range) {
    destroy(body);
    const part = await openFile(actor, file.id, { range });
    headers.set("Content-Range", `bytes ${range.start}-${range.end}/${file.size}`);
    headers.set("Content-Length", String(range.end - range.start + 1));
    return new Response(webStream(part.body), { status: 206, headers });
  }
  headers.set("Content-Length", String(file.size));
  return new Response(webStream(body), { status: 200, headers });
}

/** One range of `bytes=a-b`, `bytes=a-` or `bytes=-n`; several ranges are answered with the whole file. */
function parseRange(header: string, size: number): { start: number; end: number } | "unsatisfiable" | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (!match[1] && !match[2])) return null;
  let start: number;
  let end: number;
  if (!match[1]) {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
  }
  if (start > end || start >= size) return "unsatisfiable";
  return { start, end };
}

function webStream(body: ReadableStream<Uint8Array> | NodeJS.ReadableStream): ReadableStream<Uint8Array> {
  return body instanceof ReadableStream ? body : createReadableStreamFromReadable(body as Readable);
}

function destroy(body: ReadableStream<Uint8Array> | NodeJS.ReadableStream) {
  if (body instanceof ReadableStream) void body.cancel();
  else (body as Readable).destroy();
}
