// Which language a page speaks: the person's own choice, then the language cookie, then their
// school's default (for a parent, who has no school: their children's), then Accept-Language
// (browsers almost never send bo or ii), then Chinese.
import { parse, serialize } from "cookie";
import { eq, sql } from "drizzle-orm";
import { db, schema, first } from "#db/client";
import { fallbackLng, isLng, type Lng } from "~/i18n";
import { requireSignedIn, type Actor, type SignedInActor } from "../foundation/actor.server";
import { findSchool } from "../places/schools.server";
import { manyPerRequest } from "~/lib/request-scope.server";

const COOKIE = "lng";

export async function resolveLocale(request: Request, actor: Actor): Promise<Lng> {
  if (actor?.locale && isLng(actor.locale)) return actor.locale;
  const fromCookie = chosenLanguage(request);
  if (fromCookie) return fromCookie;
  const schoolLocale = actor ? await schoolDefaultOf(actor) : null;
  if (schoolLocale) return schoolLocale;
  return fromAcceptLanguage(request.headers.get("Accept-Language")) ?? fallbackLng;
}

// A page resolves its language several times (root, i18next, the route), and the actor is made once
// per request, so its school default is looked up once per request.
const schoolDefaults = new WeakMap<SignedInActor, Lng | null>();

async function schoolDefaultOf(actor: SignedInActor): Promise<Lng | null> {
  if (!schoolDefaults.has(actor)) {
    const locale = actor.schoolId ? (await findSchool(actor.schoolId))?.defaultLocale : await parentsSchoolDefault(actor);
    schoolDefaults.set(actor, isLng(locale) ? locale : null);
  }
  return schoolDefaults.get(actor)!;
}

/**
 * A parent's default: the school of the child they linked first. When the children's schools differ,
 * the first link is the code the parent joined with, the school that brought the family here; falling
 * back to Chinese would give a Tibetan or Yi family exactly what this default exists to avoid, and the
 * switcher (whose choice is then saved) is on every page for the rest.
 */
async function parentsSchoolDefault(actor: SignedInActor): Promise<string | undefined> {
  if (!actor.roles.some((grant) => grant.role === "parent")) return undefined;
  // The session statement has usually left it in the request scope; read on its own otherwise.
  const read = async () => (await first(db().select({ locale: householdLocale() }).from(schema.users).where(eq(schema.users.id, actor.id)).limit(1)))?.locale ?? null;
  return (await manyPerRequest(HOUSEHOLD_LOCALE, [actor.id], async () => new Map([[actor.id, await read()]]))).get(actor.id) ?? undefined;
}

/** The request-scope kind under which the session statement leaves what it read (sessions.server). */
export const HOUSEHOLD_LOCALE = "household-locale";

/**
 * The default language of the school of the first child a user is linked to (null: none), as a column
 * of any statement that reads `users`: the session statement carries it, so a parent's page does not
 * look it up again.
 */
export function householdLocale() {
  return sql<string | null>`(select s.default_locale from guardian_links gl join users u on u.id = gl.student_id join schools s on s.id = u.school_id where gl.guardian_id = "users"."id" order by gl.created_at, gl.id limit 1)`.as("household_locale");
}

/**
 * The language this browser picked with the switcher, if any: what a new account may keep as its own
 * choice. A guess from Accept-Language must not be saved, or it would outrank the school default for good.
 */
export function chosenLanguage(request: Request): Lng | undefined {
  const fromCookie = parse(request.headers.get("Cookie") ?? "")[COOKIE];
  return isLng(fromCookie) ? fromCookie : undefined;
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
export async function setPreferredLocale(actor: Actor, lng: Lng): Promise<void> {
  const signedIn = requireSignedIn(actor);
  await db().update(schema.users).set({ locale: lng }).where(eq(schema.users.id, signedIn.id));
}
