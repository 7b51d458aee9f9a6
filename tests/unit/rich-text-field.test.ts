import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RichTextField } from "~/components/RichTextField";

// Issue 16 "Also": "空一行开始新的段落" is about the plain textarea; with the editor it is wrong (Enter
// starts a paragraph there). The served page (and so a page without JavaScript) keeps the textarea and
// says it; the editor, once loaded, shows only the field's own hint (tests/e2e/also-16.spec.ts).
describe("issue 16 · the plain textarea's hint", () => {
  it("is served beside the textarea, after the field's own hint", () => {
    const html = renderToString(createElement(RichTextField, { name: "body", label: "正文", hint: "写清楚要做什么。", plainHint: "空一行开始新的段落。", initialText: "已写的字" }));
    expect(html).toMatch(/<textarea[^>]*name="body"/);
    expect(html).toContain("已写的字");
    expect(html).toMatch(/<p class="hint" id="f-body-hint">写清楚要做什么。 空一行开始新的段落。<\/p>/);
  });

  it("is the only hint when the field has none of its own", () => {
    const html = renderToString(createElement(RichTextField, { name: "body", label: "正文", plainHint: "空一行开始新的段落。" }));
    expect(html).toMatch(/<p class="hint" id="f-body-hint">空一行开始新的段落。<\/p>/);
  });
});
