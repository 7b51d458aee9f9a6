import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { archiveClass, assignTeacher, classDetail, createClass, moveStudent, myClasses, removeTeacher, schoolClasses } from "~/domain/classwork/classes.server";
import { ForbiddenError, NotFoundError, ValidationError } from "~/domain/foundation/errors.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { refusal, validationRefusal } from "../support/refusal";
import { everyInOrder } from "~/lib/in-order";

beforeAll(async () => {
  await demoWorld();
});

async function classNamed(name: string) {
  const klass = await first(db().select().from(schema.classes).where(eq(schema.classes.name, name)).limit(1));
  if (!klass) throw new Error(`no class ${name}`);
  return klass;
}

async function auditOf(action: string, targetId: string) {
  return db()
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.action, action), eq(schema.auditEvents.targetId, targetId)));
}


async function membershipsOf(loginName: string) {
  return db().select().from(schema.classMemberships).where(eq(schema.classMemberships.userId, (await userByLogin(loginName)).id));
}

describe("creating classes", () => {
  it("creates a class in the admin's own school and audits it", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const klass = await createClass(admin, { grade: "1", name: " 一年级（1）班 ", year: "2026" });
    expect(klass).toMatchObject({ name: "一年级（1）班", grade: 1, year: 2026, schoolId: (await userByLogin("wuhou-pri.admin")).schoolId });
    expect((await schoolClasses(admin)).classes.map((c) => c.name)).toContain("一年级（1）班");
    const [event] = await auditOf("class.create", klass.id);
    expect(event).toMatchObject({ actorId: admin.id, schoolId: klass.schoolId, targetType: "class" });
  });

  it("refuses a duplicate name in the same year, but not in another year", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const error = await refusal(async () => createClass(admin, { grade: 3, name: "三年级（1）班", year: 2026 })) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fields.name).toEqual({ key: "classes:duplicateName", params: { year: 2026 } });
    expect((await createClass(admin, { grade: 3, name: "三年级（1）班", year: 2027 })).year).toBe(2027);
  });

  it("refuses a grade outside the school's stage, a missing name and a bad year, each beside its field", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const before = (await db().select().from(schema.classes)).length;
    const tooHigh = await refusal(async () => createClass(admin, { grade: 7, name: "七年级", year: 2026 })) as ValidationError;
    expect(tooHigh.fields.grade).toEqual({ key: "classes:gradeOutOfRange", params: { max: 6 } });
    const zero = await refusal(async () => createClass(admin, { grade: 0, name: "零年级", year: 2026 })) as ValidationError;
    expect(zero.fields.grade?.key).toBe("classes:gradeOutOfRange");
    const blank = await refusal(async () => createClass(admin, { grade: "x", name: "  ", year: "twenty" })) as ValidationError;
    expect(blank.fields).toMatchObject({ grade: { key: "classes:gradeRequired" }, name: { key: "classes:nameRequired" }, year: { key: "classes:yearInvalid" } });
    expect((await db().select().from(schema.classes)).length).toBe(before);
  });

  it("refuses teachers, students, parents, region admins and anonymous", async () => {
    for (const actor of [await actorFor("wuhou-pri.t1", "teacher"), await actorFor("wuhou-pri.s1"), await actorFor("wuhou-pri.p1"), await actorFor("sichuan.edu"), null]) {
      await expect(createClass(actor, { grade: 1, name: "越权班", year: 2026 })).rejects.toThrow(ForbiddenError);
      await expect(schoolClasses(actor)).rejects.toThrow(ForbiddenError);
    }
    // The same person acting as a parent holds no admin power either.
    await expect(schoolClasses(await actorFor("wuhou-pri.t1", "parent"))).rejects.toThrow(ForbiddenError);
  });
});

describe("one school's admin and another school's classes", () => {
  it("lists only the admin's own school", async () => {
    const classes = (await schoolClasses(await actorFor("wuhou-pri.admin"))).classes;
    const names = classes.map((c) => c.name);
    expect(names).toContain("五年级（2）班");
    expect(classes.find((c) => c.name === "三年级（1）班")).toMatchObject({ headTeacher: (await userByLogin("wuhou-pri.t1")).realName, teachers: 3, students: 4 });
    expect(names).not.toContain("四年级（1）班"); // 康定
  });

  it("cannot read, staff, move into or archive a class of school B", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const other = await classNamed("四年级（1）班");
    const ownTeacher = await userByLogin("wuhou-pri.t2");
    // Another school's class answers like an unknown one (issue 13 item 9b).
    await expect(classDetail(admin, other.id)).rejects.toThrow(NotFoundError);
    await expect(assignTeacher(admin, other.id, { teacherId: ownTeacher.id })).rejects.toThrow(NotFoundError);
    await expect(removeTeacher(admin, other.id, (await userByLogin("kangding-pri.t1")).id)).rejects.toThrow(NotFoundError);
    await expect(archiveClass(admin, other.id)).rejects.toThrow(NotFoundError);
    expect((await validationRefusal(async () => moveStudent(admin, { student: "wuhou-pri.s2", toClassId: other.id }))).fields.toClassId?.key).toBe("classes:targetRequired");
    expect((await classNamed("四年级（1）班")).archivedAt).toBeNull();
    expect((await membershipsOf("wuhou-pri.s2")).map((m) => m.classId)).not.toContain(other.id);
  });

  it("cannot move school B's student, who reads as unknown", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const error = await refusal(async () => moveStudent(admin, { student: "kangding-pri.s1", toClassId: (await classNamed("三年级（1）班")).id })) as ValidationError;
    expect(error.fields.student?.key).toBe("classes:studentNotFound");
    expect((await everyInOrder((await membershipsOf("kangding-pri.s1")), async (m) => m.classId !== (await classNamed("三年级（1）班")).id))).toBe(true);
  });

  it("answers an unknown class with not found", async () => {
    await expect(classDetail(await actorFor("wuhou-pri.admin"), "nosuchclass")).rejects.toThrow(NotFoundError);
  });
});

describe("staffing a class", () => {
  it("assigns a head teacher (one per class) and subject teachers, and removes a teacher", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const klass = await createClass(admin, { grade: 2, name: "二年级（5）班", year: 2026 });
    const t1 = await userByLogin("wuhou-pri.t1");
    const t2 = await userByLogin("wuhou-pri.t2");
    await assignTeacher(admin, klass.id, { teacherId: t1.id, subject: "语文", head: true });
    await assignTeacher(admin, klass.id, { teacherId: t2.id, subject: "数学" });
    let detail = await classDetail(admin, klass.id);
    expect(detail.teachers.map((t) => [t.loginName, t.subject, t.isHeadTeacher])).toEqual([
      ["wuhou-pri.t1", "语文", true],
      ["wuhou-pri.t2", "数学", false],
    ]);
    // A new head teacher replaces the old one, who stays on as a subject teacher.
    await assignTeacher(admin, klass.id, { teacherId: t2.id, head: true });
    detail = await classDetail(admin, klass.id);
    expect(detail.teachers.filter((t) => t.isHeadTeacher).map((t) => t.loginName)).toEqual(["wuhou-pri.t2"]);
    expect(detail.teachers.find((t) => t.loginName === "wuhou-pri.t2")?.subject).toBe("数学");
    expect(await auditOf("class.assign_teacher", klass.id)).toHaveLength(3);

    await removeTeacher(admin, klass.id, t1.id);
    expect((await classDetail(admin, klass.id)).teachers.map((t) => t.loginName)).toEqual(["wuhou-pri.t2"]);
    expect(await auditOf("class.remove_teacher", klass.id)).toHaveLength(1);
    await expect(removeTeacher(admin, klass.id, t1.id)).rejects.toThrow(NotFoundError);
  });

  it("refuses a teacher of another school, and a student as a teacher, with a translated field message", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const klass = await classNamed("三年级（1）班");
    for (const login of ["kangding-pri.t1", "wuhou-pri.s1", "wuhou-jun.t1"]) {
      const error = await refusal(async () => assignTeacher(admin, klass.id, { teacherId: (await userByLogin(login)).id, subject: "体育" })) as ValidationError;
      expect(error.fields.teacherId?.key).toBe("classes:teacherNotInSchool");
    }
    expect((await classDetail(admin, klass.id)).teachers.map((t) => t.loginName)).not.toContain("kangding-pri.t1");
  });
});

describe("moving students", () => {
  it("moves a student to another class: at most one current class, audited with from and to", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const from = await classNamed("三年级（1）班");
    const to = await classNamed("五年级（2）班");
    const student = await userByLogin("wuhou-pri.s3");
    const moved = await moveStudent(admin, { student: "WUHOU-PRI.S3", toClassId: to.id });
    expect(moved).toEqual({ studentId: student.id, fromClassId: from.id });
    expect((await membershipsOf("wuhou-pri.s3")).map((m) => m.classId)).toEqual([to.id]);
    const [event] = await auditOf("class.move_student", student.id);
    expect(event!.detail).toMatchObject({ fromClassId: from.id, toClassId: to.id, fromClass: from.name, toClass: to.name });
    // Moving into the class they are already in says so.
    const again = await refusal(async () => moveStudent(admin, { student: student.id, toClassId: to.id })) as ValidationError;
    expect(again.fields.toClassId?.key).toBe("classes:alreadyInClass");
    await moveStudent(admin, { student: student.id, toClassId: from.id });
    expect((await membershipsOf("wuhou-pri.s3")).map((m) => m.classId)).toEqual([from.id]);
  });

  it("refuses a teacher as a student and an unknown login", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const to = await classNamed("五年级（2）班");
    for (const ref of ["wuhou-pri.t1", "nobody", ""]) {
      const error = await refusal(async () => moveStudent(admin, { student: ref, toClassId: to.id })) as ValidationError;
      expect(error.fields.student?.key).toMatch(/^classes:student(NotFound|Required)$/);
    }
  });
});

describe("archiving a class at year end", () => {
  it("drops the class from lists, keeps its memberships, and lets its students join a new class", async () => {
    const admin = await actorFor("wuhou-jun.admin");
    const klass = await classNamed("九年级（1）班");
    const membersBefore = await db().select().from(schema.classMemberships).where(eq(schema.classMemberships.classId, klass.id));
    const teacher = await actorFor("wuhou-jun.t1", "teacher");
    expect((await myClasses(teacher)).map((c) => c.id)).toContain(klass.id);

    await archiveClass(admin, klass.id);
    expect((await schoolClasses(admin)).classes.map((c) => c.id)).not.toContain(klass.id);
    expect((await myClasses(teacher)).map((c) => c.id)).not.toContain(klass.id);
    expect(await db().select().from(schema.classMemberships).where(eq(schema.classMemberships.classId, klass.id))).toHaveLength(membersBefore.length);
    expect(await auditOf("class.archive", klass.id)).toHaveLength(1);

    // Archived is final for changes: no staffing, no moving in, no second archive.
    await expect(archiveClass(admin, klass.id)).rejects.toThrow(ValidationError);
    await expect(assignTeacher(admin, klass.id, { teacherId: (await userByLogin("wuhou-jun.t2")).id })).rejects.toThrow(ValidationError);
    const student = membersBefore.find((m) => m.role === "student")!;
    await expect(moveStudent(admin, { student: student.userId, toClassId: klass.id })).rejects.toThrow(ValidationError);

    // The graduate's old membership stays as history when they join a new class.
    const next = await createClass(admin, { grade: 1, name: "高中衔接班", year: 2027 });
    const moved = await moveStudent(admin, { student: student.userId, toClassId: next.id });
    expect(moved.fromClassId).toBeNull();
    const classIds = (await db().select().from(schema.classMemberships).where(eq(schema.classMemberships.userId, student.userId))).map((m) => m.classId);
    expect(classIds.sort()).toEqual([klass.id, next.id].sort());
  });
});
