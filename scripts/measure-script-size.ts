// How big Yi and Tibetan interface glyphs look next to Han at the same font size, measured in Chromium
// with the fonts the app uses: the mean ink height and ink width (canvas measureText bounding boxes) of
// every distinct Yi syllable / Tibetan stack / Han character in the locale files, and the fonts' ex and
// cap heights, which `font-size-adjust` scales by. The ratios pick the :lang(ii) / :lang(bo) size rules in
// app/styles/app.css. Usage: npm run measure:scripts
import { readLocales } from "./check-locales.mjs";
import { launchChromium } from "./demo-server";

const table = readLocales("locales") as Record<string, Record<string, string>>;
const distinct = (lng: string, re: RegExp) => [...new Set(Object.values(table[lng]!).flatMap((v) => v.match(re) ?? []))];
const samples = {
  han: { family: "Noto Sans CJK SC", glyphs: distinct("zh-Hans", /\p{Script=Han}/gu) },
  yi: { family: "Noto Sans Yi", glyphs: distinct("ii", /[\uA000-\uA48F]/gu) },
  // A Tibetan syllable is a stack of code points: measure syllables, split at the tsheg.
  tibetan: { family: "Noto Serif Tibetan", glyphs: distinct("bo", /[\u0F40-\u0FBC]+/gu) },
};

const browser = await launchChromium();
const page = await browser.newPage();
await page.setContent("<p>measure</p>");
const SIZE = 100;
const rows = await page.evaluate(
  async ({ samples, SIZE }) => {
    const ctx = document.createElement("canvas").getContext("2d")!;
    const result: Record<string, { glyphs: number; inkHeight: number; inkWidth: number; ex: number; cap: number }> = {};
    for (const [name, { family, glyphs }] of Object.entries(samples)) {
      await document.fonts.load(`${SIZE}px "${family}"`, glyphs.join(""));
      ctx.font = `${SIZE}px "${family}"`;
      let height = 0;
      let width = 0;
      for (const glyph of glyphs) {
        const m = ctx.measureText(glyph);
        height += m.actualBoundingBoxAscent + m.actualBoundingBoxDescent;
        width += m.actualBoundingBoxLeft + m.actualBoundingBoxRight;
      }
      const probe = document.createElement("div");
      probe.style.cssText = `font: ${SIZE}px "${family}"; position: absolute`;
      probe.innerHTML = '<div style="height: 1ex"></div><div style="height: 1cap"></div>';
      document.body.append(probe);
      const [ex, cap] = [...probe.children].map((c) => c.getBoundingClientRect().height / SIZE);
      probe.remove();
      result[name] = { glyphs: glyphs.length, inkHeight: height / glyphs.length / SIZE, inkWidth: width / glyphs.length / SIZE, ex: ex!, cap: cap! };
    }
    return result;
  },
  { samples, SIZE },
);
await browser.close();

const han = rows.han!;
console.log("script   glyphs  ink height  ink width  ink area vs Han  ex      cap     size for Han's apparent size");
for (const [name, r] of Object.entries(rows)) {
  const area = (r.inkHeight * r.inkWidth) / (han.inkHeight * han.inkWidth);
  console.log(
    `${name.padEnd(8)} ${String(r.glyphs).padStart(6)}  ${r.inkHeight.toFixed(3).padStart(10)}  ${r.inkWidth.toFixed(3).padStart(9)}  ${`${(area * 100).toFixed(0)} %`.padStart(15)}  ${r.ex.toFixed(3)}  ${r.cap.toFixed(3)}  ×${Math.sqrt(1 / area).toFixed(2)} (by height ×${(han.inkHeight / r.inkHeight).toFixed(2)})`,
  );
}
