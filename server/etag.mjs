// ETag and 304 Not Modified for pages that may be kept by the browser: a page opts in by answering a
// GET with "Cache-Control: private, no-cache" (kept, but asked for again every time) and no cookie,
// as the anonymous sign-in and activation pages do; public JSON (the translations, "public, max-age")
// gets one too, so that it is revalidated, not fetched again, once its hour is over. Pages with anyone's own data stay
// "private, no-store": never kept, so an ETag there would never be sent back and is not added.
//
// Every page carries this response's CSP nonce, so two renderings of the same page differ only in the
// nonce: the ETag is the hash of the page with the nonce left out, and it is weak (W/), as the bytes
// differ. A 304 leaves out the Content-Security-Policy header: the browser keeps the policy it stored
// with the page, whose nonce is the one in the stored page's scripts (a new nonce would block them).
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";

/** Pages larger than this are sent as they are (the opted-in pages are a few KB). */
const MAX_BYTES = 512 * 1024;

/**
 * The weak ETag of a page: its bytes with the nonce left out.
 * @param {Buffer} body
 * @param {string | undefined} nonce
 */
export function pageEtag(body, nonce) {
  const text = nonce ? body.toString("utf8").split(nonce).join("") : body;
  return `W/"${createHash("sha256").update(text).digest("base64url").slice(0, 27)}"`;
}

/**
 * Whether If-None-Match names this ETag (weak comparison, RFC 9110 §13.1.2).
 * @param {string | undefined} header
 * @param {string} etag
 */
export function etagMatches(header, etag) {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const bare = (tag) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => bare(tag) === bare(etag));
}

/**
 * Whether a response may get an ETag: a whole page or JSON answered to a GET, kept by the browser
 * (no-cache, or public; never no-store), with no cookie set and no ETag of its own.
 * @param {import("express").Response} res
 */
function opted(res) {
  const cacheControl = String(res.getHeader("Cache-Control") ?? "").toLowerCase();
  const type = String(res.getHeader("Content-Type") ?? "");
  return (
    res.statusCode === 200 &&
    (cacheControl.includes("no-cache") || cacheControl.includes("public")) &&
    !cacheControl.includes("no-store") &&
    /^(text\/html|application\/json)\b/.test(type) &&
    !res.hasHeader("Set-Cookie") &&
    !res.hasHeader("ETag")
  );
}

/** Express middleware: add before the Remix handler (after compression, so it sees the page uncompressed). */
export function pageEtags(req, res, next) {
  if (req.method !== "GET" && req.method !== "HEAD") return next();
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  /** @type {Buffer[] | null | undefined} undefined: not decided yet; null: passing through. */
  let chunks;
  let size = 0;
  const decide = () => {
    if (chunks === undefined) chunks = opted(res) ? [] : null;
    return chunks;
  };
  const toBuffer = (chunk, encoding) =>
    Buffer.isBuffer(chunk) ? chunk : typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? encoding : "utf8") : Buffer.from(chunk);
  const flush = () => {
    const held = chunks ?? [];
    chunks = null;
    for (const chunk of held) write(chunk);
  };
  res.write = (chunk, encoding, callback) => {
    if (decide() === null) return write(chunk, encoding, callback);
    const buffer = toBuffer(chunk, encoding);
    chunks.push(buffer);
    size += buffer.length;
    if (size > MAX_BYTES) flush();
    if (typeof encoding === "function") encoding();
    else if (typeof callback === "function") callback();
    return true;
  };
  res.end = (chunk, encoding, callback) => {
    if (typeof chunk === "function") [chunk, encoding, callback] = [undefined, undefined, chunk];
    if (typeof encoding === "function") [encoding, callback] = [undefined, encoding];
    if (decide() === null) return end(chunk, encoding, callback);
    if (chunk != null) chunks.push(toBuffer(chunk, encoding));
    const body = Buffer.concat(chunks);
    chunks = null;
    const etag = pageEtag(body, res.locals.cspNonce);
    res.setHeader("ETag", etag);
    if (etagMatches(req.get("If-None-Match"), etag)) {
      res.statusCode = 304;
      for (const name of ["Content-Security-Policy", "Content-Type", "Content-Length", "Transfer-Encoding"]) res.removeHeader(name);
      return end(callback);
    }
    return end(body, callback);
  };
  next();
}
