import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { withoutNulBytes } from "~/lib/html-stream.server";

async function through(chunks: Buffer[]): Promise<Buffer> {
  const stream = withoutNulBytes();
  const out: Buffer[] = [];
  const sink = new PassThrough();
  sink.on("data", (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => sink.on("end", resolve));
  stream.pipe(sink);
  for (const c of chunks) stream.write(c);
  stream.end();
  await done;
  return Buffer.concat(out);
}

describe("the document stream", () => {
  it("drops the zero bytes React 18.3 leaves at the end of a view, keeping every character", async () => {
    // A 2,048-byte view that could hold only part of "。" (3 bytes): React sends the view with its zero tail.
    const text = "再想想第三种颜色";
    const head = Buffer.from(text);
    const view = Buffer.alloc(head.length + 1);
    head.copy(view);
    const html = await through([view, Buffer.from("。</textarea>")]);
    expect(html.toString("utf8")).toBe("再想想第三种颜色。</textarea>");
  });

  it("passes Tibetan and Yi through untouched", async () => {
    const page = "<p lang=\"bo\">བཀྲ་ཤིས་བདེ་ལེགས།</p><p lang=\"ii\">ꆈꌠꁱꂷ</p>";
    const bytes = Buffer.from(page);
    const html = await through([bytes.subarray(0, 7), bytes.subarray(7, 20), bytes.subarray(20)]);
    expect(html.toString("utf8")).toBe(page);
  });
});
