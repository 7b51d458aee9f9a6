import { createInstance, type i18n as I18n, type TFunction } from "i18next";
import { initReactI18next } from "react-i18next";
import i18nConfig, { fallbackLng, isLng, type Lng } from "~/i18n";
import { actorFromRequest } from "~/domain/accounts/sessions.server";
import { resolveLocale } from "~/domain/accounts/locale.server";

// Every locale file is bundled into the server build: no file system reads at request time.
const files = import.meta.glob<{ default: Record<string, unknown> }>(
  "../locales/*/[!_]*.json",
  { eager: true }
);
export const resources: Record<
  string,
  Record<string, Record<string, unknown>>
> = {};
for (const [path, module] of Object.entries(files)) {
  const [, lng, ns] = path.match(/locales\/([^/]+)\/([^/]+)\.json$/)!;
  (resources[lng!] ??= {})[ns!] = module.default;
}

// One i18next instance per language, made once and shared by every request in that language. The
// server never changes an instance's language, so sharing is safe; making one per request (as
// remix-i18next's getFixedT does) cost about a tenth of a small page's time (issue 17).
const instances = new Map<Lng, I18n>();

/** The shared, initialised instance for a language (for the React tree and for `t` in loaders). */
export function i18nInstance(lng: Lng): I18n {
  let instance = instances.get(lng);
  if (!instance) {
    instance = createInstance();
    // Resources are given, so init completes synchronously (initImmediate off).
    void instance
      .use(initReactI18next)
      .init({ ...i18nConfig, lng, resources, initImmediate: false });
    rememberHierarchies(instance);
    instances.set(lng, instance);
  }
  return instance;
}

/**
 * Every t() asks which languages to look in (the language, its fallbacks), normalising codes with
 * Intl each time; with four languages the answers are few and never change, so they are kept.
 */
function rememberHierarchies(instance: I18n) {
  const utils = instance.services.languageUtils as {
    toResolveHierarchy(code: string, fallbackCode?: string): string[];
  };
  const resolve = utils.toResolveHierarchy.bind(utils);
  const known = new Map<string, string[]>();
  utils.toResolveHierarchy = (code, fallbackCode) => {
    const key = `${code}\u0000${fallbackCode ?? ""}`;
    let codes = known.get(key);
    if (!codes) known.set(key, (codes = resolve(code, fallbackCode)));
    return codes;
  };
}

/** The reader's language: their choice, their school's, or the browser's (domain/locale.server). */
async function localeOf(request: Request): Promise<Lng> {
  const lng = await resolveLocale(request, await actorFromRequest(request));
  return isLng(lng) ? lng : fallbackLng;
}

export const i18next = {
  async getLocale(request: Request): Promise<Lng> {
    return localeOf(request);
  },
  /** `t` in a language (or the request's), for a namespace (common by default). */
  async getFixedT(
    lngOrRequest: string | Request,
    ns?: string | readonly string[]
  ): Promise<TFunction> {
    const lng =
      typeof lngOrRequest === "string"
        ? isLng(lngOrRequest)
          ? lngOrRequest
          : fallbackLng
        : await localeOf(lngOrRequest);
    return i18nInstance(lng).getFixedT(
      lng,
      ns as string | string[] | undefined
    );
  },
};
