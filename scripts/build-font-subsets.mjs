// Builds the Tibetan and Yi interface fonts (DESIGN.md §2.3: "subset fonts for the interface's own
// glyphs, the full fonts later") and the language switcher's autonym font, from the @fontsource files.
// Usage: npm run fonts:subset (run it after changing a bo or ii locale file; `--check` fails when the
// committed files are out of date, so CI needs nothing beyond npm).
//
// Why shaping and not just code points: Tibetan stacks are ligature glyphs reached through GSUB, and
// a code-point subset keeps every stack its letters can form (≈68 KB of the 160 KB font for the ≈60
// letters the interface uses). Shaping each interface string with HarfBuzz and keeping only the glyphs
// it produced (no layout closure) gives ≈7 KB that renders those strings exactly as the full font does.
import { Buffer } from "node:buffer";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import fontverter from "fontverter";
import * as hb from "harfbuzzjs";

const require = createRequire(import.meta.url);
const root = new URL("..", import.meta.url).pathname;
const out = join(root, "app/styles/fonts");

const TIBETAN = /[\u0F00-\u0FFF]/u;
const YI = /[\uA000-\uA4CF]/u;
// Digits, tsheg and shad (with their common variants) appear in names, dates and user content.
const TIBETAN_EXTRA = "༠༡༢༣༤༥༦༧༨༩་༌།༎༏༔";
const YI_EXTRA = "ꀕ"; // the iteration mark
// The switcher's labels, as app/components/SiteHeader.tsx writes them.
const AUTONYMS = { bo: "བོད་ཡིག", ii: "ꆈꌠꉙ" };

const sources = {
  bo: require.resolve("@fontsource/noto-serif-tibetan/files/noto-serif-tibetan-tibetan-400-normal.woff2"),
  ii: require.resolve("@fontsource/noto-sans-yi/files/noto-sans-yi-yi-400-normal.woff2"),
};

/** Every string value of a locale's JSON files, placeholders and all. */
function localeStrings(lng) {
  const strings = [];
  const collect = (value) => {
    if (typeof value === "string") strings.push(value);
    else if (value && typeof value === "object") Object.values(value).forEach(collect);
  };
  for (const file of readdirSync(join(root, "locales", lng)).sort()) {
    if (file.endsWith(".json") && !file.startsWith("_")) collect(JSON.parse(readFileSync(join(root, "locales", lng, file), "utf8")));
  }
  return strings;
}

/** Runs of the script inside each string: the text the font will actually shape. */
function scriptRuns(strings, script) {
  const runs = new Set();
  const pattern = new RegExp(`(?:${script.source})+`, "gu");
  for (const s of strings) for (const run of s.match(pattern) ?? []) runs.add(run);
  return [...runs].sort();
}

/** Glyph ids HarfBuzz produces for these texts with this font. */
function shapedGlyphs(ttf, texts) {
  const font = new hb.Font(new hb.Face(new hb.Blob(ttf)));
  const glyphs = new Set();
  for (const text of texts) {
    const buffer = new hb.Buffer();
    buffer.addText(text);
    buffer.guessSegmentProperties();
    hb.shape(font, buffer);
    for (const info of buffer.getGlyphInfos()) glyphs.add(info.codepoint);
  }
  return glyphs;
}

const HB_MEMORY_MODE_WRITABLE = 2;
const HB_SUBSET_SETS_GLYPH_INDEX = 0;
const HB_SUBSET_SETS_LAYOUT_FEATURE_TAG = 6;
const HB_SUBSET_FLAGS_NO_HINTING = 0x1;
const HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE = 0x200;

const subsetter = await (async () => {
  const { instance } = await globalThis.WebAssembly.instantiate(readFileSync(require.resolve("harfbuzzjs/dist/harfbuzz-subset.wasm")));
  instance.exports._initialize();
  return instance.exports;
})();

/** A TrueType font holding exactly these code points and glyphs, with every layout feature kept. */
function subset(ttf, codePoints, glyphs) {
  const h = subsetter;
  const heap = () => new Uint8Array(h.memory.buffer);
  const input = h.hb_subset_input_create_or_fail();
  const pointer = h.malloc(ttf.byteLength);
  heap().set(ttf, pointer);
  const blob = h.hb_blob_create(pointer, ttf.byteLength, HB_MEMORY_MODE_WRITABLE, 0, 0);
  const face = h.hb_face_create(blob, 0);
  h.hb_blob_destroy(blob);
  const features = h.hb_subset_input_set(input, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG);
  h.hb_set_clear(features);
  h.hb_set_invert(features);
  // Hinting is for small sizes on old Windows; phones ignore it, and it is a third of the bytes.
  h.hb_subset_input_set_flags(input, h.hb_subset_input_get_flags(input) | HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE | HB_SUBSET_FLAGS_NO_HINTING);
  const unicodes = h.hb_subset_input_unicode_set(input);
  for (const cp of codePoints) h.hb_set_add(unicodes, cp);
  const glyphSet = h.hb_subset_input_set(input, HB_SUBSET_SETS_GLYPH_INDEX);
  for (const gid of glyphs) h.hb_set_add(glyphSet, gid);
  const result = h.hb_subset_or_fail(face, input);
  h.hb_subset_input_destroy(input);
  if (!result) throw new Error("HarfBuzz could not subset the font");
  const resultBlob = h.hb_face_reference_blob(result);
  const start = h.hb_blob_get_data(resultBlob, 0);
  const bytes = heap().slice(start, start + h.hb_blob_get_length(resultBlob));
  h.hb_blob_destroy(resultBlob);
  h.hb_face_destroy(result);
  h.hb_face_destroy(face);
  h.free(pointer);
  return bytes;
}

/** CSS unicode-range for a set of code points, runs collapsed. */
function unicodeRange(codePoints) {
  const sorted = [...codePoints].sort((a, b) => a - b);
  const parts = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    const hex = (n) => n.toString(16).toUpperCase();
    parts.push(i === j ? `U+${hex(sorted[i])}` : `U+${hex(sorted[i])}-${hex(sorted[j])}`);
    i = j;
  }
  return parts.join(", ");
}

async function build(lng, texts, extra) {
  const ttf = new Uint8Array(await fontverter.convert(readFileSync(sources[lng]), "truetype"));
  const codePoints = new Set([...texts.join(""), ...extra].map((c) => c.codePointAt(0)));
  const woff2 = await fontverter.convert(Buffer.from(subset(ttf, codePoints, shapedGlyphs(ttf, [...texts, ...extra]))), "woff2");
  return { woff2, range: unicodeRange(codePoints) };
}

const bo = await build("bo", scriptRuns(localeStrings("bo"), TIBETAN), TIBETAN_EXTRA);
const ii = await build("ii", scriptRuns(localeStrings("ii"), YI), YI_EXTRA);
const autonymBo = await build("bo", [AUTONYMS.bo], "");
const autonymIi = await build("ii", [AUTONYMS.ii], "");

const dataUrl = (woff2) => `url("data:font/woff2;base64,${Buffer.from(woff2).toString("base64")}") format("woff2")`;
const css = `/* Generated by scripts/build-font-subsets.mjs from the bo and ii locale files: do not edit. */

/* The interface's own Tibetan and Yi glyphs (${bo.woff2.length} and ${ii.woff2.length} bytes): a first page is readable at
   once. Local fonts first (many phones have one). */
@font-face {
  font-family: "Noto Serif Tibetan UI";
  font-display: swap;
  src: local("Noto Serif Tibetan"), local("NotoSerifTibetan-Regular"), local("Microsoft Himalaya"), local("Kailasa"),
    url("./noto-serif-tibetan-ui.woff2") format("woff2");
  unicode-range: ${bo.range};
}
@font-face {
  font-family: "Noto Sans Yi UI";
  font-display: swap;
  src: local("Noto Sans Yi"), local("NotoSansYi-Regular"), local("Microsoft Yi Baiti"), url("./noto-sans-yi-ui.woff2") format("woff2");
  unicode-range: ${ii.range};
}

/* The language switcher's "${AUTONYMS.bo}" and "${AUTONYMS.ii}", inline (${autonymBo.woff2.length} and ${autonymIi.woff2.length} bytes), so a
   Tibetan or Yi reader finds their language on any page of any phone, with no request. */
@font-face {
  font-family: "Autonyms";
  src: local("Noto Serif Tibetan"), local("NotoSerifTibetan-Regular"), ${dataUrl(autonymBo.woff2)};
  unicode-range: ${autonymBo.range};
}
@font-face {
  font-family: "Autonyms";
  src: local("Noto Sans Yi"), local("NotoSansYi-Regular"), ${dataUrl(autonymIi.woff2)};
  unicode-range: ${autonymIi.range};
}
`;

const files = {
  "noto-serif-tibetan-ui.woff2": Buffer.from(bo.woff2),
  "noto-sans-yi-ui.woff2": Buffer.from(ii.woff2),
  "subsets.css": Buffer.from(css),
};
if (process.argv.includes("--check")) {
  // woff2 output is deterministic for the same input, so byte equality is the test.
  const stale = Object.entries(files).filter(([name, bytes]) => {
    try {
      return !readFileSync(join(out, name)).equals(bytes);
    } catch {
      return true;
    }
  });
  if (stale.length) {
    console.error(`Out of date: ${stale.map(([n]) => n).join(", ")}. Run npm run fonts:subset.`);
    process.exit(1);
  }
  console.log("Font subsets are up to date.");
} else {
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(out, name), bytes);
  console.log(`Tibetan UI ${bo.woff2.length} B, Yi UI ${ii.woff2.length} B, autonyms ${autonymBo.woff2.length} + ${autonymIi.woff2.length} B`);
}
