// Issue 13, "Also found": crafted rich text answered 500 (a document nested 3,000 deep, a heading
// level that is an object). Both are refused with the translated "not allowed" reason beside the field.
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
import { randomId } from "~/domain/foundation/ids.server";
import { createPost } from "~/domain/spaces/posts.server";
import { plainTextOf, renderRichText, richTextFromForm } from "~/domain/foundation/richtext.server";
import { validationRefusal } from "../support/refusal";
import { actorFor, demoWorld } from "../support/world";

beforeAll(async () => {
  await demoWorld();
});

/** A document whose text sits `depth` blockquotes deep. */
function nested(depth: number): unknown {
  let node: unknown = { type: "paragraph", content: [{ type: "text", text: "深" }] };
  for (let i = 0; i < depth; i++) node = { type: "blockquote", content: [node] };
  return { type: "doc", content: [node] };
}

/** The same document as the editor's JSON text, written out by hand: JSON.stringify itself recurses. */
function nestedJson(depth: number): string {
  const leaf = '{"type":"paragraph","content":[{"type":"text","text":"深"}]}';
  return `{"type":"doc","content":[${'{"type":"blockquote","content":['.repeat(depth)}${leaf}${"]}".repeat(depth)}]}`;
}

const fromEditor = (doc: unknown) => richTextFromForm(new Map([["bodyJson", typeof doc === "string" ? doc : JSON.stringify(doc)]]), "body");

describe("issue 13 · crafted rich text is refused with the translated reason, never a 500", () => {
  it("refuses a document nested 3,000 deep before any recursive parsing", async () => {
    const error = await validationRefusal(() => fromEditor(nestedJson(3_000)));
    expect(error.fields.body).toEqual({ key: "blog:bodyUnknownType" });
    expect((await validationRefusal(() => renderRichText(nested(100_000)))).fields.body?.key).toBe("blog:bodyUnknownType");
    expect(plainTextOf(nested(100_000))).toBe("");
    // Lists in quotes a few levels deep are still fine.
    expect(fromEditor(nested(8)).html).toContain("<blockquote><blockquote>");
  });

  it("refuses a heading level or a list start that is an object, and any attribute that is not a plain value", async () => {
    const heading = (attrs: unknown) => ({ type: "doc", content: [{ type: "heading", attrs, content: [{ type: "text", text: "题" }] }] });
    expect((await validationRefusal(() => fromEditor(heading({ level: { toString: null } })))).fields.body?.key).toBe("blog:bodyUnknownType");
    expect((await validationRefusal(() => fromEditor(heading({ level: [2] })))).fields.body?.key).toBe("blog:bodyUnknownType");
    const list = { type: "doc", content: [{ type: "orderedList", attrs: { start: { valueOf: null, toString: null } }, content: [] }] };
    expect((await validationRefusal(() => fromEditor(list))).fields.body?.key).toBe("blog:bodyUnknownType");
    const link = { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "x", marks: [{ type: "link", attrs: { href: { toString: null } } }] }] }] };
    expect((await validationRefusal(() => fromEditor(link))).fields.body?.key).toBe("blog:bodyUnknownType");
    // What the editor really sends still passes.
    expect(fromEditor(heading({ level: 3, textAlign: null })).html).toBe("<h3>题</h3>");
  });

  it("answers a crafted post body with a field error and stores nothing", async () => {
    const teacher = await actorFor("wuhou-pri.t1", "teacher");
    const before = (await db().select().from(schema.posts)).length;
    const post = async (bodyJson: unknown) =>
      createPost(teacher, new Map([["id", randomId()], ["title", "深"], ["body", ""], ["bodyJson", typeof bodyJson === "string" ? bodyJson : JSON.stringify(bodyJson)], ["visibility", "school"], ["intent", "publish"]]));
    expect((await validationRefusal(async () => post(nestedJson(3_000)))).fields.body?.key).toBe("blog:bodyUnknownType");
    expect((await validationRefusal(async () => post({ type: "doc", content: [{ type: "heading", attrs: { level: { toString: null } }, content: [] }] }))).fields.body?.key).toBe("blog:bodyUnknownType");
    expect((await db().select().from(schema.posts)).length).toBe(before);
  });
});

// Issue 16 "Also": a picture pasted into the editor got its file name as alt text ("IMG_2024.jpg"),
// which a screen reader reads out as if it described the picture. A file name is no description: it is
// dropped (empty alt, "decorative" until described); a real description is kept.
describe("issue 16 · an image's alt text is never its file name", () => {
  const withAlt = (alt: unknown, src = "/files/abcdefghij/IMG_2024.jpg") => ({ type: "doc", content: [{ type: "image", attrs: { src, alt } }] });
  const altsOf = (doc: unknown) => {
    const saved = fromEditor(doc);
    const stored = ((saved.doc.content ?? []) as { attrs?: { alt?: unknown } }[]).map((n) => n.attrs?.alt ?? null);
    const rendered = [...saved.html.matchAll(/alt="([^"]*)"/g)].map((m) => m[1]);
    return { stored, rendered, again: [...renderRichText(doc).matchAll(/alt="([^"]*)"/g)].map((m) => m[1]) };
  };

  it.each(["IMG_2024.jpg", "image.png", " 微信图片_20240101.JPEG ", "Screenshot 2024-05-01 at 10.00.00.png", "photo.heic", "scan.webp", "IMG_2024"])("drops %j", (alt) => {
    // The last one is the src's own file name without its extension: as much a file name.
    expect(altsOf(withAlt(alt, alt === "IMG_2024" ? "/files/abcdefghij/IMG_2024.jpg" : undefined))).toEqual({ stored: [""], rendered: [""], again: [""] });
  });

  it("keeps a description, trimmed, even one that mentions a photo", () => {
    expect(altsOf(withAlt("  小明画的向日葵，花瓣是橙色的  "))).toEqual({ stored: ["小明画的向日葵，花瓣是橙色的"], rendered: ["小明画的向日葵，花瓣是橙色的"], again: ["小明画的向日葵，花瓣是橙色的"] });
    expect(altsOf(withAlt("A photo of the class garden."))).toMatchObject({ rendered: ["A photo of the class garden."] });
    expect(altsOf(withAlt(null))).toMatchObject({ rendered: [""] });
    // Typed by a person, a word that happens to be the file's name is still a description.
    expect(altsOf(withAlt("向日葵", "/files/abcdefghij/%E5%90%91%E6%97%A5%E8%91%B5.jpg"))).toMatchObject({ rendered: ["向日葵"] });
  });
});
