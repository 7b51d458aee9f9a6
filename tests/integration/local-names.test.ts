// Issue 16: schools give their school's, classes' and subjects' names in Tibetan, Yi and English; a
// Tibetan or Yi reader's pages show them, everyone else the official Chinese name. Only the school's
// own admin may give them.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { ForbiddenError, NotFoundError, ValidationError } from "~/domain/foundation/errors.server";
import { myChildren } from "~/domain/people/guardians.server";
import { localNamesForm, saveLocalNames } from "~/domain/places/local-names.server";
import { createSession } from "~/domain/accounts/sessions.server";
import { fieldOf } from "~/lib/local-names";
import { loader as homeLoader } from "~/routes/_index";
import { loader as assignmentsLoader } from "~/routes/assignments._index";
import { loader as classLoader } from "~/routes/classes.$id";
import { action as namesAction } from "~/routes/school.names";
import { refusal } from "../support/refusal";
import { actorFor, classIdOf, demoWorld, userByLogin } from "../support/world";

beforeAll(async () => {
  await demoWorld();
});

const context = { clientAddress: "203.0.113.7" };
const YI_CLASS = "2026级彝绣工艺班";

async function sessionCookie(login: string, role: "teacher" | "student" | "parent" | "school_admin", lng?: string): Promise<string> {
  const { token } = await createSession((await userByLogin(login)).id, { remember: false, activeRole: role });
  return `session=${token}${lng ? `; lng=${lng}` : ""}`;
}

async function classRow(id: string) {
  return (await first(db().select().from(schema.classes).where(eq(schema.classes.id, id)).limit(1)))!;
}

async function schoolOf(login: string) {
  return (await first(db().select().from(schema.schools).where(eq(schema.schools.id, (await userByLogin(login)).schoolId!)).limit(1)))!;
}

describe("giving names in other languages", () => {
  it("the school's own admin saves the school's, a class's and a subject's names; one audit event says what changed", async () => {
    const admin = await actorFor("zhaojue-voc.admin");
    const classId = await classIdOf("zhaojue-voc", YI_CLASS);
    const form = await localNamesForm(admin);
    expect(form.school.name).toBe("昭觉县职业技术学校");
    expect(form.classes.map((k) => k.name)).toContain(YI_CLASS);
    const n = form.subjects.findIndex((s) => s.name === "彝绣");
    expect(n).toBeGreaterThanOrEqual(0);
    const { changed } = await saveLocalNames(admin, {
      [fieldOf.school("ii")]: "ꏪꐚ ꇮꇐꂘꑴ",
      [fieldOf.school("en")]: "  Zhaojue   Vocational School ",
      [fieldOf.klass(classId, "ii")]: "ꆈꌠ ꉌꑌ ꌶꁥ",
      [fieldOf.subject(n, "name")]: "彝绣",
      [fieldOf.subject(n, "ii")]: "ꆈꌠꉌꑌ",
    });
    expect(changed).toBe(3);
    expect(await schoolOf("zhaojue-voc.admin")).toMatchObject({ name: "昭觉县职业技术学校", names: { ii: "ꏪꐚ ꇮꇐꂘꑴ", en: "Zhaojue Vocational School" }, subjectNames: { 彝绣: { ii: "ꆈꌠꉌꑌ" } } });
    expect(await classRow(classId)).toMatchObject({ name: YI_CLASS, names: { ii: "ꆈꌠ ꉌꑌ ꌶꁥ" } });
    const events = await db()
          .select()
          .from(schema.auditEvents)
          .where(and(eq(schema.auditEvents.action, "school.local_names"), eq(schema.auditEvents.schoolId, (await userByLogin("zhaojue-voc.admin")).schoolId!)));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: admin.id, targetType: "school", detail: { count: 3 } });
    // The same form again changes nothing and records nothing.
    const again = await localNamesForm(admin);
    const fields: Record<string, string> = {};
    for (const lng of ["bo", "ii", "en"] as const) {
      fields[fieldOf.school(lng)] = again.school.names[lng] ?? "";
      for (const k of again.classes) fields[fieldOf.klass(k.id, lng)] = k.names[lng] ?? "";
    }
    expect((await saveLocalNames(admin, fields)).changed).toBe(0);
  });

  it("refuses a name that is too long beside its field and saves nothing", async () => {
    const admin = await actorFor("zhaojue-voc.admin");
    const classId = await classIdOf("zhaojue-voc", YI_CLASS);
    const before = (await classRow(classId)).names;
    const error = await refusal(async () => saveLocalNames(admin, { [fieldOf.klass(classId, "en")]: "x".repeat(61), [fieldOf.school("bo")]: "བོད" }), ValidationError);
    expect(error.fields[fieldOf.klass(classId, "en")]).toEqual({ key: "classes:localNames.tooLong", params: { max: 60 } });
    expect((await classRow(classId)).names).toEqual(before);
    expect((await schoolOf("zhaojue-voc.admin")).names.bo).toBeUndefined();
  });

  it("another school's admin may not name this school's class (404, as for no such class), and a teacher may not use the form at all", async () => {
    const classId = await classIdOf("zhaojue-voc", YI_CLASS);
    const before = (await classRow(classId)).names;
    await refusal(async () => saveLocalNames(await actorFor("wuhou-pri.admin"), { [fieldOf.klass(classId, "ii")]: "ꀊ" }), NotFoundError);
    await refusal(async () => saveLocalNames(await actorFor("zhaojue-voc.t2"), { [fieldOf.klass(classId, "ii")]: "ꀊ" }), ForbiddenError);
    await refusal(async () => localNamesForm(await actorFor("zhaojue-voc.t2")), ForbiddenError);
    expect((await classRow(classId)).names).toEqual(before);
    // Another school's admin's own form lists only their own school's classes.
    expect((await localNamesForm(await actorFor("wuhou-pri.admin"))).classes.map((k) => k.id)).not.toContain(classId);
  });

  it("through the page: another school's admin gets 404, a failed form comes back with what was typed", async () => {
    const classId = await classIdOf("zhaojue-voc", YI_CLASS);
    const post = async (cookie: string, body: Record<string, string>) =>
      namesAction({
        request: new Request("http://localhost/school/names", { method: "POST", body: new URLSearchParams(body), headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" } }),
        params: {},
        context,
      });
    const thrown = await post(await sessionCookie("wuhou-pri.admin", "school_admin"), { [fieldOf.klass(classId, "ii")]: "ꀊ" }).catch((e: unknown) => e);
    expect((thrown as { init?: { status?: number } }).init?.status).toBe(404);
    const typed = { [fieldOf.klass(classId, "ii")]: "ꆈꌠ ꉌꑌ", [fieldOf.klass(classId, "en")]: "y".repeat(70) };
    const answer = (await post(await sessionCookie("zhaojue-voc.admin", "school_admin"), typed)) as unknown as { data: { values: Record<string, string> }; init: { status: number } };
    expect(answer.init.status).toBe(400);
    expect(answer.data.values).toMatchObject(typed);
  });
});

describe("a Tibetan or Yi reader's pages", () => {
  it("a Yi teacher's home names the class, the school and the subjects in Yi; in Chinese the official names", async () => {
    const home = async (lng?: string) => {
      const data = (await homeLoader({ request: new Request("http://localhost/", { headers: { Cookie: await sessionCookie("zhaojue-pri.t1", "teacher", lng) } }), params: {}, context })) as unknown as {
        classes: { name: string; schoolName: string; subject: string | null; teacherList: string }[];
      };
      return data.classes;
    };
    const yi = await home(); // the school's default language is Yi
    expect(yi.map((k) => k.name)).toEqual(["ꑍꈎꐛ ꋍꌶꁥ", "ꉬꈎꐛ ꋍꌶꁥ"]);
    expect(yi[0]!.schoolName).toBe("ꏪꐚ ꍈꀧ ꌶꅉꀄꊭ");
    expect(yi[0]!.subject).toBe("ꆈꌠꉙ");
    expect(yi[0]!.teacherList).toContain("ꎁꌋ");
    const zh = await home("zh-Hans");
    expect(zh.map((k) => k.name)).toEqual(["二年级（1）班", "五年级（1）班"]);
    expect(zh[0]!.schoolName).toBe("昭觉县城北小学");
  });

  it("a Tibetan reader's class page names the class, school and subjects in Tibetan", async () => {
    const classId = await classIdOf("kangding-pri", "四年级（1）班");
    const data = (await classLoader({ request: new Request(`http://localhost/classes/${classId}`, { headers: { Cookie: await sessionCookie("kangding-pri.t1", "teacher") } }), params: { id: classId }, context })) as unknown as {
      title: string;
      space: { klass: { name: string; schoolName: string }; teachers: { subject: string | null }[] };
    };
    expect(data.space.klass.name).toBe("ལོ་རིམ་བཞི་པའི་འཛིན་གྲྭ་དང་པོ");
    expect(data.space.klass.schoolName).toBe("དར་རྩེ་མདོ་གྲོང་ཁྱེར་སློབ་ཆུང་ཨང་གཉིས་པ");
    expect(data.title).toContain("ལོ་རིམ་བཞི་པའི་འཛིན་གྲྭ་དང་པོ");
    expect(data.space.teachers.map((t) => t.subject)).toContain("བོད་ཡིག");
  });

  it("a Tibetan teacher's assignment list names the classes in Tibetan", async () => {
    const data = (await assignmentsLoader({ request: new Request("http://localhost/assignments", { headers: { Cookie: await sessionCookie("kangding-pri.t1", "teacher") } }), params: {}, context })) as unknown as {
      teacher: { title: string; classes: string }[];
    };
    const practice = data.teacher.find((a) => a.title === "藏文书写练习");
    expect(practice?.classes).toContain("ལོ་རིམ་དྲུག་པའི་འཛིན་གྲྭ་དང་པོ");
    expect(practice?.classes).not.toContain("六年级");
  });

  it("a Yi parent's list of children names the child's school and class in Yi", async () => {
    const parent = await actorFor("zhaojue-pri.p1", "parent");
    const [yi] = await myChildren(parent, "ii");
    expect(yi).toMatchObject({ schoolName: "ꏪꐚ ꍈꀧ ꌶꅉꀄꊭ" });
    expect(yi!.classNames.join()).toMatch(/ꌶꁥ/);
    expect((await myChildren(parent))[0]).toMatchObject({ schoolName: "昭觉县城北小学" });
  });
});
