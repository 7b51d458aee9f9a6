import { RemixI18Next } from "remix-i18next/server";
import i18nConfig, { fallbackLng, supportedLngs } from "~/i18n";
import { actorFromRequest } from "~/domain/sessions.server";
import { resolveLocale } from "~/domain/locale.server";

// Every locale file is bundled into the server build: no file system reads at request time.
const files = import.meta.glob<{ default: Record<string, unknown> }>("../locales/*/[!_]*.json", { eager: true });
export const resources: Record<string, Record<string, Record<string, unknown>>> = {};
for (const [path, module] of Object.entries(files)) {
  const [, lng, ns] = path.match(/locales\/([^/]+)\/([^/]+)\.json$/)!;
  (resources[lng!] ??= {})[ns!] = module.default;
}

export const i18next = new RemixI18Next({
  detection: {
    supportedLanguages: [...supportedLngs],
    fallbackLanguage: fallbackLng,
    order: ["custom"],
    findLocale: async (request) => resolveLocale(request, actorFromRequest(request)),
  },
  i18next: { ...i18nConfig, resources },
});
