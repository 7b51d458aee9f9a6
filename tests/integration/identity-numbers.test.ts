// Issue 13 item 9c: handles and login names never hold a 学号, 学籍号 or ID number. Existing ones are
// migrated (old handles answer 404, old login names still sign in for a while, known only by hash);
// rosters refuse such login names and never generate them.
import { and, eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, engineName, runMigrations, schema, sqlite, first } from "#db/client";
import { holdsIdentityNumber, RETIRED_LOGIN_MS, retireIdentityNumberLogins } from "#db/login-names.mjs";
import { DEMO_PASSWORD } from "#db/seed/demo";
import { activateAccount, signIn, storeActivationCode } from "~/domain/accounts/accounts.server";
import { ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { spaceOwner } from "~/domain/spaces/profiles.server";
import { previewRoster, renamedLogins, rosterPreview } from "~/domain/provisioning/rosters.server";
import { randomId } from "~/domain/foundation/ids.server";
import { action } from "~/routes/login";
import { HEADER_ZH, rosterCsv } from "../e2e/roster-fixtures";
import { actorFor, classIdOf, demoWorld, userByLogin } from "../support/world";
import { failure } from "../support/refusal";
import { findInOrder, mapInOrder } from "~/lib/in-order";

const CLASS_A = "三年级（1）班";
let seededAt = 0;

/** A pupil of wuhou-pri as an old roster import made them: the 学号 in the login name and handle. */
async function oldStylePupil(loginName: string, handle: string, studentNumber: string | null, active = true) {
  const school = await userByLogin("wuhou-pri.s1");
  const id = randomId();
  await db().insert(schema.users)
      .values({ id, loginName, handle, realName: `旧生${loginName.slice(-3)}`, schoolId: school.schoolId, studentNumber, birthDate: "2010-03-04", status: active ? "active" : "provisioned", passwordHash: active ? school.passwordHash : null, activatedAt: active ? new Date() : null });
  await db().insert(schema.userRoles).values({ userId: id, role: "student", schoolId: school.schoolId });
  await db().insert(schema.classMemberships).values({ classId: await classIdOf("wuhou-pri", CLASS_A), userId: id, role: "student" });
  return id;
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  await demoWorld();
  ids.number = await oldStylePupil("wuhou-pri.20230105", "wuhou-pri-20230105", "20230105");
  ids.own = await oldStylePupil("wuhou-pri.a0412", "wuhou-pri-a0412", "A0412");
  ids.idCard = await oldStylePupil("wuhou-pri.zhang", "zhang-51010420180304123x", null);
  ids.waiting = await oldStylePupil("wuhou-pri.g510104201803041234", "wuhou-pri-g510104201803041234", "G510104201803041234", false);
  seededAt = Date.now();
  // Data migrations run on SQLite only: a PostgreSQL database starts from a migrated copy (db:copy-to-postgres).
  if (engineName === "sqlite") retireIdentityNumberLogins(sqlite(), seededAt);
});

const user = async (id: string) => (await first(db().select().from(schema.users).where(eq(schema.users.id, id)).limit(1)))!;

describe.skipIf(engineName !== "sqlite")("issue 13 item 9c: existing login names and handles with identity numbers are migrated", () => {
  it("gives each a generated login (prefix + role letter + counter) and a handle from it, with no number left", async () => {
    for (const id of [ids.number!, ids.own!, ids.waiting!]) {
      const { loginName, handle, studentNumber } = await user(id);
      expect(loginName).toMatch(/^wuhou-pri\.s\d+$/);
      expect(handle).toBe(loginName.replace(".", "-"));
      expect(holdsIdentityNumber(loginName, [studentNumber])).toBe(false);
      expect(holdsIdentityNumber(handle, [studentNumber])).toBe(false);
    }
    // A login without a number keeps it; only the handle that held an ID number changes.
    expect(await user(ids.idCard!)).toMatchObject({ loginName: "wuhou-pri.zhang", handle: "wuhou-pri-zhang" });
  });

  it("keeps nothing of the old names: only keyed hashes, and the audit event says how many, not which", async () => {
    const retired = await db().select().from(schema.retiredLogins);
    expect(retired.map((r) => r.userId).sort()).toEqual([ids.number, ids.own, ids.waiting].sort());
    for (const r of retired) {
      expect(r.loginHash).not.toMatch(/\d{6}|a0412|zhang/);
      expect(r.expiresAt.getTime() - r.retiredAt.getTime()).toBe(RETIRED_LOGIN_MS);
    }
    const text = JSON.stringify(await db().select().from(schema.auditEvents));
    for (const number of ["20230105", "a0412", "A0412", "510104"]) expect(text).not.toContain(number);
    const events = await db().select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "account.login_renamed"));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ schoolId: (await userByLogin("wuhou-pri.s1")).schoolId, detail: { count: 4 } });
  });

  it("runs with the other migrations and is idempotent: a second run changes nothing, a newly found one is migrated", async () => {
    const before = (await mapInOrder(Object.values(ids), async (id) => (await user(id)).loginName));
    await runMigrations();
    expect((await mapInOrder(Object.values(ids), async (id) => (await user(id)).loginName))).toEqual(before);
    expect(await db().select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "account.login_renamed"))).toHaveLength(1);
    const late = await oldStylePupil("wuhou-pri.20230199", "wuhou-pri-20230199", "20230199");
    await runMigrations();
    expect((await user(late)).loginName).toMatch(/^wuhou-pri\.s\d+$/);
    expect(await db().select().from(schema.users).where(like(schema.users.loginName, "%2023%"))).toEqual([]);
  });

  it("old handle links answer 404, to signed-in readers of the pupil's own class too (no redirect)", async () => {
    const classmate = await actorFor("wuhou-pri.s1");
    for (const old of ["wuhou-pri-20230105", "wuhou-pri-a0412", "zhang-51010420180304123x"]) {
      await expect(spaceOwner(classmate, old)).rejects.toThrow(NotFoundError);
      await expect(spaceOwner(null, old)).rejects.toThrow();
    }
    expect((await spaceOwner(classmate, (await user(ids.number!)).handle)).owner.id).toBe(ids.number);
  });

  it("the old login name still signs its pupil in, and the answer shows the new login name once", async () => {
    const signedIn = await signIn({ loginName: " WUHOU-PRI.20230105 ", password: DEMO_PASSWORD }, { address: "198.51.100.90" });
    expect(signedIn.session.userId).toBe(ids.number);
    expect(signedIn.renamedTo).toBe((await user(ids.number!)).loginName);
    const plain = await signIn({ loginName: (await user(ids.number!)).loginName, password: DEMO_PASSWORD }, { address: "198.51.100.90" });
    expect(plain.renamedTo).toBeNull();

    const form = new URLSearchParams({ loginName: "wuhou-pri.20230105", password: DEMO_PASSWORD, next: "/feed" });
    const request = new Request("http://localhost/login", { method: "POST", body: form, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    const answer = (await action({ request, params: {}, context: { clientAddress: "198.51.100.91" } })) as unknown as { data: { renamed: { loginName: string; next: string } }; init: ResponseInit };
    expect(answer.data.renamed).toEqual({ loginName: (await user(ids.number!)).loginName, next: "/feed" });
    expect(new Headers(answer.init.headers).get("Set-Cookie")).toMatch(/session=/);
  });

  it("a pupil not yet activated activates with the old login name printed on their slip", async () => {
    const { code } = await storeActivationCode(ids.waiting!, null);
    const password = "青稞 and yak butter tea";
    const done = await activateAccount({ loginName: "wuhou-pri.g510104201803041234", code, realName: (await user(ids.waiting!)).realName, password, confirm: password }, { address: "198.51.100.92" });
    expect(done.renamedTo).toBe((await user(ids.waiting!)).loginName);
    expect((await user(ids.waiting!)).status).toBe("active");
  });

  it("the wrong person is refused: a wrong password on the old name fails like any other, and an expired old name signs nobody in", async () => {
    const wrong = await failure(async () => signIn({ loginName: "wuhou-pri.a0412", password: "not the password" }, { address: "198.51.100.93" }));
    expect(wrong.key).toBe("auth:signInFailed");
    const expired = await failure(async () => signIn({ loginName: "wuhou-pri.a0412", password: DEMO_PASSWORD }, { address: "198.51.100.94" }, seededAt + RETIRED_LOGIN_MS + 1));
    expect(expired.key).toBe("auth:signInFailed");
  });

  it("the school admin sees the new login names; teachers and other schools' admins do not", async () => {
    const list = await renamedLogins(await actorFor("wuhou-pri.admin"));
    expect(list.map((p) => p.loginName)).toEqual(expect.arrayContaining((await mapInOrder([ids.number!, ids.own!, ids.waiting!], async (id) => (await user(id)).loginName))));
    expect(list.map((p) => p.loginName)).not.toContain("wuhou-pri.zhang");
    expect((await findInOrder(list, async (p) => p.loginName === (await user(ids.number!)).loginName))).toMatchObject({ className: CLASS_A, activated: true });
    expect(JSON.stringify(list)).not.toMatch(/2023|a0412|510104/i);
    expect(await renamedLogins(await actorFor("wuhou-jun.admin"))).toEqual([]);
    await expect(renamedLogins(await actorFor("wuhou-pri.t1"))).rejects.toThrow(ForbiddenError);
    await expect(renamedLogins(await actorFor("sichuan.edu"))).rejects.toThrow(ForbiddenError);
  });
});

describe("issue 13 item 9c: rosters never put an identity number into a login name", () => {
  const admin = async () => actorFor("wuhou-pri.admin");
  const previewOf = async (rows: (string | null)[][]) => {
    const { importId } = await previewRoster(await admin(), { fileName: "r.csv", bytes: new TextEncoder().encode(rosterCsv([HEADER_ZH, ...rows])) });
    return rosterPreview(await admin(), importId);
  };

  it("refuses a given login name with a run of 6+ digits or the row's own student number, with a translated problem", async () => {
    const preview = await previewOf([
      ["甲", "学生", "wuhou-pri.2023010501", CLASS_A, "X1", null, null, null, null, null, null],
      ["乙", "学生", "yi.b7731", CLASS_A, "B7731", null, null, null, null, null, null],
      ["丙", "学生", "bing.510104201803041234", CLASS_A, null, null, null, null, null, null, null],
      ["丁", "学生", "ding.hao", CLASS_A, "B7732", null, null, null, null, null, null],
    ]);
    const problems = (line: number) => preview.problemRows.find((r) => r.line === line)?.problems.map((p) => `${p.column}:${p.key}`) ?? [];
    for (const line of [2, 3, 4]) expect(problems(line)).toEqual(["loginName:roster:problems.loginHasNumber"]);
    expect(problems(5)).toEqual([]);
  });

  it("generates login names and handles from the school prefix and a counter, never from the 学号", async () => {
    const preview = await previewOf([["戊", "学生", null, CLASS_A, "20240001", null, null, null, null, null, null]]);
    const row = preview.sampleRows[0]!;
    expect(row.plannedLogin).toMatch(/^wuhou-pri\.s\d+$/);
    expect(row.plannedLogin).not.toContain("20240001");
  });
});

// The migration itself must not take anyone whose name only looks numeric by accident.
describe("the identity-number rule", () => {
  it("counts 6+ digit runs, 17 digits + X and the person's own number of 3+ characters", () => {
    expect(holdsIdentityNumber("wuhou-pri.s12", ["12"])).toBe(false);
    expect(holdsIdentityNumber("wuhou-pri.s12345", [])).toBe(false);
    expect(holdsIdentityNumber("wuhou-pri.s123456", [])).toBe(true);
    expect(holdsIdentityNumber("li.51010420180304123X", [])).toBe(true);
    expect(holdsIdentityNumber("li-a0-412", ["A0412"])).toBe(true);
    expect(holdsIdentityNumber("13900000001", [])).toBe(true);
  });

  it("leaves parents alone (their login is the phone they chose) and demo accounts untouched", async () => {
    expect(await db().select().from(schema.retiredLogins).where(and(eq(schema.retiredLogins.userId, (await userByLogin("wuhou-pri.p1")).id)))).toEqual([]);
    expect((await userByLogin("wuhou-pri.s1")).handle).toBe("wuhou-pri-s1");
  });
});
