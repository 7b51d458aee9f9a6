// Rich text for posts and portfolio descriptions. What is stored is the editor's tiptap JSON; what is
// shown is HTML rendered here, on the server. Two independent defences stand between a reader and a
// pasted payload: the renderer only knows an allowlist of node and mark types and escapes every text
// and attribute itself, and its output then passes sanitize-html with an allowlist of its own, so a
// bug in one is caught by the other.
import sanitizeHtml from "sanitize-html";
import { z } from "zod";
import { ValidationError } from "./errors.server";
import { withoutDirectionControls } from "./plain-text.server";

export type RichDoc = { type: "doc"; content: unknown[] };

/** The stored JSON may not exceed this (bytes of its UTF-8 text). */
export const MAX_DOC_BYTES = 200 * 1024;
/** Plain text a document may hold (characters). */
export const MAX_TEXT_CHARS = 50_000;
// Deep nesting (lists in quotes in lists…) is never needed for a post and would let a small document
// cost a lot of stack to render.
const MAX_DEPTH = 12;

const NODE_TYPES = ["doc", "paragraph", "heading", "bulletList", "orderedList", "listItem", "blockquote", "hardBreak", "horizontalRule", "text", "image"] as const;
const MARK_TYPES = ["bold", "italic", "strike", "code", "link"] as const;

// Attributes are plain values only: an object where a number belongs (a heading level of
// {"toString": null}) would throw when converted, and nothing the renderer reads is ever an object.
const attrsSchema = z.record(z.string().max(64), z.union([z.string().max(2_000), z.number(), z.boolean(), z.null()])).nullish();

const markSchema = z.object({
  type: z.enum(MARK_TYPES),
  attrs: attrsSchema,
});

type Mark = z.infer<typeof markSchema>;

type RichNode = {
  type: (typeof NODE_TYPES)[number];
  attrs?: Record<string, unknown> | null;
  content?: RichNode[] | null;
  text?: string | null;
  marks?: z.infer<typeof markSchema>[] | null;
};

const nodeSchema: z.ZodType<RichNode> = z.lazy(() =>
  z.object({
    type: z.enum(NODE_TYPES),
    attrs: attrsSchema,
    content: z.array(nodeSchema).nullish(),
    // C0 control characters (U+0000 among them, which PostgreSQL's text cannot hold) are nobody's text.
    text: z.string().nullish().transform((t) => t?.replace(C0_CONTROLS, "")),
    marks: z.array(markSchema).nullish(),
  }),
);

const docSchema = z.object({ type: z.literal("doc"), content: z.array(nodeSchema).nullish() });

/**
 * Parses a document against the allowlist; anything else is refused on `field`. The nesting is
 * measured first, without recursion: the schema and the renderer recurse, and a document nested
 * thousands deep would exhaust the stack in them (a 500) instead of being refused.
 */
function parseDoc(raw: unknown, field: string): { type: "doc"; content: RichNode[] } {
  if (nestedTooDeep(raw)) throw new ValidationError({ [field]: { key: "blog:bodyUnknownType" } });
  const parsed = docSchema.safeParse(raw);
  if (!parsed.success) {
    const unsupported = parsed.error.issues.some((i) => i.path.includes("type") || i.path.includes("attrs"));
    throw new ValidationError({ [field]: { key: unsupported ? "blog:bodyUnknownType" : "blog:bodyInvalid" } });
  }
  return { type: "doc", content: parsed.data.content ?? [] };
}

/** Whether any node lies more than MAX_DEPTH levels of `content` below the document (iteratively). */
function nestedTooDeep(raw: unknown): boolean {
  const pending: { node: unknown; depth: number }[] = [{ node: raw, depth: 0 }];
  while (pending.length) {
    const { node, depth } = pending.pop()!;
    const content = node && typeof node === "object" ? (node as { content?: unknown }).content : undefined;
    if (!Array.isArray(content) || !content.length) continue;
    if (depth + 1 > MAX_DEPTH) return true;
    for (const child of content) pending.push({ node: child, depth: depth + 1 });
  }
  return false;
}

/** Text made safe to place in HTML, between tags or in a quoted attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

// Control characters (other than tab and newline) have no place in text and are how some payloads hide
// a scheme from naive filters ("java\0script:").
// eslint-disable-next-line no-control-regex
const C0_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200F\u2028\u2029\uFEFF]/g;

/** An http(s) or mailto link, or null. Parsed, not pattern-matched, so obfuscated schemes fail. */
export function safeHref(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const value = raw.replace(CONTROL, "").trim();
  if (!value || value.length > 2000 || /\s/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:" && url.protocol !== "mailto:") return null;
  if (url.protocol !== "mailto:" && !url.hostname) return null;
  return url.href;
}

// Images come only from our own download route: /files/<id>/<name>.
const FILE_SRC = /^\/files\/([A-Za-z0-9_-]{8,64})\/[^\s"'<>\\?#]{1,600}$/;

/** The file id of an image source that points into our storage, or null for anything else. */
export function fileIdOfSrc(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const m = FILE_SRC.exec(raw);
  return m ? m[1]! : null;
}

// A picture's file name ("IMG_2024.jpg", "image.png" from the clipboard) is not a description of it:
// a screen reader would read it out as one. Such an alt is dropped (empty: described later, or not).
const IMAGE_FILE_NAME = /\.(jpe?g|jfif|png|gif|webp|heic|heif|avif|bmp|tiff?|svg)$/i;

function stem(name: string): string {
  return name.replace(/\.[A-Za-z0-9]{1,5}$/, "").trim().toLowerCase();
}

/** The alt text kept for an image: trimmed, without control characters, and never a file name. */
export function imageAlt(alt: unknown, src: unknown): string {
  if (typeof alt !== "string") return "";
  const text = alt.replace(CONTROL, "").trim().slice(0, 300).trim();
  if (!text || IMAGE_FILE_NAME.test(text)) return "";
  const own = typeof src === "string" ? src.slice(src.lastIndexOf("/") + 1) : "";
  let ownName = own;
  try {
    ownName = decodeURIComponent(own);
  } catch {
    // A malformed escape: compare the name as written.
  }
  // The picture's own name without its extension ("IMG_2024" for IMG_2024.jpg), when it reads like a
  // camera's or a program's name; "向日葵" typed for 向日葵.jpg is a description and stays.
  const cameraLike = /^[A-Za-z0-9_\-. ]+$/.test(text) && /[0-9_]/.test(text);
  return cameraLike && ownName && (stem(text) === stem(ownName) || stem(text) === stem(own)) ? "" : text;
}

const TIBETAN = /[\u0F00-\u0FFF]/u;
const YI = /[\uA000-\uA4CF]/u;

/** "bo" or "ii" when most of the letters are Tibetan or Yi script (DESIGN.md §4: fonts and line breaking). */
export function scriptLang(text: string): "bo" | "ii" | null {
  let letters = 0;
  let bo = 0;
  let ii = 0;
  for (const ch of text) {
    if (!/\p{L}|\p{M}/u.test(ch)) continue;
    letters++;
    if (TIBETAN.test(ch)) bo++;
    else if (YI.test(ch)) ii++;
  }
  if (!letters) return null;
  if (bo * 2 > letters) return "bo";
  if (ii * 2 > letters) return "ii";
  return null;
}

function plainOf(nodes: RichNode[] | null | undefined): string {
  let out = "";
  for (const n of nodes ?? []) {
    if (n.type === "text") out += n.text ?? "";
    else if (n.type === "hardBreak") out += "\n";
    else out += plainOf(n.content);
  }
  return out;
}

function blockTexts(nodes: RichNode[] | null | undefined, out: string[] = []): string[] {
  for (const n of nodes ?? []) {
    if (n.type === "paragraph" || n.type === "heading") out.push(plainOf(n.content));
    else if (n.type !== "text" && n.type !== "hardBreak") blockTexts(n.content, out);
  }
  return out;
}

function renderMarks(text: string, marks: RichNode["marks"]): string {
  let html = escapeHtml(withoutDirectionControls(text.replace(CONTROL, "")));
  // Links outermost, then formatting: a stable order whatever order the editor sent.
  const order = ["code", "strike", "italic", "bold", "link"] as const;
  for (const type of order) {
    const mark = marks?.find((m) => m.type === type);
    if (!mark) continue;
    if (type === "link") {
      const href = safeHref(mark.attrs?.href);
      if (href) html = `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow ugc">${html}</a>`;
    } else {
      const tag = { code: "code", strike: "s", italic: "em", bold: "strong" }[type];
      html = `<${tag}>${html}</${tag}>`;
    }
  }
  return html;
}

function langAttr(node: RichNode): string {
  const lang = scriptLang(plainOf(node.content));
  return lang ? ` lang="${lang}"` : "";
}

function renderNodes(nodes: RichNode[] | null | undefined): string {
  let html = "";
  for (const node of nodes ?? []) html += renderNode(node);
  return html;
}

function renderNode(node: RichNode): string {
  switch (node.type) {
    case "doc":
      return renderNodes(node.content);
    case "paragraph":
      return `<p${langAttr(node)}>${renderNodes(node.content)}</p>`;
    case "heading": {
      const raw = Number(node.attrs?.level);
      const level = Number.isInteger(raw) ? Math.min(4, Math.max(2, raw)) : 2;
      return `<h${level}${langAttr(node)}>${renderNodes(node.content)}</h${level}>`;
    }
    case "bulletList":
      return `<ul>${renderNodes(node.content)}</ul>`;
    case "orderedList": {
      const start = Number(node.attrs?.start);
      const attr = Number.isInteger(start) && start > 1 && start < 100_000 ? ` start="${start}"` : "";
      return `<ol${attr}>${renderNodes(node.content)}</ol>`;
    }
    case "listItem":
      return `<li${langAttr(node)}>${renderNodes(node.content)}</li>`;
    case "blockquote":
      return `<blockquote>${renderNodes(node.content)}</blockquote>`;
    case "hardBreak":
      return "<br />";
    case "horizontalRule":
      return "<hr />";
    case "text":
      return renderMarks(node.text ?? "", node.marks);
    case "image": {
      const src = node.attrs?.src;
      if (!fileIdOfSrc(src)) return "";
      const alt = imageAlt(node.attrs?.alt, src);
      return `<img src="${escapeHtml(src as string)}" alt="${escapeHtml(alt)}" loading="lazy" />`;
    }
  }
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ["p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "br", "hr", "strong", "em", "s", "code", "a", "img"],
  allowedAttributes: { a: ["href", "rel"], img: ["src", "alt", "loading"], ol: ["start"], p: ["lang"], h2: ["lang"], h3: ["lang"], h4: ["lang"], li: ["lang"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: [] },
  allowedSchemesAppliedToAttributes: ["href", "src"],
  allowProtocolRelative: false,
  allowedClasses: {},
  allowedStyles: {},
  disallowedTagsMode: "discard",
  allowVulnerableTags: false,
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "iframe", "object", "embed", "svg", "math", "template", "xmp", "noembed", "noframes", "plaintext"],
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...(attribs.href ? { href: attribs.href } : {}), rel: "noopener noreferrer nofollow ugc" } }),
  },
  exclusiveFilter: (frame) => frame.tag === "img" && !fileIdOfSrc(frame.attribs.src),
  parser: { lowerCaseTags: true, lowerCaseAttributeNames: true },
};

/** Second line of defence: whatever the renderer produced, only the allowlist survives. */
export function sanitizeRendered(html: string): string {
  return sanitizeHtml(html, SANITIZE);
}

/** Sanitized HTML of a document (stored or submitted); an invalid one is refused on field "body". */
export function renderRichText(doc: unknown): string {
  return sanitizeRendered(renderNodes(parseDoc(doc, "body").content));
}

/** The document of plain text: paragraphs split on blank lines, single line breaks kept. */
export function docFromPlainText(text: string): RichDoc {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .replace(CONTROL, "")
    .split(/\n[ \t]*\n+/)
    .map((p) => p.replace(/^\n+|\n+$/g, ""))
    .filter((p) => p.trim() !== "");
  return {
    type: "doc",
    content: paragraphs.map((p) => {
      const lines = p.split("\n");
      const content: RichNode[] = [];
      lines.forEach((line, i) => {
        if (i > 0) content.push({ type: "hardBreak" });
        if (line) content.push({ type: "text", text: line });
      });
      return { type: "paragraph", content };
    }),
  };
}

/** Plain text of a document (paragraphs separated by blank lines): for excerpts and the no-JS textarea. */
export function plainTextOf(doc: unknown): string {
  if (nestedTooDeep(doc)) return "";
  const parsed = docSchema.safeParse(doc);
  if (!parsed.success) return "";
  return blockTexts(parsed.data.content ?? []).join("\n\n");
}

// What is stored (and given back to the editor) keeps only the attributes the renderer knows, with
// unsafe links and foreign images already gone: the editor never loads a payload either.
function cleanNodes(nodes: RichNode[] | null | undefined): RichNode[] {
  const out: RichNode[] = [];
  for (const n of nodes ?? []) {
    if (n.type === "text") {
      const marks = (n.marks ?? []).flatMap((m): Mark[] => {
        if (m.type !== "link") return [{ type: m.type }];
        const href = safeHref(m.attrs?.href);
        return href ? [{ type: m.type, attrs: { href } }] : [];
      });
      const text = withoutDirectionControls((n.text ?? "").replace(CONTROL, ""));
      if (text) out.push(marks.length ? { type: "text", text, marks } : { type: "text", text });
    } else if (n.type === "image") {
      if (fileIdOfSrc(n.attrs?.src)) out.push({ type: "image", attrs: { src: n.attrs!.src, alt: imageAlt(n.attrs?.alt, n.attrs?.src) } });
    } else {
      const attrs =
        n.type === "heading"
          ? { level: Math.min(4, Math.max(2, Number.isInteger(Number(n.attrs?.level)) ? Number(n.attrs?.level) : 2)) }
          : n.type === "orderedList" && Number.isInteger(Number(n.attrs?.start))
            ? { start: Number(n.attrs?.start) }
            : null;
      const node: RichNode = { type: n.type };
      if (attrs) node.attrs = attrs;
      if (n.content?.length) node.content = cleanNodes(n.content);
      out.push(node);
    }
  }
  return out;
}

function fileIdsOf(nodes: RichNode[] | null | undefined, out: string[] = []): string[] {
  for (const n of nodes ?? []) {
    if (n.type === "image") {
      const id = fileIdOfSrc(n.attrs?.src);
      if (id && !out.includes(id)) out.push(id);
    } else fileIdsOf(n.content, out);
  }
  return out;
}

/**
 * From the form: `<name>Json` (tiptap JSON from the editor) if present and non-empty, else `<name>`
 * (plain text from the no-JS textarea). Refuses (on field `<name>`) an unknown node or mark type, a
 * malformed or oversized document, and more than MAX_TEXT_CHARS of text.
 */
export function richTextFromForm(fields: { get(name: string): string | null | undefined }, name: string): { doc: RichDoc; html: string; text: string; fileIds: string[] } {
  const json = fields.get(`${name}Json`);
  let raw: unknown;
  if (typeof json === "string" && json.trim() !== "") {
    if (Buffer.byteLength(json, "utf8") > MAX_DOC_BYTES) throw new ValidationError({ [name]: { key: "blog:bodyTooLong", params: { max: MAX_TEXT_CHARS } } });
    try {
      raw = JSON.parse(json);
    } catch {
      throw new ValidationError({ [name]: { key: "blog:bodyInvalid" } });
    }
  } else {
    const text = fields.get(name) ?? "";
    if (text.length > MAX_TEXT_CHARS) throw new ValidationError({ [name]: { key: "blog:bodyTooLong", params: { max: MAX_TEXT_CHARS } } });
    raw = docFromPlainText(text);
  }
  const doc = parseDoc(raw, name);
  const text = blockTexts(doc.content).join("\n\n");
  if (text.length > MAX_TEXT_CHARS) throw new ValidationError({ [name]: { key: "blog:bodyTooLong", params: { max: MAX_TEXT_CHARS } } });
  const html = sanitizeRendered(renderNodes(doc.content));
  return { doc: { type: "doc", content: cleanNodes(doc.content) }, html, text, fileIds: fileIdsOf(doc.content) };
}
