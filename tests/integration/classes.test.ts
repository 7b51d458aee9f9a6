import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
import { archiveClass, assignTeacher, classDetail, createClass, moveStudent, myClasses, removeTeacher, schoolClasses } from "~/domain/classwork/classes.server";
import { ForbiddenError, NotFoundError, ValidationError } from "~/domain/foundation/errors.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { refusal, validationRefusal } from "../support/refusal";

beforeAll(async () => {
  await demoWorld();
});

function classNamed(name: string) {
  const klass = db().select().from(schema.classes).where(eq(schema.classes.name, name)).get();
  if (!klass) throw new Error(`no class ${name}`);
  return klass;
}

function auditOf(action: string, targetId: string) {
  return db()
    .select()
    .from(schema.auditEvents)
    .where(and(eq(schema.auditEvents.action, action), eq(schema.auditEvents.targetId, targetId)))
    .all();
}


function membershipsOf(loginName: string) {
  return db().select().from(schema.classMemberships).where(eq(schema.classMemberships.userId, userByLogin(loginName).id)).all();
}

describe("creating classes", () => {
  it("creates a class in the admin's own school and audits it", () => {
    const admin = actorFor("wuhou-pri.admin");
    const klass = createClass(admin, { grade: "1", name: " 一年级（1）班 ", year: "2026" });
    expect(klass).toMatchObject({ name: "一年级（1）班", grade: 1, year: 2026, schoolId: userByLogin("wuhou-pri.admin").schoolId });
    expect(schoolClasses(admin).classes.map((c) => c.name)).toContain("一年级（1）班");
    const [event] = auditOf("class.create", klass.id);
    expect(event).toMatchObject({ actorId: admin.id, schoolId: klass.schoolId, targetType: "class" });
  });

  it("refuses a duplicate name in the same year, but not in another year", () => {
    const admin = actorFor("wuhou-pri.admin");
    const error = refusal(() => createClass(admin, { grade: 3, name: "三年级（1）班", year: 2026 })) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fields.name).toEqual({ key: "classes:duplicateName", params: { year: 2026 } });
    expect(createClass(admin, { grade: 3, name: "三年级（1）班", year: 2027 }).year).toBe(2027);
  });

  it("refuses a grade outside the school's stage, a missing name and a bad year, each beside its field", () => {
    const admin = actorFor("wuhou-pri.admin");
    const before = db().select().from(schema.classes).all().length;
    const tooHigh = refusal(() => createClass(admin, { grade: 7, name: "七年级", year: 2026 })) as ValidationError;
    expect(tooHigh.fields.grade).toEqual({ key: "classes:gradeOutOfRange", params: { max: 6 } });
    const zero = refusal(() => createClass(admin, { grade: 0, name: "零年级", year: 2026 })) as ValidationError;
    expect(zero.fields.grade?.key).toBe("classes:gradeOutOfRange");
    const blank = refusal(() => createClass(admin, { grade: "x", name: "  ", year: "twenty" })) as ValidationError;
    expect(blank.fields).toMatchObject({ grade: { key: "classes:gradeRequired" }, name: { key: "classes:nameRequired" }, year: { key: "classes:yearInvalid" } });
    expect(db().select().from(schema.classes).all().length).toBe(before);
  });

  it("refuses teachers, students, parents, region admins and anonymous", () => {
    for (const actor of [actorFor("wuhou-pri.t1", "teacher"), actorFor("wuhou-pri.s1"), actorFor("wuhou-pri.p1"), actorFor("sichuan.edu"), null]) {
      expect(() => createClass(actor, { grade: 1, name: "越权班", year: 2026 })).toThrow(ForbiddenError);
      expect(() => schoolClasses(actor)).toThrow(ForbiddenError);
    }
    // The same person acting as a parent holds no admin power either.
    expect(() => schoolClasses(actorFor("wuhou-pri.t1", "parent"))).toThrow(ForbiddenError);
  });
});

describe("one school's admin and another school's classes", () => {
  it("lists only the admin's own school", () => {
    const classes = schoolClasses(actorFor("wuhou-pri.admin")).classes;
    const names = classes.map((c) => c.name);
    expect(names).toContain("五年级（2）班");
    expect(classes.find((c) => c.name === "三年级（1）班")).toMatchObject({ headTeacher: userByLogin("wuhou-pri.t1").realName, teachers: 3, students: 4 });
    expect(names).not.toContain("四年级（1）班"); // 康定
  });

  it("cannot read, staff, move into or archive a class of school B", () => {
    const admin = actorFor("wuhou-pri.admin");
    const other = classNamed("四年级（1）班");
    const ownTeacher = userByLogin("wuhou-pri.t2");
    // Another school's class answers like an unknown one (issue 13 item 9b).
    expect(() => classDetail(admin, other.id)).toThrow(NotFoundError);
    expect(() => assignTeacher(admin, other.id, { teacherId: ownTeacher.id })).toThrow(NotFoundError);
    expect(() => removeTeacher(admin, other.id, userByLogin("kangding-pri.t1").id)).toThrow(NotFoundError);
    expect(() => archiveClass(admin, other.id)).toThrow(NotFoundError);
    expect(validationRefusal(() => moveStudent(admin, { student: "wuhou-pri.s2", toClassId: other.id })).fields.toClassId?.key).toBe("classes:targetRequired");
    expect(classNamed("四年级（1）班").archivedAt).toBeNull();
    expect(membershipsOf("wuhou-pri.s2").map((m) => m.classId)).not.toContain(other.id);
  });

  it("cannot move school B's student, who reads as unknown", () => {
    const admin = actorFor("wuhou-pri.admin");
    const error = refusal(() => moveStudent(admin, { student: "kangding-pri.s1", toClassId: classNamed("三年级（1）班").id })) as ValidationError;
    expect(error.fields.student?.key).toBe("classes:studentNotFound");
    expect(membershipsOf("kangding-pri.s1").every((m) => m.classId !== classNamed("三年级（1）班").id)).toBe(true);
  });

  it("answers an unknown class with not found", () => {
    expect(() => classDetail(actorFor("wuhou-pri.admin"), "nosuchclass")).toThrow(NotFoundError);
  });
});

describe("staffing a class", () => {
  it("assigns a head teacher (one per class) and subject teachers, and removes a teacher", () => {
    const admin = actorFor("wuhou-pri.admin");
    const klass = createClass(admin, { grade: 2, name: "二年级（5）班", year: 2026 });
    const t1 = userByLogin("wuhou-pri.t1");
    const t2 = userByLogin("wuhou-pri.t2");
    assignTeacher(admin, klass.id, { teacherId: t1.id, subject: "语文", head: true });
    assignTeacher(admin, klass.id, { teacherId: t2.id, subject: "数学" });
    let detail = classDetail(admin, klass.id);
    expect(detail.teachers.map((t) => [t.loginName, t.subject, t.isHeadTeacher])).toEqual([
      ["wuhou-pri.t1", "语文", true],
      ["wuhou-pri.t2", "数学", false],
    ]);
    // A new head teacher replaces the old one, who stays on as a subject teacher.
    assignTeacher(admin, klass.id, { teacherId: t2.id, head: true });
    detail = classDetail(admin, klass.id);
    expect(detail.teachers.filter((t) => t.isHeadTeacher).map((t) => t.loginName)).toEqual(["wuhou-pri.t2"]);
    expect(detail.teachers.find((t) => t.loginName === "wuhou-pri.t2")?.subject).toBe("数学");
    expect(auditOf("class.assign_teacher", klass.id)).toHaveLength(3);

    removeTeacher(admin, klass.id, t1.id);
    expect(classDetail(admin, klass.id).teachers.map((t) => t.loginName)).toEqual(["wuhou-pri.t2"]);
    expect(auditOf("class.remove_teacher", klass.id)).toHaveLength(1);
    expect(() => removeTeacher(admin, klass.id, t1.id)).toThrow(NotFoundError);
  });

  it("refuses a teacher of another school, and a student as a teacher, with a translated field message", () => {
    const admin = actorFor("wuhou-pri.admin");
    const klass = classNamed("三年级（1）班");
    for (const login of ["kangding-pri.t1", "wuhou-pri.s1", "wuhou-jun.t1"]) {
      const error = refusal(() => assignTeacher(admin, klass.id, { teacherId: userByLogin(login).id, subject: "体育" })) as ValidationError;
      expect(error.fields.teacherId?.key).toBe("classes:teacherNotInSchool");
    }
    expect(classDetail(admin, klass.id).teachers.map((t) => t.loginName)).not.toContain("kangding-pri.t1");
  });
});

describe("moving students", () => {
  it("moves a student to another class: at most one current class, audited with from and to", () => {
    const admin = actorFor("wuhou-pri.admin");
    const from = classNamed("三年级（1）班");
    const to = classNamed("五年级（2）班");
    const student = userByLogin("wuhou-pri.s3");
    const moved = moveStudent(admin, { student: "WUHOU-PRI.S3", toClassId: to.id });
    expect(moved).toEqual({ studentId: student.id, fromClassId: from.id });
    expect(membershipsOf("wuhou-pri.s3").map((m) => m.classId)).toEqual([to.id]);
    const [event] = auditOf("class.move_student", student.id);
    expect(event!.detail).toMatchObject({ fromClassId: from.id, toClassId: to.id, fromClass: from.name, toClass: to.name });
    // Moving into the class they are already in says so.
    const again = refusal(() => moveStudent(admin, { student: student.id, toClassId: to.id })) as ValidationError;
    expect(again.fields.toClassId?.key).toBe("classes:alreadyInClass");
    moveStudent(admin, { student: student.id, toClassId: from.id });
    expect(membershipsOf("wuhou-pri.s3").map((m) => m.classId)).toEqual([from.id]);
  });

  it("refuses a teacher as a student and an unknown login", () => {
    const admin = actorFor("wuhou-pri.admin");
    const to = classNamed("五年级（2）班");
    for (const ref of ["wuhou-pri.t1", "nobody", ""]) {
      const error = refusal(() => moveStudent(admin, { student: ref, toClassId: to.id })) as ValidationError;
      expect(error.fields.student?.key).toMatch(/^classes:student(NotFound|Required)$/);
    }
  });
});

describe("archiving a class at year end", () => {
  it("drops the class from lists, keeps its memberships, and lets its students join a new class", () => {
    const admin = actorFor("wuhou-jun.admin");
    const klass = classNamed("九年级（1）班");
    const membersBefore = db().select().from(schema.classMemberships).where(eq(schema.classMemberships.classId, klass.id)).all();
    const teacher = actorFor("wuhou-jun.t1", "teacher");
    expect(myClasses(teacher).map((c) => c.id)).toContain(klass.id);

    archiveClass(admin, klass.id);
    expect(schoolClasses(admin).classes.map((c) => c.id)).not.toContain(klass.id);
    expect(myClasses(teacher).map((c) => c.id)).not.toContain(klass.id);
    expect(db().select().from(schema.classMemberships).where(eq(schema.classMemberships.classId, klass.id)).all()).toHaveLength(membersBefore.length);
    expect(auditOf("class.archive", klass.id)).toHaveLength(1);

    // Archived is final for changes: no staffing, no moving in, no second archive.
    expect(() => archiveClass(admin, klass.id)).toThrow(ValidationError);
    expect(() => assignTeacher(admin, klass.id, { teacherId: userByLogin("wuhou-jun.t2").id })).toThrow(ValidationError);
    const student = membersBefore.find((m) => m.role === "student")!;
    expect(() => moveStudent(admin, { student: student.userId, toClassId: klass.id })).toThrow(ValidationError);

    // The graduate's old membership stays as history when they join a new class.
    const next = createClass(admin, { grade: 1, name: "高中衔接班", year: 2027 });
    const moved = moveStudent(admin, { student: student.userId, toClassId: next.id });
    expect(moved.fromClassId).toBeNull();
    const classIds = db().select().from(schema.classMemberships).where(eq(schema.classMemberships.userId, student.userId)).all().map((m) => m.classId);
    expect(classIds.sort()).toEqual([klass.id, next.id].sort());
  });
});
