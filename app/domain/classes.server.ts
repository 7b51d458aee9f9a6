// Class groups (班级): what a teacher or a student sees of their own classes.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { db, schema } from "#db/client";
import { requireSignedIn, type Actor } from "./actor.server";
import { ForbiddenError } from "./errors.server";

export type ClassSummary = {
  id: string;
  name: string;
  grade: number;
  year: number;
  schoolName: string;
  myRole: "teacher" | "student";
  isHeadTeacher: boolean;
  subject: string | null;
  students: number;
  teachers: { realName: string; subject: string | null; isHeadTeacher: boolean }[];
};

/** The actor's current (not archived) classes, in the role they act in now (teacher or student). */
export function myClasses(actor: Actor): ClassSummary[] {
  const signedIn = requireSignedIn(actor);
  const role = signedIn.activeRole;
  if (role !== "teacher" && role !== "student") throw new ForbiddenError();
  const rows = db()
    .select({
      id: schema.classes.id,
      name: schema.classes.name,
      grade: schema.classes.grade,
      year: schema.classes.year,
      schoolName: schema.schools.name,
      isHeadTeacher: schema.classMemberships.isHeadTeacher,
      subject: schema.classMemberships.subject,
      students: sql<number>`(select count(*) from class_memberships m where m.class_id = ${schema.classes.id} and m.role = 'student')`,
    })
    .from(schema.classMemberships)
    .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
    .innerJoin(schema.schools, eq(schema.schools.id, schema.classes.schoolId))
    .where(and(eq(schema.classMemberships.userId, signedIn.id), eq(schema.classMemberships.role, role), isNull(schema.classes.archivedAt)))
    .orderBy(schema.classes.grade, schema.classes.name)
    .all();
  const teachers = rows.length
    ? db()
        .select({
          classId: schema.classMemberships.classId,
          realName: schema.users.realName,
          subject: schema.classMemberships.subject,
          isHeadTeacher: schema.classMemberships.isHeadTeacher,
        })
        .from(schema.classMemberships)
        .innerJoin(schema.users, eq(schema.users.id, schema.classMemberships.userId))
        .where(and(inArray(schema.classMemberships.classId, rows.map((r) => r.id)), eq(schema.classMemberships.role, "teacher")))
        .orderBy(sql`${schema.classMemberships.isHeadTeacher} desc`, schema.users.realName)
        .all()
    : [];
  return rows.map((r) => ({
    ...r,
    myRole: role,
    teachers: teachers.filter((t) => t.classId === r.id).map(({ classId: _, ...t }) => t),
  }));
}
