// Issue 13, "Also found": crafted rich text answered 500 (a document nested 3,000 deep, a heading
// level that is an object). Both are refused with the translated "not allowed" reason beside the field.
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
import { randomId } from "~/domain/ids.server";
import { createPost } from "~/domain/posts.server";
import { plainTextOf, renderRichText, richTextFromForm } from "~/domain/richtext.server";
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
  it("refuses a document nested 3,000 deep before any recursive parsing", () => {
    const error = validationRefusal(() => fromEditor(nestedJson(3_000)));
    expect(error.fields.body).toEqual({ key: "blog:bodyUnknownType" });
    expect(validationRefusal(() => renderRichText(nested(100_000))).fields.body?.key).toBe("blog:bodyUnknownType");
    expect(plainTextOf(nested(100_000))).toBe("");
    // Lists in quotes a few levels deep are still fine.
    expect(fromEditor(nested(8)).html).toContain("<blockquote><blockquote>");
  });

  it("refuses a heading level or a list start that is an object, and any attribute that is not a plain value", () => {
    const heading = (attrs: unknown) => ({ type: "doc", content: [{ type: "heading", attrs, content: [{ type: "text", text: "题" }] }] });
    expect(validationRefusal(() => fromEditor(heading({ level: { toString: null } }))).fields.body?.key).toBe("blog:bodyUnknownType");
    expect(validationRefusal(() => fromEditor(heading({ level: [2] }))).fields.body?.key).toBe("blog:bodyUnknownType");
    const list = { type: "doc", content: [{ type: "orderedList", attrs: { start: { valueOf: null, toString: null } }, content: [] }] };
    expect(validationRefusal(() => fromEditor(list)).fields.body?.key).toBe("blog:bodyUnknownType");
    const link = { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "x", marks: [{ type: "link", attrs: { href: { toString: null } } }] }] }] };
    expect(validationRefusal(() => fromEditor(link)).fields.body?.key).toBe("blog:bodyUnknownType");
    // What the editor really sends still passes.
    expect(fromEditor(heading({ level: 3, textAlign: null })).html).toBe("<h3>题</h3>");
  });

  it("answers a crafted post body with a field error and stores nothing", () => {
    const teacher = actorFor("wuhou-pri.t1", "teacher");
    const before = db().select().from(schema.posts).all().length;
    const post = (bodyJson: unknown) =>
      createPost(teacher, new Map([["id", randomId()], ["title", "深"], ["body", ""], ["bodyJson", typeof bodyJson === "string" ? bodyJson : JSON.stringify(bodyJson)], ["visibility", "school"], ["intent", "publish"]]));
    expect(validationRefusal(() => post(nestedJson(3_000))).fields.body?.key).toBe("blog:bodyUnknownType");
    expect(validationRefusal(() => post({ type: "doc", content: [{ type: "heading", attrs: { level: { toString: null } }, content: [] }] })).fields.body?.key).toBe("blog:bodyUnknownType");
    expect(db().select().from(schema.posts).all().length).toBe(before);
  });
});
