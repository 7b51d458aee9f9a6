// Which language a page speaks: the person's own choice, then the language cookie, then their
// school's default, then Accept-Language (browsers almost never send bo or ii), then Chinese.
import { parse, serialize } from "cookie";
import { eq } from "drizzle-orm";
import { db, schema } from "#db/client";
import { fallbackLng, isLng, type Lng } from "~/i18n";
import { requireSignedIn, type Actor } from "./actor.server";
import { findSchool } from "./schools.server";

const COOKIE = "lng";

export function resolveLocale(request: Request, actor: Actor): Lng {
  if (actor?.locale && isLng(actor.locale)) return actor.locale;
  const fromCookie = parse(request.headers.get("Cookie") ?? "")[COOKIE];
  if (isLng(fromCookie)) return fromCookie;
  const schoolLocale = actor?.schoolId ? findSchool(actor.schoolId)?.defaultLocale : undefined;
  if (isLng(schoolLocale)) return schoolLocale;
  return fromAcceptLanguage(request.headers.get("Accept-Language")) ?? fallbackLng;
}

/** The best supported language in an Accept-Language header, honouring q-values. */
export function fromAcceptLanguage(header: string | null): Lng | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = Number(params.find((p) => p.trim().startsWith("q="))?.trim().slice(2) ?? 1);
      return { tag: tag.toLowerCase(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const primary = tag.split("-")[0];
    if (primary === "zh") return "zh-Hans";
    if (primary === "bo" || primary === "ii" || primary === "en") return primary;
  }
  return null;
}

export function languageCookie(lng: Lng): string {
  return serialize(COOKIE, lng, { path: "/", sameSite: "lax", maxAge: 365 * 86_400 });
}

/** Saves a signed-in person's language choice so it follows them to any computer. */
export function setPreferredLocale(actor: Actor, lng: Lng): void {
  const signedIn = requireSignedIn(actor);
  db().update(schema.users).set({ locale: lng }).where(eq(schema.users.id, signedIn.id)).run();
}
