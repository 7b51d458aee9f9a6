// The page a refused cross-site request gets. It is answered before Remix runs, so it carries the
// message in all four languages, read from the locale files once at start.
import { readFileSync } from "node:fs";

const LNGS = ["zh-Hans", "bo", "ii", "en"];

export function forbiddenPage(localesDir) {
  const parts = LNGS.map((lng) => {
    const errors = JSON.parse(readFileSync(`${localesDir}/${lng}/errors.json`, "utf8"));
    return `<section lang="${lng}"><h1>${errors.crossSiteTitle}</h1><p>${errors.crossSiteBody}</p></section>`;
  });
  return `<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>403</title></head><body>${parts.join("")}<p><a href="/">/</a></p></body></html>`;
}
