// The demo world: Sichuan's regions, nine schools in 成都, 甘孜 and 凉山, their classes, teachers,
// students and parents. Idempotent: every row is found by its natural key before it is made, so a
// second run adds nothing. Activated demo accounts all use the password `demo1234`.
import { and, eq } from "drizzle-orm";
import { storeActivationCode } from "~/domain/accounts/accounts.server";
import { randomId } from "~/domain/foundation/ids.server";
import { hashPassword } from "~/domain/accounts/passwords.server";
import { db, schema } from "../client";
import type { LocalNames, Locale, Role, Stage } from "../schema";
import { seedDemoAssignments } from "./assignments";
import { seedDemoGroups } from "./groups";
import { seedDemoLibrary } from "./library";
import { seedDemoFlags } from "./flags";
import { seedDemoPortfolio } from "./portfolio";
import { seedDemoPosts } from "./posts";
import { personName, type Community } from "./names";
import { forEachInOrder, mapInOrder } from "~/lib/in-order";
import { first, only } from "../client";

export const DEMO_PASSWORD = "demo1234";

type RegionSpec = { key: string; name: string; level: "province" | "prefecture" | "county"; parent?: string; ceiling?: number };
const REGIONS: RegionSpec[] = [
  { key: "sichuan", name: "四川省", level: "province" },
  { key: "chengdu", name: "成都市", level: "prefecture", parent: "sichuan" },
  { key: "wuhou", name: "武侯区", level: "county", parent: "chengdu" },
  { key: "garze", name: "甘孜藏族自治州", level: "prefecture", parent: "sichuan", ceiling: 3 },
  { key: "kangding", name: "康定市", level: "county", parent: "garze" },
  { key: "liangshan", name: "凉山彝族自治州", level: "prefecture", parent: "sichuan", ceiling: 2 },
  { key: "zhaojue", name: "昭觉县", level: "county", parent: "liangshan" },
];

type ClassSpec = { grade: number; name: string; birthYear: number };
type SchoolSpec = { code: string; name: string; region: string; stage: Stage; locale: Locale; tags: string[]; phase: number; community: Community; classes: ClassSpec[]; subjects: string[] };

// The names the Tibetan and Yi schools give in their languages (machine drafts, to be reviewed like the
// locale files): the school's, its classes' (by official name) and its subjects'.
type LocalSpec = { school: LocalNames; classes: Record<string, LocalNames>; subjects: Record<string, LocalNames> };
const BO_SUBJECTS: Record<string, LocalNames> = {
  藏文: { bo: "བོད་ཡིག", en: "Tibetan" },
  语文: { bo: "རྒྱ་ཡིག", en: "Chinese" },
  数学: { bo: "རྩིས་རིག", en: "Mathematics" },
  化学: { bo: "རྫས་འགྱུར་རིག་པ", en: "Chemistry" },
};
const II_SUBJECTS: Record<string, LocalNames> = {
  彝文: { ii: "ꆈꌠꉙ", en: "Yi" },
  语文: { ii: "ꉢꉙ", en: "Chinese" },
  数学: { ii: "ꎁꌋ", en: "Mathematics" },
  英语: { ii: "ꑱꉙ", en: "English" },
};
const LOCAL_NAMES: Record<string, LocalSpec> = {
  "kangding-pri": {
    school: { bo: "དར་རྩེ་མདོ་གྲོང་ཁྱེར་སློབ་ཆུང་ཨང་གཉིས་པ", en: "Kangding No. 2 Primary School" },
    classes: { "四年级（1）班": { bo: "ལོ་རིམ་བཞི་པའི་འཛིན་གྲྭ་དང་པོ", en: "Grade 4, Class 1" }, "六年级（1）班": { bo: "ལོ་རིམ་དྲུག་པའི་འཛིན་གྲྭ་དང་པོ", en: "Grade 6, Class 1" } },
    subjects: BO_SUBJECTS,
  },
  "kangding-jun": {
    school: { bo: "དར་རྩེ་མདོ་གྲོང་ཁྱེར་མི་རིགས་སློབ་འབྲིང", en: "Kangding Ethnic Middle School" },
    classes: { "八年级（2）班": { bo: "ལོ་རིམ་བརྒྱད་པའི་འཛིན་གྲྭ་གཉིས་པ", en: "Grade 8, Class 2" }, "九年级（2）班": { bo: "ལོ་རིམ་དགུ་པའི་འཛིན་གྲྭ་གཉིས་པ", en: "Grade 9, Class 2" } },
    subjects: BO_SUBJECTS,
  },
  "zhaojue-pri": {
    school: { ii: "ꏪꐚ ꍈꀧ ꌶꅉꀄꊭ", en: "Zhaojue Chengbei Primary School" },
    classes: { "二年级（1）班": { ii: "ꑍꈎꐛ ꋍꌶꁥ", en: "Grade 2, Class 1" }, "五年级（1）班": { ii: "ꉬꈎꐛ ꋍꌶꁥ", en: "Grade 5, Class 1" } },
    subjects: II_SUBJECTS,
  },
  "zhaojue-jun": {
    school: { ii: "ꏪꐚ ꆈꌠ ꌶꅉꐧꀁꂥ", en: "Zhaojue Ethnic Middle School" },
    classes: { "七年级（1）班": { ii: "ꏃꈎꐛ ꋍꌶꁥ", en: "Grade 7, Class 1" }, "九年级（4）班": { ii: "ꈬꈎꐛ ꇖꌶꁥ", en: "Grade 9, Class 4" } },
    subjects: II_SUBJECTS,
  },
};

const SCHOOLS: SchoolSpec[] = [
  { code: "wuhou-pri", name: "武侯区实验小学", region: "wuhou", stage: "primary", locale: "zh-Hans", tags: [], phase: 3, community: "han", classes: [{ grade: 3, name: "三年级（1）班", birthYear: 2018 }, { grade: 5, name: "五年级（2）班", birthYear: 2016 }], subjects: ["语文", "数学", "英语"] },
  { code: "wuhou-jun", name: "武侯区第一初级中学", region: "wuhou", stage: "junior", locale: "zh-Hans", tags: [], phase: 3, community: "han", classes: [{ grade: 1, name: "七年级（3）班", birthYear: 2014 }, { grade: 3, name: "九年级（1）班", birthYear: 2011 }], subjects: ["语文", "数学", "物理"] },
  { code: "wuhou-voc", name: "成都市武侯职业技术学校", region: "wuhou", stage: "vocational", locale: "zh-Hans", tags: ["vocational-pilot"], phase: 3, community: "han", classes: [{ grade: 1, name: "2026级计算机应用1班", birthYear: 2010 }, { grade: 2, name: "2025级旅游服务1班", birthYear: 2009 }], subjects: ["计算机基础", "语文", "旅游服务"] },
  { code: "kangding-pri", name: "康定市第二小学", region: "kangding", stage: "primary", locale: "bo", tags: ["ethnic-area"], phase: 2, community: "tibetan", classes: [{ grade: 4, name: "四年级（1）班", birthYear: 2017 }, { grade: 6, name: "六年级（1）班", birthYear: 2015 }], subjects: ["藏文", "语文", "数学"] },
  { code: "kangding-jun", name: "康定市民族中学", region: "kangding", stage: "junior", locale: "bo", tags: ["ethnic-area"], phase: 2, community: "tibetan", classes: [{ grade: 2, name: "八年级（2）班", birthYear: 2013 }, { grade: 3, name: "九年级（2）班", birthYear: 2011 }], subjects: ["藏文", "数学", "化学"] },
  { code: "garze-voc", name: "甘孜州职业技术学校", region: "kangding", stage: "vocational", locale: "bo", tags: ["ethnic-area", "vocational-pilot"], phase: 2, community: "tibetan", classes: [{ grade: 1, name: "2026级唐卡绘画班", birthYear: 2010 }, { grade: 2, name: "2025级藏医药班", birthYear: 2009 }], subjects: ["唐卡", "藏医药", "藏文"] },
  { code: "zhaojue-pri", name: "昭觉县城北小学", region: "zhaojue", stage: "primary", locale: "ii", tags: ["ethnic-area", "remote"], phase: 1, community: "yi", classes: [{ grade: 2, name: "二年级（1）班", birthYear: 2019 }, { grade: 5, name: "五年级（1）班", birthYear: 2016 }], subjects: ["彝文", "语文", "数学"] },
  { code: "zhaojue-jun", name: "昭觉县民族中学", region: "zhaojue", stage: "junior", locale: "ii", tags: ["ethnic-area", "remote"], phase: 2, community: "yi", classes: [{ grade: 1, name: "七年级（1）班", birthYear: 2014 }, { grade: 3, name: "九年级（4）班", birthYear: 2011 }], subjects: ["彝文", "数学", "英语"] },
  { code: "zhaojue-voc", name: "昭觉县职业技术学校", region: "zhaojue", stage: "vocational", locale: "ii", tags: ["ethnic-area", "remote", "vocational-pilot"], phase: 2, community: "yi", classes: [{ grade: 1, name: "2026级彝绣工艺班", birthYear: 2010 }, { grade: 2, name: "2025级农业技术班", birthYear: 2009 }], subjects: ["彝绣", "农业技术", "语文"] },
];

const STUDENTS_PER_CLASS = 4;

export type DemoLogin = { role: Role; loginName: string; realName: string; school: string | null; note?: string };
export type DemoActivation = { loginName: string; realName: string; code: string; school: string };
export type DemoResult = { logins: DemoLogin[]; activations: DemoActivation[]; created: number };

/** A stable small number from a login name, to vary demo data without randomness. */
function spread(loginName: string): number {
  return [...loginName].reduce((sum, c) => sum + c.charCodeAt(0), 0);
}

export async function seedDemo(): Promise<DemoResult> {
  const d = db();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const now = new Date();
  let created = 0;
  const logins: DemoLogin[] = [];
  const activations: DemoActivation[] = [];

  const regionIds = new Map<string, string>();
  for (const spec of REGIONS) {
    const parentId = spec.parent ? regionIds.get(spec.parent)! : null;
    const found = (await d
          .select()
          .from(schema.regions))
      .find((r) => r.name === spec.name && r.parentId === parentId);
    if (found) {
      regionIds.set(spec.key, found.id);
      continue;
    }
    const id = randomId();
    await d.insert(schema.regions).values({ id, parentId, name: spec.name, level: spec.level, phaseCeiling: spec.ceiling ?? null });
    regionIds.set(spec.key, id);
    created++;
  }

  /** Finds a user by login name or creates them (active with the demo password, or provisioned). */
  const person = async (p: { loginName: string; realName: string; schoolId: string | null; birthDate?: string; gender?: "female" | "male"; locale?: Locale; active: boolean; roles: { role: Role; schoolId?: string; regionId?: string }[] }) => {
    let user = await first(d.select().from(schema.users).where(eq(schema.users.loginName, p.loginName)).limit(1));
    if (!user) {
      user = await only(d
              .insert(schema.users)
              .values({
                id: randomId(),
                handle: p.loginName.replace(/[^a-z0-9]+/g, "-"),
                loginName: p.loginName,
                realName: p.realName,
                schoolId: p.schoolId,
                birthDate: p.birthDate ?? null,
                gender: p.gender ?? null,
                status: p.active ? "active" : "provisioned",
                passwordHash: p.active ? passwordHash : null,
                activatedAt: p.active ? now : null,
                // Two in three active demo people were seen within the last week, so adoption charts show something.
                lastSeenAt: p.active && spread(p.loginName) % 3 !== 0 ? new Date(now.getTime() - (spread(p.loginName) % 9) * 86_400_000) : null,
                passwordChangedAt: p.active ? now : null,
              })
              .returning());
      created++;
    }
    for (const r of p.roles) {
      await d.insert(schema.userRoles)
              .values({ userId: user.id, role: r.role, schoolId: r.schoolId ?? null, regionId: r.regionId ?? null })
              .onConflictDoNothing();
    }
    return user;
  };

  const platform = await person({ loginName: "platform", realName: "周明远", schoolId: null, active: true, roles: [{ role: "platform_admin" }] });
  logins.push({ role: "platform_admin", loginName: platform.loginName, realName: platform.realName, school: null });
  const provinceAdmin = await person({ loginName: "sichuan.edu", realName: "何建华", schoolId: null, active: true, roles: [{ role: "region_admin", regionId: regionIds.get("sichuan")! }] });
  logins.push({ role: "region_admin", loginName: provinceAdmin.loginName, realName: provinceAdmin.realName, school: null, note: "四川省" });
  const liangshanAdmin = await person({ loginName: "liangshan.edu", realName: "吉克阿呷", schoolId: null, active: true, roles: [{ role: "region_admin", regionId: regionIds.get("liangshan")! }] });
  logins.push({ role: "region_admin", loginName: liangshanAdmin.loginName, realName: liangshanAdmin.realName, school: null, note: "凉山彝族自治州" });
  // 成都's prefecture admin: above the demo's 成都 schools, where most pupils' content is.
  const chengduAdmin = await person({ loginName: "chengdu.edu", realName: "李文博", schoolId: null, active: true, roles: [{ role: "region_admin", regionId: regionIds.get("chengdu")! }] });
  logins.push({ role: "region_admin", loginName: chengduAdmin.loginName, realName: chengduAdmin.realName, school: null, note: "成都市" });

  let nameIndex = 0;
  for (const spec of SCHOOLS) {
    const regionId = regionIds.get(spec.region)!;
    let school = await first(d
          .select()
          .from(schema.schools)
          .where(and(eq(schema.schools.regionId, regionId), eq(schema.schools.name, spec.name))).limit(1));
    if (!school) {
      school = await only(d
              .insert(schema.schools)
              .values({ id: randomId(), regionId, name: spec.name, stage: spec.stage, defaultLocale: spec.locale, tags: spec.tags, phase: spec.phase, loginPrefix: spec.code })
              .returning());
      created++;
    }
    const schoolId = school.id;
    const local = LOCAL_NAMES[spec.code];
    // Names in the school's language, unless its admin has given some already (a second run changes nothing).
    if (local && !Object.keys(school.names ?? {}).length && !Object.keys(school.subjectNames ?? {}).length) {
      await d.update(schema.schools).set({ names: local.school, subjectNames: local.subjects }).where(eq(schema.schools.id, schoolId));
    }
    const admin = await person({ loginName: `${spec.code}.admin`, realName: personName(spec.community, nameIndex++), schoolId, active: true, roles: [{ role: "school_admin", schoolId }] });
    const teachers = (await mapInOrder(spec.subjects, async (_, i) =>
          person({ loginName: `${spec.code}.t${i + 1}`, realName: personName(spec.community, nameIndex++), schoolId, gender: i % 2 ? "male" : "female", active: true, roles: [{ role: "teacher", schoolId }] })));
    if (spec.code === SCHOOLS[0]!.code) {
      logins.push({ role: "school_admin", loginName: admin.loginName, realName: admin.realName, school: spec.name });
      logins.push({ role: "teacher", loginName: teachers[0]!.loginName, realName: teachers[0]!.realName, school: spec.name, note: "也是家长 / also a parent" });
    }
    if (spec.code === "kangding-pri" || spec.code === "zhaojue-pri") {
      logins.push({ role: "teacher", loginName: teachers[0]!.loginName, realName: teachers[0]!.realName, school: spec.name });
    }

    let studentNo = 0;
    for (const [ci, cls] of spec.classes.entries()) {
      let klass = await first(d
              .select()
              .from(schema.classes)
              .where(and(eq(schema.classes.schoolId, schoolId), eq(schema.classes.year, 2026), eq(schema.classes.name, cls.name))).limit(1));
      if (!klass) {
        klass = await only(d.insert(schema.classes).values({ id: randomId(), schoolId, grade: cls.grade, name: cls.name, year: 2026 }).returning());
        created++;
      }
      const classId = klass.id;
      const classNames = local?.classes[cls.name];
      if (classNames && !Object.keys(klass.names ?? {}).length) await d.update(schema.classes).set({ names: classNames }).where(eq(schema.classes.id, classId));
      // The first teacher is head teacher of the first class; every teacher teaches every class their subject.
      await forEachInOrder(teachers, async (teacher, ti) => {
                await d.insert(schema.classMemberships)
                                  .values({ classId, userId: teacher.id, role: "teacher", isHeadTeacher: ti === ci % teachers.length, subject: spec.subjects[ti] ?? null })
                                  .onConflictDoNothing();
              });
      for (let s = 0; s < STUDENTS_PER_CLASS; s++) {
        studentNo++;
        const lastOfClass = s === STUDENTS_PER_CLASS - 1;
        const realName = personName(spec.community, nameIndex++);
        const month = String(((studentNo * 5) % 12) + 1).padStart(2, "0");
        const day = String(((studentNo * 7) % 27) + 1).padStart(2, "0");
        const student = await person({
          loginName: `${spec.code}.s${studentNo}`,
          realName,
          schoolId,
          birthDate: `${cls.birthYear}-${month}-${day}`,
          gender: s % 2 ? "male" : "female",
          // The last student of each class has not activated yet: their slip's code is printed below.
          active: !lastOfClass,
          roles: [{ role: "student", schoolId }],
        });
        await d.insert(schema.classMemberships).values({ classId, userId: student.id, role: "student" }).onConflictDoNothing();
        if (spec.code === SCHOOLS[0]!.code && studentNo === 1) {
          logins.push({ role: "student", loginName: student.loginName, realName: student.realName, school: spec.name });
        }
        if (lastOfClass && student.status === "provisioned") {
          const { code } = await storeActivationCode(student.id, admin.id);
          activations.push({ loginName: student.loginName, realName: student.realName, code, school: spec.name });
        }
        // The first two students of each class have a parent on the platform.
        if (s < 2) {
          const parent = await person({
            loginName: `${spec.code}.p${studentNo}`,
            // Fathers share a Han surname or a Yi clan name with their child.
            realName: personName(spec.community, nameIndex++, s === 0 ? realName : undefined),
            schoolId: null,
            active: true,
            roles: [{ role: "parent" }],
          });
          const consent = s === 0 ? "given" : "none";
          await d.insert(schema.guardianLinks)
                      .values({ id: randomId(), guardianId: parent.id, studentId: student.id, relationship: s === 0 ? "father" : "mother", consentState: consent, consentRecordedAt: consent === "given" ? now : null })
                      .onConflictDoNothing();
          if (spec.code === SCHOOLS[0]!.code && studentNo === 1) {
            logins.push({ role: "parent", loginName: parent.loginName, realName: parent.realName, school: null, note: `${realName} 的家长` });
          }
        }
      }
    }
  }

  // A teacher who is also a parent: 武侯区实验小学's first teacher has a child at the junior school.
  const teacherParent = (await first(d.select().from(schema.users).where(eq(schema.users.loginName, "wuhou-pri.t1")).limit(1)))!;
  const child = (await first(d.select().from(schema.users).where(eq(schema.users.loginName, "wuhou-jun.s3")).limit(1)))!;
  await d.insert(schema.userRoles).values({ userId: teacherParent.id, role: "parent" }).onConflictDoNothing();
  await d.insert(schema.guardianLinks).values({ id: randomId(), guardianId: teacherParent.id, studentId: child.id, relationship: "mother", consentState: "given", consentRecordedAt: now }).onConflictDoNothing();

  // The three priorities as flag rules: teachers first, developed areas first, vocational first.
  created += (await seedDemoFlags()).created;
  created += (await seedDemoPosts()).created;
  created += (await seedDemoPortfolio()).created;
  created += (await seedDemoAssignments()).created;
  created += (await seedDemoGroups()).created;
  created += (await seedDemoLibrary()).created;

  return { logins, activations, created };
}
