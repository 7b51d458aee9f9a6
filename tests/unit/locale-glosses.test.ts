// Issue 14 item 6: Tibetan and Yi strings carry no Chinese glosses. A Han character in a bo or ii
// value is refused unless the key is on that locale's reviewed "deliberateHan" list in _meta.json,
// each entry with the reason the reviewers agreed to.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readLocales } from "../../scripts/check-locales.mjs";

const root = fileURLToPath(new URL("../../locales", import.meta.url));
const table = readLocales(root) as Record<string, Record<string, string>>;
const HAN = /\p{Script=Han}/u;

type Meta = { needsReview: string[]; deliberateHan?: { key: string; reason: string }[] };
const metaOf = (lng: string) => JSON.parse(readFileSync(`${root}/${lng}/_meta.json`, "utf8")) as Meta;

describe.each(["bo", "ii"])("issue 14 item 6: %s strings have no Chinese glosses", (lng) => {
  const meta = metaOf(lng);
  const deliberate = new Set((meta.deliberateHan ?? []).map((entry) => entry.key));

  it("no value carries Han characters unless it is on the reviewed deliberateHan list", () => {
    const glossed = Object.entries(table[lng]!)
      .filter(([key, value]) => HAN.test(value) && !deliberate.has(key))
      .map(([key, value]) => `${key}: ${value}`);
    expect(glossed).toEqual([]);
  });

  it("each deliberateHan entry names a key that exists, still has Han, gives a reason and awaits review", () => {
    for (const { key, reason } of meta.deliberateHan ?? []) {
      expect(table[lng]![key], key).toMatch(HAN);
      expect(reason.trim().length, `${key} has no reason`).toBeGreaterThan(10);
      expect(meta.needsReview, key).toContain(key);
    }
  });
});
