// React 18.3's Node stream writer (react-dom/server, writeStringChunk) encodes text into a fixed view
// and, when a multi-byte character does not fit at the view's end, sends the WHOLE view, unused zero
// bytes included. On a page in Chinese, Tibetan or Yi that puts a NUL wherever such a character
// straddles a view boundary (seen as "颜色\0。" in a teacher's feedback, byte 4095 of the page). UTF-8
// never uses a zero byte inside a character, and our HTML never contains one, so the document stream
// drops them.
import { Transform } from "node:stream";

export function withoutNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, chunk.includes(0) ? Buffer.from(chunk.filter((byte) => byte !== 0)) : chunk);
    },
  });
}
