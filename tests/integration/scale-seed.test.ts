// The scale seed (db/seed/scale.ts) at a tiny N: the same N and seed give the same rows, every foreign
// key holds, the slice has the province's shape, and a generated pupil, parent and teacher sign in and
// see their own data through the domain layer.
import Database from "better-sqlite3";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { engineName, sqlite } from "#db/client";
import { openMigrated, SCALE_BASE, SCALE_PASSWORD, seedScale, type ScaleResult } from "#db/seed/scale";
import { signIn } from "~/domain/accounts/accounts.server";
import { teacherAssignments, todoList } from "~/domain/classwork/assignments.server";
import { myClasses } from "~/domain/classwork/classes.server";
import { hashPassword } from "~/domain/accounts/passwords.server";
import { validateSessionToken } from "~/domain/accounts/sessions.server";
import { actorFor, CLIENT } from "../support/world";

const N = 300;
let first: ScaleResult;
let second: ScaleResult;
let other: Database.Database;

// The scale seed writes SQLite directly; PostgreSQL gets it through db:copy-to-postgres.
beforeAll(async () => {
  if (engineName !== "sqlite") return;
  const passwordHash = await hashPassword(SCALE_PASSWORD);
  first = seedScale(sqlite(), { students: N, seed: "test", passwordHash });
  other = openMigrated(join(process.env.DATA_DIR!, "second.sqlite"), Database);
  second = seedScale(other, { students: N, seed: "test", passwordHash });
});

// Keyed by each database's own random secret, or salted: the only columns that differ between runs.
const SAMPLES = [
  "select id, handle, login_name, real_name, school_id, birth_date, gender, student_number, status, last_seen_at from users order by id limit 40",
  "select * from schools order by id",
  "select * from classes order by id limit 20",
  "select * from guardian_links order by id limit 20",
  "select * from consent_records order by id limit 20",
  "select * from posts order by id limit 20",
  "select * from submissions order by id limit 40",
  "select * from group_members order by group_id, user_id limit 40",
  "select * from notifications order by id limit 20",
];

describe.skipIf(engineName !== "sqlite")("scale seed", () => {
  it("gives the same rows for the same N and seed", () => {
    expect(second.counts).toEqual(first.counts);
    expect(second.logins).toEqual(first.logins);
    for (const query of SAMPLES) expect(other.prepare(query).all(), query).toEqual(sqlite().prepare(query).all());
    const hashes = (db: Database.Database) => db.prepare("select count(distinct registration_hash) as n from users where registration_hash is not null").get();
    expect(hashes(sqlite())).toEqual({ n: N });
  });

  it("keeps every foreign key", () => {
    expect(sqlite().prepare("pragma foreign_key_check").all()).toEqual([]);
    expect(other.prepare("pragma foreign_key_check").all()).toEqual([]);
  });

  it("has the province's shape, scaled down", () => {
    const count = (query: string) => (sqlite().prepare(query).get() as { n: number }).n;
    expect(count("select count(*) as n from user_roles where role = 'student'")).toBe(N);
    expect(count("select count(*) as n from schools")).toBeGreaterThanOrEqual(6);
    expect(count("select count(distinct default_locale) as n from schools")).toBe(3);
    expect(count("select count(*) as n from user_roles where role = 'parent'")).toBeGreaterThan(N * 0.6);
    expect(count("select count(*) as n from submissions")).toBeGreaterThan(N * 5);
    expect(count("select count(*) as n from posts")).toBeGreaterThan(N);
    expect(count("select count(*) as n from groups")).toBe(first.counts.groups);
    // Pupils who share a name, and birth dates that match their grade (a primary grade-1 pupil is 6 or 7 on 1 September 2026).
    expect(count("select count(*) as n from (select real_name from users u join user_roles r on r.user_id = u.id and r.role = 'student' group by real_name having count(*) > 1)")).toBeGreaterThan(0);
    const firstGraders = sqlite()
      .prepare("select u.birth_date as b from users u join class_memberships m on m.user_id = u.id and m.role = 'student' join classes c on c.id = m.class_id join schools s on s.id = c.school_id where s.stage = 'primary' and c.grade = 1")
      .all() as { b: string }[];
    expect(firstGraders.length).toBeGreaterThan(0);
    for (const { b } of firstGraders) expect(b >= "2018-09-01" && b <= "2020-08-31", b).toBe(true);
    // Every under-14 without a consent record is one the seed left waiting; most have one.
    expect(count("select count(distinct student_id) as n from consent_records")).toBeGreaterThan(N * 0.5);
  });

  it("lets a generated pupil, parent and teacher sign in and read their own data", async () => {
    const pupil = first.logins.find((l) => l.role === "student")!;
    const { token } = await signIn({ loginName: pupil.loginName, password: SCALE_PASSWORD }, CLIENT);
    const actor = (await validateSessionToken(token))!.actor;
    expect(actor.activeRole).toBe("student");
    expect(actor.realName).toBe(pupil.realName);
    expect((await myClasses(actor)).map((c) => c.id)).toContain(pupil.ids!.classId);
    expect((await todoList(actor, SCALE_BASE)).done.length).toBeGreaterThan(0);

    const parent = first.logins.find((l) => l.role === "parent")!;
    const parentSession = await signIn({ loginName: parent.loginName, password: SCALE_PASSWORD }, CLIENT);
    expect((await validateSessionToken(parentSession.token))!.actor.activeRole).toBe("parent");

    const teacher = first.logins.find((l) => l.role === "teacher")!;
    const handedIn = (await teacherAssignments(await actorFor(teacher.loginName, "teacher"), SCALE_BASE)).reduce((n, a) => n + a.handedIn, 0);
    expect(handedIn).toBeGreaterThan(0);
  });
});
