// i18next settings shared by the server and the browser.
export const supportedLngs = ["zh-Hans", "bo", "ii", "en"] as const;
export type Lng = (typeof supportedLngs)[number];
export const fallbackLng: Lng = "zh-Hans";
export const namespaces = ["common", "auth", "home", "errors", "roster", "flags", "classes", "rollout", "audit", "regions", "adoption", "space", "files", "blog", "portfolio", "social", "lessons", "classSpace", "assignments", "grading", "guardianLinks", "consent", "progress", "groups", "groupThreads", "groupLibrary", "groupTasks", "library", "libraryCoverage"] as const;

export function isLng(value: unknown): value is Lng {
  return typeof value === "string" && (supportedLngs as readonly string[]).includes(value);
}

export default {
  supportedLngs: [...supportedLngs],
  fallbackLng,
  defaultNS: "common",
  ns: [...namespaces],
  interpolation: { escapeValue: false }, // React escapes
};

/** Each language named in itself, as a language switcher shows it (not translated, by design). */
export const autonyms: Record<Lng, string> = { "zh-Hans": "中文", bo: "བོད་ཡིག", ii: "ꆈꌠꉙ", en: "English" };

/** What a route may declare in its `handle`. */
export type RouteHandle = {
  /** Ship React and hydrate this page (editors, live forms). Read-only pages leave it off. */
  hydrate?: boolean;
  /** Locale namespaces the page's components use once hydrated (the browser loads them before hydrating). */
  i18n?: readonly Namespace[];
  /** The page has a long form (data-draft) to keep browser drafts of, without hydrating (see FormDrafts). */
  drafts?: boolean;
};

export type Namespace = (typeof namespaces)[number];
