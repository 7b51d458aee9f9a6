// `npm run bench:compression [-- --students 10000]` (issue 17): what compressing a page costs and saves,
// for the settings server.mjs could use, on the real pages that npm run bench kept in
// .bench-data/<N>/pages. Prints, per setting, the CPU time to compress one page (median over the pages)
// and the bytes sent, summed over the pages. One-shot compression does not show what a streaming
// encoder costs to set up for each response (its window); compare throughput with autocannon for that.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const { values } = parseArgs({ options: { students: { type: "string", default: "10000" }, rounds: { type: "string", default: "400" } } });
const dir = resolve(".bench-data", values.students, "pages");
if (!existsSync(dir)) {
  console.error(`No pages in ${dir}: run npm run bench -- --students ${values.students} first.`);
  process.exit(1);
}
const pages = readdirSync(dir)
  .filter((f) => f.endsWith(".html"))
  .map((f) => readFileSync(join(dir, f)));
const rounds = Number(values.rounds);

const brotli =
  (quality: number, window = 22) =>
  (html: Buffer) =>
    brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_LGWIN]: window } });
const gzip = (level: number) => (html: Buffer) => gzipSync(html, { level });
const SETTINGS: [string, (html: Buffer) => Buffer][] = [
  ["none", (html) => html],
  ["brotli 2", brotli(2)],
  ["brotli 3", brotli(3)],
  ["brotli 4 (compression's default)", brotli(4)],
  ["brotli 5", brotli(5)],
  ["brotli 5, 64 KB window (server.mjs)", brotli(5, 16)],
  ["brotli 6", brotli(6)],
  ["brotli 7", brotli(7)],
  ["gzip 1", gzip(1)],
  ["gzip 6 (compression's default)", gzip(6)],
];

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows = SETTINGS.map(([setting, compress]) => {
  const perPage = pages.map((html) => {
    for (let i = 0; i < 20; i++) compress(html);
    const start = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) compress(html);
    return Number(process.hrtime.bigint() - start) / rounds / 1000;
  });
  const bytes = pages.reduce((sum, html) => sum + compress(html).byteLength, 0);
  return { setting, "µs per page (median)": Math.round(median(perPage)), "KB, all pages": Math.round(bytes / 102.4) / 10 };
});
console.log(`${pages.length} pages from ${dir}, ${Math.round(pages.reduce((s, p) => s + p.byteLength, 0) / 1024)} KB uncompressed`);
console.table(rows);
