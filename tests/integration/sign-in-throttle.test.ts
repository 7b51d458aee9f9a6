// Issue 13, "a sign-in a classroom cannot lock": throttle attackers, not owners.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
import { DEMO_PASSWORD } from "#db/seed/demo";
import { signIn } from "~/domain/accounts/accounts.server";
import { ThrottledError, ValidationError } from "~/domain/foundation/errors.server";
import { recordFailure, throttleKeys } from "~/domain/accounts/throttle.server";
import { action } from "~/routes/login";
import { demoWorld, userByLogin } from "../support/world";

const MINUTE = 60_000;

beforeAll(async () => {
  await demoWorld();
});

async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal");
}

async function activePupils(): Promise<string[]> {
  return (await db()
      .select({ loginName: schema.users.loginName })
      .from(schema.users)
      .innerJoin(schema.userRoles, eq(schema.userRoles.userId, schema.users.id))
      .where(and(eq(schema.userRoles.role, "student"), eq(schema.users.status, "active"))))
    .map((u) => u.loginName);
}

describe("issue 13 throttling: the classroom case (one school address)", () => {
  it("after 100+ failed sign-ins from the school's one address, pupils with the right password still sign in", async () => {
    const school = { address: "10.20.30.40", userAgent: "classroom" };
    const now = Date.now();
    const pupils = (await activePupils()).slice(0, 16);
    expect(pupils.length).toBe(16);
    const [clumsy, others] = [pupils.slice(0, 4), pupils.slice(4)];
    let failures = 0;
    // A few pupils get their password wrong (short of their own lock), the rest of the class mistypes login names.
    for (const login of clumsy) {
      for (let i = 0; i < 4; i++, failures++) expect(await failure(async () => signIn({ loginName: login, password: `wrong-${i}` }, school, now))).toBeInstanceOf(ValidationError);
    }
    for (let i = 0; failures < 110; i++, failures++) {
      expect(await failure(async () => signIn({ loginName: `wuhou-pri.s${900 + i}`, password: DEMO_PASSWORD }, school, now))).toBeInstanceOf(ValidationError);
    }
    for (const login of [...clumsy, ...others]) {
      const { session } = await signIn({ loginName: login, password: DEMO_PASSWORD }, school, now + 1000);
      expect(session.userId).toBe((await userByLogin(login)).id);
    }
  });

  it("the address is still limited: past hundreds of failures an unknown browser there waits, and is told how long (Retry-After)", async () => {
    const address = "10.20.30.41";
    const now = Date.now();
    // 500 failures counted as signIn counts them (running them through argon2 would take half a minute).
    for (let i = 0; i < 500; i++) await recordFailure(throttleKeys("signin", `nobody.${i}`, address), now);
    const locked = await failure(async () => signIn({ loginName: "wuhou-pri.t1", password: DEMO_PASSWORD }, { address }, now));
    expect(locked).toBeInstanceOf(ThrottledError);

    const form = new URLSearchParams({ loginName: "wuhou-pri.t1", password: DEMO_PASSWORD, next: "/" });
    const request = new Request("http://localhost/login", { method: "POST", body: form, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    const response = (await action({ request, params: {}, context: { clientAddress: address } })) as unknown as { init: ResponseInit | null; data: { formError: { key: string; params: { minutes: number } } } };
    expect(response.init?.status).toBe(429);
    expect(Number(new Headers(response.init?.headers).get("Retry-After"))).toBeGreaterThan(0);
    expect(response.data.formError.key).toBe("auth:tooManyAttempts");
    expect(response.data.formError.params.minutes).toBeGreaterThanOrEqual(1);
  });
});

describe("issue 13 throttling: the endless-lock case (known devices)", () => {
  it("an attacker failing on a teacher's login every 15 minutes never keeps the teacher out on a browser they signed in on before", async () => {
    const teacher = "wuhou-pri.t2";
    const home = { address: "10.50.0.2", userAgent: "teacher's phone" };
    let now = Date.now();
    const first = await signIn({ loginName: teacher, password: DEMO_PASSWORD }, home, now);
    let knownDevices = first.knownDevices;
    for (let round = 0; round < 8; round++) {
      for (let i = 0; i < 25; i++) await failure(async () => signIn({ loginName: teacher, password: `guess-${round}-${i}` }, { address: `172.20.${round}.${i}` }, now));
      // The account is locked for every other browser, the owner's own new laptop included…
      expect(await failure(async () => signIn({ loginName: teacher, password: DEMO_PASSWORD }, { address: "10.50.0.3" }, now + 1000))).toBeInstanceOf(ThrottledError);
      // …but the browser that has signed in before still signs in.
      const again = await signIn({ loginName: teacher, password: DEMO_PASSWORD }, { ...home, knownDevices }, now + 2000);
      expect(again.session.userId).toBe((await userByLogin(teacher)).id);
      knownDevices = again.knownDevices;
      now += 15 * MINUTE;
    }
  });

  it("the wrong person is refused: another account's device mark, a forged mark or a stolen-and-edited one does not lift the lock", async () => {
    const teacher = await userByLogin("wuhou-pri.t3");
    const now = Date.now();
    const attackerOwn = await signIn({ loginName: "wuhou-jun.t2", password: DEMO_PASSWORD }, { address: "172.30.0.1" }, now);
    for (let i = 0; i < 25; i++) await failure(async () => signIn({ loginName: "wuhou-pri.t3", password: `guess-${i}` }, { address: `172.30.1.${i}` }, now));
    const forged = `${teacher.id}.aaaaaaaaaaaaaaaaaaaaaaaaaa.${"A".repeat(43)}`;
    const edited = attackerOwn.knownDevices.replace(/^[^.]+/, teacher.id);
    for (const knownDevices of [attackerOwn.knownDevices, forged, edited, "garbage~~~"]) {
      expect(await failure(async () => signIn({ loginName: "wuhou-pri.t3", password: DEMO_PASSWORD }, { address: "172.30.0.1", knownDevices }, now + 1000))).toBeInstanceOf(ThrottledError);
    }
  });

  it("a known device is still counted on its own: ten wrong passwords there lock that browser, not the others", async () => {
    const login = "wuhou-pri.t1";
    const now = Date.now();
    const { knownDevices } = await signIn({ loginName: login, password: DEMO_PASSWORD }, { address: "10.60.0.1" }, now);
    for (let i = 0; i < 10; i++) await failure(async () => signIn({ loginName: login, password: `typo-${i}` }, { address: "10.60.0.1", knownDevices }, now));
    expect(await failure(async () => signIn({ loginName: login, password: DEMO_PASSWORD }, { address: "10.60.0.1", knownDevices }, now + 1000))).toBeInstanceOf(ThrottledError);
    await signIn({ loginName: login, password: DEMO_PASSWORD }, { address: "10.60.0.9" }, now + 1000);
  });

  it("one browser keeps the marks of several accounts (a shared classroom computer)", async () => {
    const now = Date.now();
    let knownDevices: string | null = null;
    for (const login of ["wuhou-pri.s1", "wuhou-pri.s2", "wuhou-pri.s3"]) {
      knownDevices = (await signIn({ loginName: login, password: DEMO_PASSWORD }, { address: "10.70.0.1", knownDevices }, now)).knownDevices;
    }
    expect(knownDevices!.split("~")).toHaveLength(3);
    for (let i = 0; i < 25; i++) await failure(async () => signIn({ loginName: "wuhou-pri.s1", password: `guess-${i}` }, { address: `172.40.0.${i}` }, now));
    await signIn({ loginName: "wuhou-pri.s1", password: DEMO_PASSWORD }, { address: "10.70.0.1", knownDevices }, now + 1000);
  });
});
