import { describe, expect, it } from "vitest";
import { docOfText, positionOfOffset } from "~/components/RichTextEditor.client";

// Issue 14 item 1: the editor takes over the textarea's text with its paragraphs and the caret where it was.
describe("issue 14 · the editor adopts what was typed in the textarea", () => {
  it("keeps paragraphs (blank lines) and hard breaks (single newlines)", () => {
    expect(docOfText("一行\n二行\n\n\n新段")).toEqual({
      type: "doc",
      content: [
        { type: "paragraph", content: [{ type: "text", text: "一行" }, { type: "hardBreak" }, { type: "text", text: "二行" }] },
        { type: "paragraph", content: [{ type: "text", text: "新段" }] },
      ],
    });
  });

  it("maps the textarea's caret to the same place in the document", () => {
    const text = "ab\ncd\n\nef";
    // "ab" hardBreak "cd" in the first paragraph (positions 1..6), "ef" in the second (8..10).
    expect(positionOfOffset(text, 0)).toBe(1);
    expect(positionOfOffset(text, 2)).toBe(3);
    expect(positionOfOffset(text, 4)).toBe(5);
    expect(positionOfOffset(text, 5)).toBe(6);
    expect(positionOfOffset(text, 6)).toBe(6); // inside the blank line: end of the paragraph before
    expect(positionOfOffset(text, 8)).toBe(9);
    expect(positionOfOffset(text, text.length)).toBe(10);
    expect(positionOfOffset("", 0)).toBe(1);
  });
});
