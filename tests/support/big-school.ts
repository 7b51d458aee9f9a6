// A school of 1,500 pupils in 30 classes, as a real primary school looks on its first day: most
// guardians have signed the paper consent, 124 under-14s still wait (a few refused or withdrew),
// and two pupils in different classes share a name and a birth date. Inserted in one transaction
// without hashing a password per pupil, so a test file can afford it.
import { eq } from "drizzle-orm";
import { db, schema, first } from "#db/client";
import { personName } from "#db/seed/names";
import { randomId } from "~/domain/foundation/ids.server";

export const BIG_SCHOOL_PREFIX = "big1500";
export const BIG_SCHOOL_PUPILS = 1500;
export const BIG_SCHOOL_CLASSES = 30;
/** Under 14 and without consent on record (every pupil here is under 14). */
export const BIG_SCHOOL_MISSING = 124;
/** The name two pupils share (with their birth date), in 三年级（2）班 and 五年级（4）班. */
export const SHARED_NAME = "沙马拉则";
export const SHARED_BIRTH_DATE = "2017-04-09";

const GRADE_NAMES = ["一", "二", "三", "四", "五", "六"];
const PER_CLASS = BIG_SCHOOL_PUPILS / BIG_SCHOOL_CLASSES;

export type BigSchool = {
  schoolId: string;
  adminLogin: string;
  teacherLogins: string[];
  /** Class ids by name, e.g. "四年级（1）班". */
  classIds: Map<string, string>;
  /** Pupils still waiting for consent, by class name. */
  missingByClass: Map<string, string[]>;
};

/** Adds the big school below the region of an existing demo school (default: 昭觉). */
export async function addBigSchool(regionOfSchoolPrefix = "zhaojue-pri"): Promise<BigSchool> {
  const d = db();
  const regionId = (await first(d.select({ regionId: schema.schools.regionId }).from(schema.schools).where(eq(schema.schools.loginPrefix, regionOfSchoolPrefix)).limit(1)))!.regionId;
  const schoolId = randomId();
  const at = new Date(Date.UTC(2026, 8, 1));
  const user = (loginName: string, realName: string, extra: Partial<typeof schema.users.$inferInsert> = {}) => ({
    id: randomId(),
    handle: loginName.replace(/[^a-z0-9]+/g, "-"),
    loginName,
    realName,
    schoolId,
    status: "provisioned" as const,
    ...extra,
  });
  const chunked = async <T>(rows: T[], size: number, insert: (chunk: T[]) => Promise<unknown>) => {
    for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
  };

  const classIds = new Map<string, string>();
  const missingByClass = new Map<string, string[]>();
  await d.transaction(async (tx) => {
    await tx.insert(schema.schools).values({ id: schoolId, regionId, name: "昭觉县千人示范小学", stage: "primary", defaultLocale: "ii", phase: 2, loginPrefix: BIG_SCHOOL_PREFIX });
    const admin = user(`${BIG_SCHOOL_PREFIX}.admin`, "吉克曲布", { status: "active" });
    const teachers = [1, 2, 3].map((n) => user(`${BIG_SCHOOL_PREFIX}.t${n}`, personName("yi", 900 + n), { status: "active" }));
    await tx.insert(schema.users).values([admin, ...teachers]);
    await tx.insert(schema.userRoles).values([{ userId: admin.id, role: "school_admin", schoolId }, ...teachers.map((t) => ({ userId: t.id, role: "teacher" as const, schoolId }))]);

    const classes = Array.from({ length: BIG_SCHOOL_CLASSES }, (_, i) => {
      const grade = Math.floor(i / 5) + 1;
      const name = `${GRADE_NAMES[grade - 1]}年级（${(i % 5) + 1}）班`;
      classIds.set(name, randomId());
      return { id: classIds.get(name)!, schoolId, grade, name, year: 2026 };
    });
    await tx.insert(schema.classes).values(classes);

    const pupils: (typeof schema.users.$inferInsert)[] = [];
    const memberships: (typeof schema.classMemberships.$inferInsert)[] = [];
    const records: (typeof schema.consentRecords.$inferInsert)[] = [];
    const contacts: (typeof schema.guardianContacts.$inferInsert)[] = [];
    for (let i = 0; i < BIG_SCHOOL_PUPILS; i++) {
      const klass = classes[Math.floor(i / PER_CLASS)]!;
      // Younger grades are born later; all of them are under 14 in 2026.
      const year = 2020 - (klass.grade - 1);
      const birthDate = `${year}-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")}`;
      const shared = i === 2 * 250 + 60 || i === 4 * 250 + 160;
      const pupil = user(`${BIG_SCHOOL_PREFIX}.s${i + 1}`, shared ? SHARED_NAME : personName("yi", i), {
        birthDate: shared ? SHARED_BIRTH_DATE : birthDate,
        gender: i % 2 ? "male" : "female",
        studentNumber: String(20260001 + i),
      });
      pupils.push(pupil);
      memberships.push({ classId: klass.id, userId: pupil.id, role: "student" });
      if (i % 3 === 0) contacts.push({ id: randomId(), studentId: pupil.id, name: personName("yi", 5000 + i), phone: null });
      const missing = i % 12 === 0 && i < 12 * BIG_SCHOOL_MISSING;
      if (missing) {
        missingByClass.set(klass.name, [...(missingByClass.get(klass.name) ?? []), pupil.id]);
        // Some guardians said no on paper, a few withdrew later: both still wait.
        if (i % 120 === 0) records.push({ id: randomId(), studentId: pupil.id, guardianName: "监护人", method: "paper", decision: i % 240 === 0 ? "refused" : "withdrawn", decidedAt: at, createdAt: at });
      } else {
        records.push({ id: randomId(), studentId: pupil.id, guardianName: "监护人", method: "paper", decision: "given", decidedAt: at, createdAt: at });
      }
    }
    await chunked(pupils, 500, async (rows) => tx.insert(schema.users).values(rows));
    await chunked(pupils, 1000, async (rows) => tx.insert(schema.userRoles).values(rows.map((p) => ({ userId: p.id!, role: "student" as const, schoolId }))));
    await chunked(memberships, 1000, async (rows) => tx.insert(schema.classMemberships).values(rows));
    await chunked(records, 500, async (rows) => tx.insert(schema.consentRecords).values(rows));
    await chunked(contacts, 500, async (rows) => tx.insert(schema.guardianContacts).values(rows));
  });
  return { schoolId, adminLogin: `${BIG_SCHOOL_PREFIX}.admin`, teacherLogins: [1, 2, 3].map((n) => `${BIG_SCHOOL_PREFIX}.t${n}`), classIds, missingByClass };
}
