// Sessions as in the Lucia guide: a random token (160 bits) in the cookie, only its SHA-256 hash in
// the database, a new session at every sign-in. Shared classroom computers are the default case: a
// session lasts until the browser closes and at most 12 hours. "Remember this device" gives a
// 30-day session that slides with use, never past an absolute cap of 90 days.
import { timingSafeEqual } from "node:crypto";
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { parse, serialize } from "cookie";
import { eq, lt } from "drizzle-orm";
import { db, schema, changedRows, only } from "#db/client";
import { keyedHash, serverSecret } from "../foundation/server-secrets.server";
import type { Role } from "#db/schema";
import { actorOf, type Actor, type RoleGrant, type SignedInActor } from "../foundation/actor.server";
import { randomId } from "../foundation/ids.server";
import { knownForRequest, oncePerRequest } from "~/lib/request-scope.server";
import { knownConsent, consentColumns } from "../people/consent-state.server";
import { HOUSEHOLD_LOCALE, householdLocale } from "./locale.server";
import { knownReader } from "../people/people.server";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const BROWSER_SESSION_MAX_MS = 12 * HOUR;
export const REMEMBER_SLIDING_MS = 30 * DAY;
export const REMEMBER_ABSOLUTE_MS = 90 * DAY;

export type Session = typeof schema.sessions.$inferSelect;

export function generateSessionToken(): string {
  return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
}

export function sessionIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(
  userId: string,
  options: { remember: boolean; activeRole: Role; userAgent?: string | null },
  now = Date.now(),
): Promise<{ token: string; session: Session }> {
  const token = generateSessionToken();
  const absoluteExpiresAt = new Date(now + (options.remember ? REMEMBER_ABSOLUTE_MS : BROWSER_SESSION_MAX_MS));
  const expiresAt = new Date(now + (options.remember ? REMEMBER_SLIDING_MS : BROWSER_SESSION_MAX_MS));
  const session = await only(db()
      .insert(schema.sessions)
      .values({
        id: sessionIdFromToken(token),
        userId,
        activeRole: options.activeRole,
        remember: options.remember,
        expiresAt,
        absoluteExpiresAt,
        userAgent: options.userAgent?.slice(0, 200) ?? null,
        createdAt: new Date(now),
      })
      .returning());
  return { token, session };
}

/** The session and its active user for a token, or null; renews a remembered session as it is used. */
export async function validateSessionToken(token: string, now = Date.now()): Promise<{ session: Session; actor: SignedInActor } | null> {
  const id = sessionIdFromToken(token);
  // The session, its user and their roles in one statement: a row per role held (none: one row).
  const rows = await db()
      .select({ session: schema.sessions, user: schema.users, role: { role: schema.userRoles.role, regionId: schema.userRoles.regionId, schoolId: schema.userRoles.schoolId }, ...consentColumns(), householdLocale: householdLocale() })
      .from(schema.sessions)
      .innerJoin(schema.users, eq(schema.users.id, schema.sessions.userId))
      .leftJoin(schema.userRoles, eq(schema.userRoles.userId, schema.sessions.userId))
      .where(eq(schema.sessions.id, id));
  if (!rows.length) return null;
  const { session, user } = rows[0]!;
  if (now >= session.expiresAt.getTime() || now >= session.absoluteExpiresAt.getTime() || user.status !== "active") {
    await db().delete(schema.sessions).where(eq(schema.sessions.id, id));
    return null;
  }
  // Renew once less than half of the sliding window remains, so most requests write nothing.
  if (session.remember && session.expiresAt.getTime() - now < REMEMBER_SLIDING_MS / 2) {
    session.expiresAt = new Date(Math.min(now + REMEMBER_SLIDING_MS, session.absoluteExpiresAt.getTime()));
    await db().update(schema.sessions).set({ expiresAt: session.expiresAt }).where(eq(schema.sessions.id, id));
  }
  // Adoption counts people active in the last 7 days; an hourly resolution is plenty and saves writes.
  if (!user.lastSeenAt || now - user.lastSeenAt.getTime() > HOUR) {
    await db().update(schema.users).set({ lastSeenAt: new Date(now) }).where(eq(schema.users.id, user.id));
  }
  const roles: RoleGrant[] = rows.flatMap((r) => (r.role ? [r.role] : []));
  // A role taken away since sign-in falls back to the first role still held.
  const activeRole = roles.some((r) => r.role === session.activeRole) ? session.activeRole : roles[0]?.role;
  if (!activeRole) return null;
  knownReader(user, roles);
  knownConsent(user.id, rows[0]!);
  knownForRequest(HOUSEHOLD_LOCALE, user.id, rows[0]!.householdLocale);
  return { session, actor: actorOf(user, roles, activeRole, session.id) };
}

export async function invalidateSession(sessionId: string): Promise<void> {
  await db().delete(schema.sessions).where(eq(schema.sessions.id, sessionId));
}

/** Removes sessions past their expiry (they are refused anyway; this keeps the table small). */
export async function deleteExpiredSessions(now = Date.now()): Promise<number> {
  return (changedRows(db().delete(schema.sessions).where(lt(schema.sessions.expiresAt, new Date(now)))));
}

// ---- the cookie ----

function isSecure(request: Request) {
  return new URL(request.url).protocol === "https:";
}

/** `__Host-` needs Secure, so plain-HTTP development uses an unprefixed name. */
export function sessionCookieName(request: Request) {
  return isSecure(request) ? "__Host-session" : "session";
}

export function sessionTokenFromRequest(request: Request): string | null {
  const cookies = parse(request.headers.get("Cookie") ?? "");
  return cookies[sessionCookieName(request)] ?? null;
}

export function sessionCookie(request: Request, token: string, session: Session): string {
  return serialize(sessionCookieName(request), token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: isSecure(request),
    // No Max-Age: the cookie ends with the browser, as a shared classroom computer needs.
    ...(session.remember ? { expires: session.absoluteExpiresAt } : {}),
  });
}

export function blankSessionCookie(request: Request): string {
  return serialize(sessionCookieName(request), "", { httpOnly: true, sameSite: "lax", path: "/", secure: isSecure(request), maxAge: 0 });
}

// The root loader, the route's loader and the page title all ask for the actor of one request.
const actorOfRequest = new WeakMap<Request, Actor>();

/** The signed-in actor of a request, or null for anonymous. */
export async function actorFromRequest(request: Request): Promise<Actor> {
  if (actorOfRequest.has(request)) return actorOfRequest.get(request)!;
  const token = sessionTokenFromRequest(request);
  // Each loader gets its own copy of the Request: the scope of the HTTP request keeps one actor for all.
  const actor = token ? await oncePerRequest(`actor:${token}`, async () => (await validateSessionToken(token))?.actor ?? null) : null;
  actorOfRequest.set(request, actor);
  return actor;
}

// ---- known devices ----
// OWASP's "device cookies": a browser that has signed in as an account before carries a signed mark
// for that account, and its attempts are throttled on their own instead of under the account's lock,
// so nobody can keep an owner out by failing on their login name. One cookie holds the marks of the
// last few accounts used on the browser, since a classroom computer serves many pupils.

const KNOWN_DEVICE_ACCOUNTS = 12;
const KNOWN_DEVICE_MS = 365 * DAY;

function signingSecret(): Promise<string> {
  return serverSecret();
}

async function deviceMark(userId: string, deviceId: string): Promise<string> {
  return `${userId}.${deviceId}.${keyedHash(await signingSecret(), `known-device|${userId}|${deviceId}`)}`;
}

function deviceMarks(cookieValue: string | null | undefined): string[] {
  return (cookieValue ?? "").split("~").filter(Boolean).slice(0, KNOWN_DEVICE_ACCOUNTS);
}

/** The device id this browser has as `userId`'s known device, if its mark is genuine. */
export async function knownDeviceOf(cookieValue: string | null | undefined, userId: string): Promise<string | null> {
  for (const mark of deviceMarks(cookieValue)) {
    const [markUser, deviceId] = mark.split(".");
    if (markUser !== userId || !deviceId) continue;
    const given = Buffer.from(mark);
    const genuine = Buffer.from(await deviceMark(userId, deviceId));
    if (given.length === genuine.length && timingSafeEqual(given, genuine)) return deviceId;
  }
  return null;
}

/** The cookie value after `userId` signed in on this browser: their mark first, the oldest dropped. */
export async function rememberKnownDevice(cookieValue: string | null | undefined, userId: string): Promise<string> {
  const deviceId = (await knownDeviceOf(cookieValue, userId)) ?? randomId(16);
  const others = deviceMarks(cookieValue).filter((m) => !m.startsWith(`${userId}.`));
  return [await deviceMark(userId, deviceId), ...others].slice(0, KNOWN_DEVICE_ACCOUNTS).join("~");
}

function knownDeviceCookieName(request: Request) {
  return isSecure(request) ? "__Host-device" : "device";
}

export function knownDevicesFromRequest(request: Request): string | null {
  return parse(request.headers.get("Cookie") ?? "")[knownDeviceCookieName(request)] ?? null;
}

export function knownDeviceCookie(request: Request, value: string, now = Date.now()): string {
  return serialize(knownDeviceCookieName(request), value, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: isSecure(request),
    expires: new Date(now + KNOWN_DEVICE_MS),
  });
}
