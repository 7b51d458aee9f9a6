import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
import { DEMO_PASSWORD } from "#db/seed/demo";
import {
  activateAccount,
  changePassword,
  disableAccount,
  reissueActivationCode,
  signIn,
  storeActivationCode,
  switchRole,
} from "~/domain/accounts/accounts.server";
import { ForbiddenError, ThrottledError, ValidationError } from "~/domain/foundation/errors.server";
import { validateSessionToken } from "~/domain/accounts/sessions.server";
import { actorFor, CLIENT, demoWorld, userByLogin } from "../support/world";

const DAY = 86_400_000;
const GOOD_PASSWORD = "青稞 and yak butter tea";

beforeAll(async () => {
  await demoWorld();
});

/** The error a promise or call rejects with, for asserting on its key and fields. */
async function failure(run: () => unknown): Promise<ValidationError | ThrottledError | ForbiddenError> {
  try {
    await run();
  } catch (error) {
    return error as ValidationError;
  }
  throw new Error("expected a refusal");
}

async function freshCode(loginName: string, now = Date.now()) {
  return (await storeActivationCode((await userByLogin(loginName)).id, null, now)).code;
}

describe("activation", () => {
  it("activates with login name, code, real name and a good password, and signs the person in", async () => {
    const user = await userByLogin("wuhou-pri.s8");
    const code = await freshCode(user.loginName);
    const { token } = await activateAccount(
      { loginName: " WUHOU-PRI.S8 ", code: code.toLowerCase().replace(/(.{5})/, "$1-"), realName: user.realName, password: GOOD_PASSWORD, confirm: GOOD_PASSWORD },
      CLIENT,
    );
    expect((await validateSessionToken(token))?.actor.id).toBe(user.id);
    const after = await userByLogin("wuhou-pri.s8");
    expect(after.status).toBe("active");
    expect(after.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const audit = await db().select().from(schema.auditEvents).where(eq(schema.auditEvents.targetId, user.id));
    expect(audit.map((a) => a.action)).toContain("account.activate");
    // The code is one-time: using it again is refused, with its own message.
    const again = await failure(async () => activateAccount({ loginName: user.loginName, code, realName: user.realName, password: GOOD_PASSWORD, confirm: GOOD_PASSWORD }, CLIENT));
    expect((again as ValidationError).fields.code?.key).toBe("auth:codeUsed");
  });

  it("refuses a wrong code, an unknown login (alike), an expired code and a voided code, and writes nothing", async () => {
    const user = await userByLogin("wuhou-jun.s8");
    const input = { loginName: user.loginName, realName: user.realName, password: GOOD_PASSWORD, confirm: GOOD_PASSWORD };
    const wrong = await failure(async () => activateAccount({ ...input, code: "ABCDE-FGHJK" }, { ...CLIENT, address: "198.51.100.1" }));
    const unknown = await failure(async () => activateAccount({ ...input, loginName: "nobody.here", code: "ABCDE-FGHJK" }, { ...CLIENT, address: "198.51.100.1" }));
    expect((wrong as ValidationError).fields).toEqual({ code: { key: "auth:codeWrong" } });
    expect((unknown as ValidationError).fields).toEqual((wrong as ValidationError).fields);

    const longAgo = Date.now() - 31 * DAY;
    const expired = await freshCode(user.loginName, longAgo);
    const e = await failure(async () => activateAccount({ ...input, code: expired }, { ...CLIENT, address: "198.51.100.2" }));
    expect((e as ValidationError).fields.code?.key).toBe("auth:codeExpired");

    const first = await freshCode(user.loginName);
    await freshCode(user.loginName); // re-issued: the first is void
    const v = await failure(async () => activateAccount({ ...input, code: first }, { ...CLIENT, address: "198.51.100.3" }));
    expect((v as ValidationError).fields.code?.key).toBe("auth:codeVoided");
    expect((await userByLogin(user.loginName)).status).toBe("provisioned");
  });

  it("refuses a real name that does not match, a weak password and a mismatched confirmation", async () => {
    const user = await userByLogin("wuhou-voc.s4");
    const code = await freshCode(user.loginName);
    const base = { loginName: user.loginName, code, realName: user.realName, password: GOOD_PASSWORD, confirm: GOOD_PASSWORD };
    const cases: [Partial<typeof base>, string, string][] = [
      [{ realName: "张三" }, "realName", "auth:realNameMismatch"],
      [{ password: "short1", confirm: "short1" }, "password", "auth:passwordTooShort"],
      [{ password: "x".repeat(129), confirm: "x".repeat(129) }, "password", "auth:passwordTooLong"],
      [{ password: "woaini1314", confirm: "woaini1314" }, "password", "auth:passwordTooCommon"],
      [{ password: "Password123", confirm: "Password123" }, "password", "auth:passwordTooCommon"],
      [{ password: user.loginName.toUpperCase(), confirm: user.loginName.toUpperCase() }, "password", "auth:passwordIsLoginName"],
      [{ confirm: "something else entirely" }, "confirm", "auth:confirmMismatch"],
    ];
    for (const [change, fieldName, key] of cases) {
      const error = await failure(async () => activateAccount({ ...base, ...change }, { ...CLIENT, address: `192.0.2.${cases.findIndex((c) => c[0] === change)}` }));
      expect((error as ValidationError).fields[fieldName]?.key, JSON.stringify(change)).toBe(key);
    }
    // Real names compare without spacing differences (e.g. a space typed inside a Chinese name).
    const spaced = user.realName.split("").join(" ");
    await activateAccount({ ...base, realName: spaced }, CLIENT);
    expect((await userByLogin(user.loginName)).status).toBe("active");
  });

  it("lets only two simultaneous activations with one code make one account", async () => {
    const user = await userByLogin("kangding-pri.s4");
    const code = await freshCode(user.loginName);
    const input = { loginName: user.loginName, code, realName: user.realName, password: GOOD_PASSWORD, confirm: GOOD_PASSWORD };
    const results = await Promise.allSettled([activateAccount(input, CLIENT), activateAccount(input, CLIENT)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((refused.reason as ValidationError).fields.code?.key).toBe("auth:codeUsed");
  });
});

describe("sign-in", () => {
  it("signs in with the right password and gives unknown login and wrong password the same answer", async () => {
    const { token, session } = await signIn({ loginName: "wuhou-pri.t1", password: DEMO_PASSWORD }, CLIENT);
    expect(session.remember).toBe(false);
    expect((await validateSessionToken(token))?.actor.loginName).toBe("wuhou-pri.t1");
    const wrong = await failure(async () => signIn({ loginName: "wuhou-pri.t2", password: "not the password" }, { ...CLIENT, address: "10.0.0.1" }));
    const unknown = await failure(async () => signIn({ loginName: "no.such.person", password: "not the password" }, { ...CLIENT, address: "10.0.0.1" }));
    expect(wrong).toBeInstanceOf(ValidationError);
    expect(wrong.key).toBe("auth:signInFailed");
    expect(unknown.key).toBe(wrong.key);
    expect((unknown as ValidationError).fields).toEqual((wrong as ValidationError).fields);
  });

  it("refuses accounts not yet activated or disabled with the same message", async () => {
    const provisioned = await failure(async () => signIn({ loginName: "zhaojue-pri.s4", password: DEMO_PASSWORD }, CLIENT));
    expect(provisioned.key).toBe("auth:signInFailed");
  });

  it("throttles an account after five failures from one address, for minutes not hours, and a success clears it", async () => {
    const start = Date.now();
    const from = { ...CLIENT, address: "10.9.9.9" };
    for (let i = 0; i < 5; i++) await failure(async () => signIn({ loginName: "wuhou-pri.t3", password: `wrong-${i}` }, from, start));
    const locked = await failure(async () => signIn({ loginName: "wuhou-pri.t3", password: DEMO_PASSWORD }, from, start + 1000));
    expect(locked).toBeInstanceOf(ThrottledError);
    expect(locked.params.minutes).toBe(1);
    // Even the right password waits out the lock; afterwards it works and clears the counters.
    const later = start + 61_000;
    await signIn({ loginName: "wuhou-pri.t3", password: DEMO_PASSWORD }, from, later);
    await failure(async () => signIn({ loginName: "wuhou-pri.t3", password: "wrong again" }, from, later));
    await signIn({ loginName: "wuhou-pri.t3", password: DEMO_PASSWORD }, from, later + 1000);
  });

  it("never locks an account for more than 15 minutes, however many failures come from elsewhere", async () => {
    const start = Date.now();
    let now = start;
    for (let i = 0; i < 60; i++) {
      now += 1000;
      const attacker = { ...CLIENT, address: `172.16.0.${i}` };
      await failure(async () => signIn({ loginName: "wuhou-jun.t1", password: `guess-${i}` }, attacker, now));
    }
    const locked = await failure(async () => signIn({ loginName: "wuhou-jun.t1", password: DEMO_PASSWORD }, CLIENT, now));
    expect(locked).toBeInstanceOf(ThrottledError);
    expect(Number(locked.params.minutes)).toBeLessThanOrEqual(15);
    await signIn({ loginName: "wuhou-jun.t1", password: DEMO_PASSWORD }, CLIENT, now + 15 * 60_000 + 1);
  });
});

describe("password change", () => {
  it("ends every other session of the person and keeps them signed in with a new session", async () => {
    const other = await signIn({ loginName: "wuhou-voc.t1", password: DEMO_PASSWORD }, CLIENT);
    const actor = await actorFor("wuhou-voc.t1");
    const fresh = await changePassword(actor, { current: DEMO_PASSWORD, password: GOOD_PASSWORD, confirm: GOOD_PASSWORD }, CLIENT);
    expect(await validateSessionToken(other.token)).toBeNull();
    expect((await validateSessionToken(fresh.token))?.actor.loginName).toBe("wuhou-voc.t1");
    await signIn({ loginName: "wuhou-voc.t1", password: GOOD_PASSWORD }, CLIENT);
  });

  it("refuses a wrong current password, a weak new one, and anonymous callers", async () => {
    const actor = await actorFor("wuhou-voc.t2");
    const wrong = await failure(async () => changePassword(actor, { current: "nope nope", password: GOOD_PASSWORD, confirm: GOOD_PASSWORD }, CLIENT));
    expect((wrong as ValidationError).fields.current?.key).toBe("auth:currentPasswordWrong");
    const weak = await failure(async () => changePassword(actor, { current: DEMO_PASSWORD, password: "12345678", confirm: "12345678" }, CLIENT));
    expect((weak as ValidationError).fields.password?.key).toBe("auth:passwordTooCommon");
    const anonymous = await failure(async () => changePassword(null, { current: DEMO_PASSWORD, password: GOOD_PASSWORD, confirm: GOOD_PASSWORD }, CLIENT));
    expect(anonymous).toBeInstanceOf(ForbiddenError);
    expect(anonymous.status).toBe(401);
  });
});

describe("who may disable accounts and re-issue codes", () => {
  it("lets the person's school admin disable them, which ends all their sessions", async () => {
    const victim = await signIn({ loginName: "wuhou-pri.s2", password: DEMO_PASSWORD }, CLIENT);
    await disableAccount(await actorFor("wuhou-pri.admin"), (await userByLogin("wuhou-pri.s2")).id);
    expect(await validateSessionToken(victim.token)).toBeNull();
    expect((await failure(async () => signIn({ loginName: "wuhou-pri.s2", password: DEMO_PASSWORD }, CLIENT))).key).toBe("auth:signInFailed");
  });

  it("refuses another school's admin, a teacher, a student, a parent and anonymous", async () => {
    const target = (await userByLogin("wuhou-pri.s3")).id;
    for (const login of ["wuhou-jun.admin", "wuhou-pri.t2", "wuhou-pri.s1", "wuhou-pri.p1"]) {
      await expect(disableAccount(await actorFor(login), target)).rejects.toThrow(ForbiddenError);
      await expect(reissueActivationCode(await actorFor(login), (await userByLogin("wuhou-pri.s4")).id)).rejects.toThrow(ForbiddenError);
    }
    await expect(disableAccount(null, target)).rejects.toThrow(ForbiddenError);
    await expect(reissueActivationCode(null, target)).rejects.toThrow(ForbiddenError);
    expect((await userByLogin("wuhou-pri.s3")).status).toBe("active");
  });

  it("lets a region admin above the school re-issue a code, and the old code stops working", async () => {
    const student = await userByLogin("zhaojue-jun.s4");
    const old = await freshCode(student.loginName);
    const { code } = await reissueActivationCode(await actorFor("liangshan.edu"), student.id);
    expect(code).not.toBe(old);
    await expect(reissueActivationCode(await actorFor("liangshan.edu"), (await userByLogin("kangding-jun.s4")).id)).rejects.toThrow(ForbiddenError);
    const refused = await failure(async () => activateAccount({ loginName: student.loginName, code: old, realName: student.realName, password: GOOD_PASSWORD, confirm: GOOD_PASSWORD }, CLIENT));
    expect((refused as ValidationError).fields.code?.key).toBe("auth:codeVoided");
    await activateAccount({ loginName: student.loginName, code, realName: student.realName, password: GOOD_PASSWORD, confirm: GOOD_PASSWORD }, CLIENT);
  });
});

describe("role switching", () => {
  it("lets a teacher who is also a parent switch to parent, and refuses a role not held", async () => {
    const teacher = await actorFor("wuhou-pri.t1", "teacher");
    expect(await switchRole(teacher, "parent")).toBe("parent");
    await expect(switchRole(teacher, "school_admin")).rejects.toThrow(ForbiddenError);
    await expect(switchRole(await actorFor("wuhou-pri.s1"), "teacher")).rejects.toThrow(ForbiddenError);
    await expect(switchRole(null, "teacher")).rejects.toThrow(ForbiddenError);
  });
});
