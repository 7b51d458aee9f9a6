#!/usr/bin/env node
// The project's own locale check (run by `npm run lint` and by tests/unit/locales.test.ts): every
// locale has the same keys, no value is empty, placeholders match the Chinese, Tibetan values carry
// Tibetan letters (U+0F00–U+0FFF) and Yi values Yi syllables (U+A000–U+A4CF).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REQUIRED = ["zh-Hans", "bo", "ii", "en"];
const SCRIPT = { bo: /[\u0F00-\u0FFF]/, ii: /[\uA000-\uA4CF]/ };

function flatten(obj, prefix = "", out = {}) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object") flatten(v, key, out);
    else out[key] = v;
  }
  return out;
}

const placeholders = (v) => [...String(v).matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)].map((m) => m[1]).sort().join(",");

/** Reads locales/<lng>/<ns>.json (files starting with _ are metadata) into lng → "ns:key" → value. */
export function readLocales(root) {
  const table = {};
  for (const lng of readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory())) {
    table[lng] = {};
    for (const file of readdirSync(join(root, lng)).filter((f) => f.endsWith(".json") && !f.startsWith("_"))) {
      const data = JSON.parse(readFileSync(join(root, lng, file), "utf8"));
      for (const [k, v] of Object.entries(flatten(data))) table[lng][`${file.slice(0, -5)}:${k}`] = v;
    }
  }
  return table;
}

/** Every problem found, as readable lines; an empty list means the locales are complete. */
export function checkLocales(root) {
  const problems = [];
  let table;
  try {
    table = readLocales(root);
  } catch (e) {
    return [`cannot read ${root}: ${e.message}`];
  }
  for (const need of REQUIRED) if (!table[need]) problems.push(`locale ${need} is missing`);
  const allKeys = new Set(Object.values(table).flatMap((t) => Object.keys(t)));
  const source = table["zh-Hans"] ?? {};
  for (const [lng, values] of Object.entries(table)) {
    for (const key of allKeys) {
      if (!(key in values)) problems.push(`${lng}: missing ${key}`);
      else if (typeof values[key] !== "string" || values[key].trim() === "") problems.push(`${lng}: empty ${key}`);
      else if (key in source && placeholders(values[key]) !== placeholders(source[key])) problems.push(`${lng}: ${key} has placeholders {${placeholders(values[key])}} but zh-Hans has {${placeholders(source[key])}}`);
      else if (SCRIPT[lng]) {
        const bare = values[key].replace(/\{\{[^}]*\}\}|<[^>]*>/g, "");
        if (/\p{L}/u.test(bare) && !SCRIPT[lng].test(bare)) problems.push(`${lng}: ${key} has no ${lng} script: "${bare.slice(0, 40)}"`);
      }
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? fileURLToPath(new URL("../locales", import.meta.url));
  const problems = checkLocales(root);
  if (problems.length) {
    console.error(problems.join("\n"));
    console.error(`${problems.length} locale problems`);
    process.exit(1);
  }
  console.log(`locales ok: ${REQUIRED.join(", ")}`);
}
