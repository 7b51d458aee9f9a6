// Issue 14, item 4: Tibetan and Yi are readable at once. The interface fonts are subsets built from the
// locale files (scripts/build-font-subsets.mjs); these tests fail when a translator adds a letter the
// committed subset lacks, or when the switcher's autonyms lose their inline font.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { autonyms } from "~/i18n";
import { contentSecurityPolicy } from "../../server/security-headers.mjs";

const fontsDir = join(__dirname, "../../app/styles/fonts");
const css = readFileSync(join(fontsDir, "subsets.css"), "utf8");

/** The code points a family's @font-face rules claim, from their unicode-range. */
function claimed(family: string): Set<number> {
  const points = new Set<number>();
  for (const face of css.split("@font-face").slice(1)) {
    if (!face.includes(`font-family: "${family}"`)) continue;
    const range = /unicode-range: ([^;]+);/.exec(face)?.[1] ?? "";
    for (const part of range.split(",")) {
      const [from = "", to = from] = part.trim().replace("U+", "").split("-");
      for (let cp = parseInt(from, 16); cp <= parseInt(to, 16); cp++) points.add(cp);
    }
  }
  return points;
}

function localeLetters(lng: string, script: RegExp): number[] {
  const letters = new Set<number>();
  for (const file of readdirSync(join(__dirname, "../../locales", lng))) {
    if (file.startsWith("_")) continue;
    for (const ch of readFileSync(join(__dirname, "../../locales", lng, file), "utf8")) if (script.test(ch)) letters.add(ch.codePointAt(0)!);
  }
  return [...letters];
}

const hex = (cps: number[]) => cps.map((cp) => `U+${cp.toString(16).toUpperCase()}`);

describe("issue 14.4: interface font subsets", () => {
  it("the Tibetan interface subset holds every Tibetan letter of the bo locale files", () => {
    const subset = claimed("Noto Serif Tibetan UI");
    expect(hex(localeLetters("bo", /[\u0F00-\u0FFF]/u).filter((cp) => !subset.has(cp)))).toEqual([]);
  });

  it("the Yi interface subset holds every Yi syllable of the ii locale files", () => {
    const subset = claimed("Noto Sans Yi UI");
    expect(hex(localeLetters("ii", /[\uA000-\uA4CF]/u).filter((cp) => !subset.has(cp)))).toEqual([]);
  });

  it("each subset file is small enough for a first page within 60 KB, fonts included", () => {
    for (const file of ["noto-serif-tibetan-ui.woff2", "noto-sans-yi-ui.woff2"]) expect(statSync(join(fontsDir, file)).size).toBeLessThan(20 * 1024);
  });

  it("the switcher's Tibetan and Yi labels have glyphs inline, which the security policy lets load", () => {
    const autonymFont = claimed("Autonyms");
    for (const lng of ["bo", "ii"] as const) expect(hex([...autonyms[lng]].map((ch) => ch.codePointAt(0)!).filter((cp) => !autonymFont.has(cp)))).toEqual([]);
    expect(css.match(/url\("data:font\/woff2;base64,/g)).toHaveLength(2);
    expect(contentSecurityPolicy("n")).toMatch(/font-src 'self' data:/);
  });

  it("no Chinese character or punctuation is claimed, so a Chinese page fetches none of these fonts", () => {
    for (const family of ["Noto Serif Tibetan UI", "Noto Sans Yi UI", "Autonyms"]) expect([...claimed(family)].filter((cp) => cp >= 0x3000 && cp <= 0x9fff)).toEqual([]);
  });
});
