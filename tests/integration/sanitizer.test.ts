// Every payload of the OWASP and PortSwigger cheat sheets, pasted every way a person could: as text, as
// a link, as an image, smuggled into a document's attributes, through the plain-text form and as a
// comment. What reaches a reader (the stored HTML, the post page's markup, the comment list, a
// portfolio description) must carry no script, no event handler, no script URL and no embedding element.
import { Parser } from "htmlparser2";
import i18next from "i18next";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { initReactI18next } from "react-i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { PostArticle } from "~/components/PostArticle";
import { PostComments } from "~/components/PostComments";
import { addComment, listComments } from "~/domain/spaces/comments.server";
import { ValidationError } from "~/domain/foundation/errors.server";
import { randomId } from "~/domain/foundation/ids.server";
import { createPortfolioItem, portfolioItem } from "~/domain/portfolio/portfolio.server";
import { createPost, viewPost } from "~/domain/spaces/posts.server";
import { renderRichText, richTextFromForm } from "~/domain/foundation/richtext.server";
import { OWASP_PAYLOADS, PORTSWIGGER_PAYLOADS, XSS_PAYLOADS } from "../fixtures/xss-payloads";
import { actorFor, demoWorld } from "../support/world";

beforeAll(async () => {
  await demoWorld();
  await i18next.use(initReactI18next).init({ lng: "zh-Hans", resources: {}, showSupportNotice: false } as Parameters<typeof i18next.init>[0]);
});

const EMBEDDING = new Set(["script", "iframe", "object", "embed", "svg", "math", "style", "link", "meta", "base", "form", "input", "button", "textarea", "select", "frame", "frameset", "template", "xss", "video", "audio", "source", "isindex", "keygen", "marquee", "body", "html", "head", "title", "xml", "bgsound", "layer", "ilayer", "applet", "image", "noscript", "xmp", "plaintext", "noembed", "details", "canvas"]);
const URL_ATTRIBUTES = new Set(["href", "src", "action", "formaction", "data", "background", "dynsrc", "lowsrc", "xlink:href", "poster", "srcset", "codebase", "cite", "longdesc", "usemap", "ping"]);
// Ids the pages set themselves: headings and comment anchors (c-<random id>), never anything typed.
const OWN_IDS = /^(post-title|comments-title|c-[a-z0-9]{10,40})$/;
// Markup the pages build themselves (React) around the sanitized HTML.
const PAGE_TAGS = new Set(["article", "h1", "h2", "h3", "h4", "p", "a", "time", "span", "div", "ul", "ol", "li", "strong", "em", "s", "code", "blockquote", "br", "hr", "img", "section"]);

/** Every way a payload could still act, found by parsing the HTML as a browser would. */
function survivors(html: string): string[] {
  const found: string[] = [];
  for (const tag of ["<script", "<iframe", "<object", "<embed", "<svg", "<style", "<math", "<base", "<meta", "<link"]) {
    if (html.toLowerCase().includes(tag)) found.push(`raw ${tag}`);
  }
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (EMBEDDING.has(name) || !PAGE_TAGS.has(name)) found.push(`<${name}>`);
        for (const [attribute, value] of Object.entries(attributes)) {
          if (/^on/i.test(attribute)) found.push(`${name}[${attribute}]`);
          if (["srcdoc", "formaction", "style", "id", "name"].includes(attribute) && !(attribute === "id" && OWN_IDS.test(value))) found.push(`${name}[${attribute}]`);
          // Browsers skip leading spaces and control characters, and tabs and newlines anywhere, in a URL.
          // eslint-disable-next-line no-control-regex
          const url = value.replace(/[\u0000-\u0020\u007f-\u00a0\u2028\u2029\u200b-\u200f\ufeff]/g, "").toLowerCase();
          if (URL_ATTRIBUTES.has(attribute) && /^(javascript|vbscript|livescript|data|mocha):/.test(url)) found.push(`${name}[${attribute}=${url.slice(0, 30)}]`);
          if (name === "img" && attribute === "src" && !url.startsWith("/files/")) found.push(`img[src=${url.slice(0, 30)}]`);
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  return found;
}

function expectInert(html: string, where: string) {
  expect(survivors(html), `${where}\n${html.slice(0, 400)}`).toEqual([]);
}

/** The payload in every place of a document it could hide. */
function docOf(payload: string) {
  const text = (t: string, marks?: unknown[]) => ({ type: "text", text: t, ...(marks ? { marks } : {}) });
  return {
    type: "doc",
    content: [
      { type: "paragraph", attrs: { style: payload, id: payload, onclick: payload, class: payload }, content: [text(payload)] },
      { type: "paragraph", content: [text("link", [{ type: "link", attrs: { href: payload, target: payload, rel: payload, onclick: payload } }])] },
      { type: "paragraph", content: [text("bold", [{ type: "bold", attrs: { onmouseover: payload, style: payload } }, { type: "italic" }])] },
      { type: "heading", attrs: { level: payload, onclick: payload }, content: [text(payload)] },
      { type: "orderedList", attrs: { start: payload, type: payload }, content: [{ type: "listItem", content: [{ type: "paragraph", content: [text(payload)] }] }] },
      { type: "blockquote", attrs: { cite: payload }, content: [{ type: "paragraph", content: [text(payload), { type: "hardBreak", attrs: { onclick: payload } }] }] },
      { type: "image", attrs: { src: payload, alt: payload, title: payload, onerror: payload } },
      { type: "image", attrs: { src: `/files/aaaaaaaaaa/${payload}`, alt: payload } },
      { type: "image", attrs: { src: `/files/${payload}/x.png`, alt: "x" } },
      { type: "horizontalRule", attrs: { onclick: payload } },
    ],
  };
}

/** The same without images that point into storage: a post may only carry files that exist and are the author's. */
function storableDocOf(payload: string) {
  const doc = docOf(payload);
  return { ...doc, content: doc.content.filter((n) => !(n.type === "image" && String(n.attrs?.src).startsWith("/files/"))) };
}

const fieldsOf = (record: Record<string, string>) => new Map(Object.entries(record));

describe("the XSS payload fixture", () => {
  it("holds at least 100 payloads from the two cheat sheets", () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(100);
    expect(OWASP_PAYLOADS.length).toBeGreaterThanOrEqual(50);
    expect(PORTSWIGGER_PAYLOADS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(XSS_PAYLOADS).size).toBe(XSS_PAYLOADS.length);
  });

  it("would be caught by the check if it got through unsanitized", () => {
    // The checker itself must see these, or the tests below would prove nothing.
    expect(survivors('<img src=x onerror="alert(1)">')).not.toEqual([]);
    expect(survivors('<a href="  jav&#x09;ascript:alert(1)">x</a>')).not.toEqual([]);
    expect(survivors("<svg onload=alert(1)>")).not.toEqual([]);
    expect(survivors('<iframe srcdoc="x">')).not.toEqual([]);
    expect(survivors('<form><button formaction="javascript:alert(1)">')).not.toEqual([]);
    expect(survivors('<a href="data:text/html,x">x</a>')).not.toEqual([]);
    expect(survivors('<p style="x">x</p>')).not.toEqual([]);
  });
});

describe("rich text rendering", () => {
  it.each(XSS_PAYLOADS.map((p, i) => [i, p] as const))("payload %i in every place of a document renders inert", (_i, payload) => {
    expectInert(renderRichText(docOf(payload)), "renderRichText");
    // Each place on its own, too: one node's failure must not hide behind another's.
    for (const node of docOf(payload).content) expectInert(renderRichText({ type: "doc", content: [node] }), `node ${node.type}`);
  });

  it.each(XSS_PAYLOADS.map((p, i) => [i, p] as const))("payload %i through the no-JavaScript textarea renders as text", (_i, payload) => {
    const { html, text } = richTextFromForm(fieldsOf({ body: payload }), "body");
    expectInert(html, "plain text");
    // Nothing of what was typed is lost: it comes back as text (whitespace and control characters aside).
    // eslint-disable-next-line no-control-regex
    if (payload.trim() && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u2028]/.test(payload)) expect(text.replace(/\s+/g, "")).toBe(payload.replace(/\s+/g, ""));
  });

  it.each(XSS_PAYLOADS.map((p, i) => [i, p] as const))("payload %i sent as the editor's JSON itself is refused or inert", (_i, payload) => {
    try {
      expectInert(richTextFromForm(fieldsOf({ bodyJson: payload, body: "" }), "body").html, "raw JSON");
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
    }
  });
});

describe("posts, comments and portfolio items carrying the payloads", () => {
  it("stores and shows every payload inert: post HTML, the post page's markup, comments and portfolio descriptions", async () => {
    const teacher = await actorFor("wuhou-pri.t2", "teacher");
    const reader = await actorFor("wuhou-pri.t3", "teacher");
    for (const [i, payload] of XSS_PAYLOADS.entries()) {
      const where = `payload ${i}: ${payload.slice(0, 60)}`;
      const rich = await createPost(teacher, fieldsOf({ id: randomId(), title: payload.slice(0, 120).trim() || "x", body: "", bodyJson: JSON.stringify(storableDocOf(payload)), visibility: "school", intent: "publish" }));
      const plain = await createPost(teacher, fieldsOf({ id: randomId(), title: "纯文本", body: payload, visibility: "school", intent: "publish" }));
      for (const id of [rich.id, plain.id]) {
        const post = await viewPost(reader, id);
        expectInert(post.html, `${where} (stored HTML)`);
        const page = renderToString(createElement(PostArticle, { post: { ...post, titleLang: null, at: "今天", updatedAt: null } }));
        expectInert(page, `${where} (post page)`);
      }
      const comment = await addComment(reader, rich.id, payload.trim() || "x");
      const comments = (await listComments(teacher, rich.id))
        .filter((c) => c.id === comment.id)
        .map((c) => ({ ...c, at: "今天", mayEdit: false, mayRemove: false, mayReport: false, mayApprove: false }));
      expect(comments).toHaveLength(1);
      expectInert(renderToString(createElement(PostComments, { comments, mayComment: false, signedIn: true, maxLength: 2000 })), `${where} (comment)`);
      const item = await createPortfolioItem(teacher, fieldsOf({ title: "作品", kind: "work", occurredOn: "2026-09-01", description: "", descriptionJson: JSON.stringify(storableDocOf(payload)), visibility: "school", tags: "" }));
      expectInert((await portfolioItem(reader, item.id)).descriptionHtml, `${where} (portfolio)`);
    }
  });
});
