import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import {
  BROWSER_SESSION_MAX_MS,
  createSession,
  invalidateSession,
  REMEMBER_ABSOLUTE_MS,
  REMEMBER_SLIDING_MS,
  sessionCookie,
  sessionIdFromToken,
  sessionTokenFromRequest,
  validateSessionToken,
} from "~/domain/accounts/sessions.server";
import { demoWorld, userByLogin } from "../support/world";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeAll(async () => {
  await demoWorld();
});

describe("sessions", () => {
  it("stores only the SHA-256 of a token of at least 128 random bits", async () => {
    const user = await userByLogin("wuhou-pri.t2");
    const { token, session } = await createSession(user.id, { remember: false, activeRole: "teacher" });
    expect(token).toMatch(/^[a-z2-7]{32}$/); // 20 bytes, base32: 160 bits
    expect(session.id).toBe(sessionIdFromToken(token));
    expect(session.id).not.toContain(token);
    const stored = await db().select().from(schema.sessions).where(eq(schema.sessions.userId, user.id));
    expect(stored.map((s) => s.id)).toContain(session.id);
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it("ends a browser session after 12 hours at most", async () => {
    const user = await userByLogin("wuhou-pri.t2");
    const start = Date.now();
    const { token } = await createSession(user.id, { remember: false, activeRole: "teacher" }, start);
    expect(await validateSessionToken(token, start + BROWSER_SESSION_MAX_MS - 1)).not.toBeNull();
    expect(await validateSessionToken(token, start + BROWSER_SESSION_MAX_MS)).toBeNull();
    // An expired session is deleted, not just refused.
    expect(await validateSessionToken(token, start)).toBeNull();
  });

  it("slides a remembered session with use, but never past its absolute cap", async () => {
    const user = await userByLogin("wuhou-pri.t2");
    const start = Date.now();
    const { token } = await createSession(user.id, { remember: true, activeRole: "teacher" }, start);
    let now = start;
    // Used every 20 days, it lives on until the 90-day cap, then ends.
    while (now + 20 * DAY < start + REMEMBER_ABSOLUTE_MS) {
      now += 20 * DAY;
      expect(await validateSessionToken(token, now), `day ${(now - start) / DAY}`).not.toBeNull();
    }
    expect(await validateSessionToken(token, start + REMEMBER_ABSOLUTE_MS)).toBeNull();
    // Unused for longer than the sliding window, it ends.
    const idle = await createSession(user.id, { remember: true, activeRole: "teacher" }, start);
    expect(await validateSessionToken(idle.token, start + REMEMBER_SLIDING_MS + 1)).toBeNull();
  });

  it("ends on sign-out and for a disabled account", async () => {
    const user = await userByLogin("wuhou-pri.t2");
    const { token, session } = await createSession(user.id, { remember: false, activeRole: "teacher" });
    await invalidateSession(session.id);
    expect(await validateSessionToken(token)).toBeNull();
    const second = await createSession(user.id, { remember: false, activeRole: "teacher" });
    await db().update(schema.users).set({ status: "disabled" }).where(eq(schema.users.id, user.id));
    expect(await validateSessionToken(second.token)).toBeNull();
    await db().update(schema.users).set({ status: "active" }).where(eq(schema.users.id, user.id));
  });

  it("sets an HttpOnly SameSite=Lax cookie, __Host- and Secure over HTTPS, and no expiry unless remembered", async () => {
    const user = await userByLogin("wuhou-pri.t2");
    const browser = await createSession(user.id, { remember: false, activeRole: "teacher" });
    const https = new Request("https://space.example/login");
    const cookie = sessionCookie(https, browser.token, browser.session);
    expect(cookie).toMatch(/^__Host-session=[a-z2-7]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    const remembered = await createSession(user.id, { remember: true, activeRole: "teacher" });
    expect(sessionCookie(https, remembered.token, remembered.session)).toMatch(/Expires=/);
    const http = new Request("http://localhost:3000/login");
    expect(sessionCookie(http, browser.token, browser.session)).toMatch(/^session=.*HttpOnly; SameSite=Lax$/);
    const back = new Request("https://space.example/", { headers: { Cookie: `lng=bo; __Host-session=${browser.token}` } });
    expect(sessionTokenFromRequest(back)).toBe(browser.token);
  });
});

describe("housekeeping", () => {
  it("removes expired sessions and spent throttle counters, and keeps live ones", async () => {
    const { deleteExpiredSessions } = await import("~/domain/accounts/sessions.server");
    const { deleteStaleThrottles, recordFailure, throttleKeys } = await import("~/domain/accounts/throttle.server");
    const user = await userByLogin("wuhou-pri.t2");
    const old = Date.now() - 2 * DAY;
    const expired = await createSession(user.id, { remember: false, activeRole: "teacher" }, old);
    const live = await createSession(user.id, { remember: false, activeRole: "teacher" });
    expect(await deleteExpiredSessions()).toBeGreaterThanOrEqual(1);
    expect(await first(db().select().from(schema.sessions).where(eq(schema.sessions.id, expired.session.id)).limit(1))).toBeUndefined();
    expect(await validateSessionToken(live.token)).not.toBeNull();

    await recordFailure(throttleKeys("signin", "someone", "192.0.2.50"), old);
    await recordFailure(throttleKeys("signin", "someone-else", "192.0.2.51"));
    await deleteStaleThrottles();
    const keys = (await db().select().from(schema.attemptThrottles)).map((r) => r.key);
    expect(keys.some((k) => k.includes("someone|"))).toBe(false);
    expect(keys.some((k) => k.includes("someone-else|"))).toBe(true);
  });
});
