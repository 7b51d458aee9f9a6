import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkLocales } from "../../scripts/check-locales.mjs";

const locales = fileURLToPath(new URL("../../locales", import.meta.url));

function fixture(files: Record<string, Record<string, unknown>>) {
  const root = mkdtempSync(join(tmpdir(), "locales-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), JSON.stringify(content));
  }
  return root;
}

describe("locale files", () => {
  it("have the same keys in zh-Hans, bo, ii and en, with Tibetan and Yi script", () => {
    expect(checkLocales(locales)).toEqual([]);
  });

  it("are refused when a key is missing, a Tibetan value is Chinese, or a Yi value is English", () => {
    const root = fixture({
      "zh-Hans/common.json": { hello: "你好", bye: "再见" },
      "en/common.json": { hello: "Hello", bye: "Bye" },
      "bo/common.json": { hello: "བཀྲ་ཤིས་བདེ་ལེགས།", bye: "再见" },
      "ii/common.json": { hello: "Hello" },
    });
    const problems = checkLocales(root);
    expect(problems).toContain("ii: missing common:bye");
    expect(problems.some((p) => p.startsWith("bo: common:bye has no bo script"))).toBe(true);
    expect(problems.some((p) => p.startsWith("ii: common:hello has no ii script"))).toBe(true);
  });

  it("are refused when a translation drops a placeholder", () => {
    const root = fixture({
      "zh-Hans/auth.json": { wait: "请 {{minutes}} 分钟后再试" },
      "en/auth.json": { wait: "Try again later" },
      "bo/auth.json": { wait: "སྐར་མ་ {{minutes}} རྗེས།" },
      "ii/auth.json": { wait: "ꀉꄿ {{minutes}}" },
    });
    expect(checkLocales(root)).toEqual(["en: auth:wait has placeholders {} but zh-Hans has {minutes}"]);
  });
});
