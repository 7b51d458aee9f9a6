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

function freshCode(loginName: string, now = Date.now()) {
  return storeActivationCode(userByLogin(loginName).id, null, now).code;
}

describe("activation", () => {
  it("activates with login name, code, real name and a good password, and signs the person in", async () => {
    const user = userByLogin("wuhou-pri.s8");
    const code = freshCode(user.loginName);
    const { token } = await activateAccount(
      { loginName: " WUHOU-PRI.S8 ", code: code.toLowerCase().replace(/(.{5})/, "$1-"), realName: user.realName, password: GOOD_PASSWORD, confirm: GOOD_PASSWORD },
      CLIENT,
    );
    expect(validateSessionToken(token)?.actor.id).toBe(user.id);
    const after = userByLogin("wuhou-pri.s8");
    expect(after.status).toBe("active");
    expect(after.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const audit = db().select().from(schema.auditEvents).where(eq(schema.auditEvents.targetId, user.id)).all();
    expect(audit.map((a) => a.action)).toContain("account.activate");
    // The code is one-time: using it again is refused, with its own message.
    const again = await failure(() => activateAccount({ loginName: user.loginName, code, realName: user.realName, password: GOOD_PASSWORD, confirm: GOOD_PASSWORD }, CLIENT));
    expect((again as ValidationError).fields.code?.key).toBe("auth:codeUsed");
  });

  it("refuses a wrong code, an unknown login (alike), an expired code and a voided code, and writes nothing", async () => {
    const user = userByLogin("wuhou-jun.s8");
    const input = { loginName: user.loginName, realName: user.realName, password: GOOD_PASSWORD, confirm: GOOD_PASSWORD };
    const wrong = await failure(() => activateAccount({ ...input, code: "ABCDE-FGHJK" }, { ...CLIENT, address: "198.51.100.1" }));
    const unknown = await failure(() => activateAccount({ ...input, loginName: "nobody.here", code: "ABCDE-FGHJK" }, { ...CLIENT, address: "198.51.100.1" }));
    expect((wrong as ValidationError).fields).toEqual({ code: { key: "auth:codeWrong" } });
    expect((unknown as ValidationError).fields).toEqual((wrong as ValidationError).fields);

    const longAgo = Date.now() - 31 * DAY;
    const expired = freshCode(user.loginName, longAgo);
    const e = await failure(() => activateAccount({ ...input, code: expired }, { ...CLIENT, address: "198.51.100.2" }));
    expect((e as ValidationError).fields.code?.key).toBe("auth:codeExpired");

    const first = freshCode(user.loginName);
    freshCode(user.loginName); // re-issued: the first is void
    const v = await failure(() => activateAccount({ ...input, code: first }, { ...CLIENT, address: "198.51.100.3" }));
    expect((v as ValidationError).fields.code?.key).toBe("auth:codeVoided");
    expect(userByLogin(user.loginName).status).toBe("provisioned");
  });

  it("refuses a real name that does not match, a weak password and a mismatched confirmation", async () => {
    const user = userByLogin("wuhou-voc.s4");
    const code = freshCode(user.loginName);
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
      const error = await failure(() => activateAccount({ ...base, ...change }, { ...CLIENT, address: `192.0.2.${cases.findIndex((c) => c[0] === change)}` }));
      expect((error as ValidationError).fields[fieldName]?.key, JSON.stringify(change)).toBe(key);
    }
    // Real names compare without spacing differences (e.g. a space typed inside a Chinese name).
    const spaced = user.realName.split("").join(" ");
    await activateAccount({ ...base, realName: spaced }, CLIENT);
    expect(userByLogin(user.loginName).status).toBe("active");
  });

  it("lets only two simultaneous activations with one code make one account", async () => {
    const user = userByLogin("kangding-pri.s4");
    const code = freshCode(user.loginName);
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
    expect(validateSessionToken(token)?.actor.loginName).toBe("wuhou-pri.t1");
    const wrong = await failure(() => signIn({ loginName: "wuhou-pri.t2", password: "not the password" }, { ...CLIENT, address: "10.0.0.1" }));
    const unknown = await failure(() => signIn({ loginName: "no.such.person", password: "not the password" }, { ...CLIENT, address: "10.0.0.1" }));
    expect(wrong).toBeInstanceOf(ValidationError);
    expect(wrong.key).toBe("auth:signInFailed");
    expect(unknown.key).toBe(wrong.key);
    expect((unknown as ValidationError).fields).toEqual((wrong as ValidationError).fields);
  });

  it("refuses accounts not yet activated or disabled with the same message", async () => {
    const provisioned = await failure(() => signIn({ loginName: "zhaojue-pri.s4", password: DEMO_PASSWORD }, CLIENT));
    expect(provisioned.key).toBe("auth:signInFailed");
  });

  it("throttles an account after five failures from one address, for minutes not hours, and a success clears it", async () => {
    const start = Date.now();
    const from = { ...CLIENT, address: "10.9.9.9" };
    for (let i = 0; i < 5; i++) await failure(() => signIn({ loginName: "wuhou-pri.t3", password: `wrong-${i}` }, from, start));
    const locked = await failure(() => signIn({ loginName: "wuhou-pri.t3", password: DEMO_PASSWORD }, from, start + 1000));
    expect(locked).toBeInstanceOf(ThrottledError);
    expect(locked.params.minutes).toBe(1);
    // Even the right password waits out the lock; afterwards it works and clears the counters.
    const later = start + 61_000;
    await signIn({ loginName: "wuhou-pri.t3", password: DEMO_PASSWORD }, from, later);
    await failure(() => signIn({ loginName: "wuhou-pri.t3", password: "wrong again" }, from, later));
    await signIn({ loginName: "wuhou-pri.t3", password: DEMO_PASSWORD }, from, later + 1000);
  });

  it("never locks an account for more than 15 minutes, however many failures come from elsewhere", async () => {
    const start = Date.now();
    let now = start;
    for (let i = 0; i < 60; i++) {
      now += 1000;
      const attacker = { ...CLIENT, address: `172.16.0.${i}` };
      await failure(() => signIn({ loginName: "wuhou-jun.t1", password: `guess-${i}` }, attacker, now));
    }
    const locked = await failure(() => signIn({ loginName: "wuhou-jun.t1", password: DEMO_PASSWORD }, CLIENT, now));
    expect(locked).toBeInstanceOf(ThrottledError);
    expect(Number(locked.params.minutes)).toBeLessThanOrEqual(15);
    await signIn({ loginName: "wuhou-jun.t1", password: DEMO_PASSWORD }, CLIENT, now + 15 * 60_000 + 1);
  });
});

describe("password change", () => {
  it("ends every other session of the person and keeps them signed in with a new session", async () => {
    const other = await signIn({ loginName: "wuhou-voc.t1", password: DEMO_PASSWORD }, CLIENT);
    const actor = actorFor("wuhou-voc.t1");
    const fresh = await changePassword(actor, { current: DEMO_PASSWORD, password: GOOD_PASSWORD, confirm: GOOD_PASSWORD }, CLIENT);
    expect(validateSessionToken(other.token)).toBeNull();
    expect(validateSessionToken(fresh.token)?.actor.loginName).toBe("wuhou-voc.t1");
    await signIn({ loginName: "wuhou-voc.t1", password: GOOD_PASSWORD }, CLIENT);
  });

  it("refuses a wrong current password, a weak new one, and anonymous callers", async () => {
    const actor = actorFor("wuhou-voc.t2");
    const wrong = await failure(() => changePassword(actor, { current: "nope nope", password: GOOD_PASSWORD, confirm: GOOD_PASSWORD }, CLIENT));
    expect((wrong as ValidationError).fields.current?.key).toBe("auth:currentPasswordWrong");
    const weak = await failure(() => changePassword(actor, { current: DEMO_PASSWORD, password: "12345678", confirm: "12345678" }, CLIENT));
    expect((weak as ValidationError).fields.password?.key).toBe("auth:passwordTooCommon");
    const anonymous = await failure(() => changePassword(null, { current: DEMO_PASSWORD, password: GOOD_PASSWORD, confirm: GOOD_PASSWORD }, CLIENT));
    expect(anonymous).toBeInstanceOf(ForbiddenError);
    expect(anonymous.status).toBe(401);
  });
});

describe("who may disable accounts and re-issue codes", () => {
  it("lets the person's school admin disable them, which ends all their sessions", async () => {
    const victim = await signIn({ loginName: "wuhou-pri.s2", password: DEMO_PASSWORD }, CLIENT);
    disableAccount(actorFor("wuhou-pri.admin"), userByLogin("wuhou-pri.s2").id);
    expect(validateSessionToken(victim.token)).toBeNull();
    expect((await failure(() => signIn({ loginName: "wuhou-pri.s2", password: DEMO_PASSWORD }, CLIENT))).key).toBe("auth:signInFailed");
  });

  it("refuses another school's admin, a teacher, a student, a parent and anonymous", async () => {
    const target = userByLogin("wuhou-pri.s3").id;
    for (const login of ["wuhou-jun.admin", "wuhou-pri.t2", "wuhou-pri.s1", "wuhou-pri.p1"]) {
      expect(() => disableAccount(actorFor(login), target), login).toThrow(ForbiddenError);
      expect(() => reissueActivationCode(actorFor(login), userByLogin("wuhou-pri.s4").id), login).toThrow(ForbiddenError);
    }
    expect(() => disableAccount(null, target)).toThrow(ForbiddenError);
    expect(() => reissueActivationCode(null, target)).toThrow(ForbiddenError);
    expect(userByLogin("wuhou-pri.s3").status).toBe("active");
  });

  it("lets a region admin above the school re-issue a code, and the old code stops working", async () => {
    const student = userByLogin("zhaojue-jun.s4");
    const old = freshCode(student.loginName);
    const { code } = reissueActivationCode(actorFor("liangshan.edu"), student.id);
    expect(code).not.toBe(old);
    expect(() => reissueActivationCode(actorFor("liangshan.edu"), userByLogin("kangding-jun.s4").id)).toThrow(ForbiddenError);
    const refused = await failure(() => activateAccount({ loginName: student.loginName, code: old, realName: student.realName, password: GOOD_PASSWORD, confirm: GOOD_PASSWORD }, CLIENT));
    expect((refused as ValidationError).fields.code?.key).toBe("auth:codeVoided");
    await activateAccount({ loginName: student.loginName, code, realName: student.realName, password: GOOD_PASSWORD, confirm: GOOD_PASSWORD }, CLIENT);
  });
});

describe("role switching", () => {
  it("lets a teacher who is also a parent switch to parent, and refuses a role not held", () => {
    const teacher = actorFor("wuhou-pri.t1", "teacher");
    expect(switchRole(teacher, "parent")).toBe("parent");
    expect(() => switchRole(teacher, "school_admin")).toThrow(ForbiddenError);
    expect(() => switchRole(actorFor("wuhou-pri.s1"), "teacher")).toThrow(ForbiddenError);
    expect(() => switchRole(null, "teacher")).toThrow(ForbiddenError);
  });
});
