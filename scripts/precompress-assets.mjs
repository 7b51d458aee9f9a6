// After `remix vite:build`: minifies public/'s plain scripts as copied into the build (the sources stay
// readable) and writes a .br (quality 11) and a .gz (level 9) beside each text file of the client build,
// so server.mjs (express-static-gzip) sends them as they are instead of compressing on every request
// (at brotli quality 4, which is worse than gzip for scripts). A phone over HTTPS gets brotli: the rich
// editor's scripts shrink from ≈137 KB (gzip) to ≈116 KB.
// Usage: node scripts/precompress-assets.mjs (BUILD_DIR names the build folder, as for the server)
import { Buffer } from "node:buffer";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { transformWithEsbuild } from "vite";

const client = join(process.env.BUILD_DIR ?? "build", "client");
const TEXT = /\.(js|mjs|css|svg|json|txt|map|webmanifest)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

let raw = 0;
let br = 0;
for (const path of [...files(client)]) {
  if (!TEXT.test(path)) continue;
  let body = readFileSync(path);
  // public/*.js are plain scripts (not bundled by Vite): minify the build's copy, keeping top-level names.
  if (path.endsWith(".js") && !relative(client, path).startsWith("assets")) {
    const { code } = await transformWithEsbuild(body.toString("utf8"), path, { minify: true, loader: "js" });
    body = Buffer.from(code);
    writeFileSync(path, body);
  }
  const brotli = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
  const gzip = gzipSync(body, { level: 9 });
  // Not worth it for tiny files: the headers outweigh the saving.
  if (brotli.length > body.length * 0.9) continue;
  writeFileSync(`${path}.br`, brotli);
  writeFileSync(`${path}.gz`, gzip);
  raw += body.length;
  br += brotli.length;
}
console.log(`precompressed ${client}: ${Math.round(raw / 1024)} KB of text → ${Math.round(br / 1024)} KB brotli`);
