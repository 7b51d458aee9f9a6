// Issue 15 item 3: class names in a roster match the school's after normalising digits and brackets,
// within the current school year; unknown classes are grouped and created in one step; a class equal
// after normalisation to an existing one is refused.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { createClass, currentSchoolYear } from "~/domain/classwork/classes.server";
import { ForbiddenError, NotFoundError, ValidationError } from "~/domain/foundation/errors.server";
import { randomId } from "~/domain/foundation/ids.server";
import { createMissingClasses, normalizeClassName, previewRoster, rosterPreview } from "~/domain/provisioning/rosters.server";
import { failure } from "../support/refusal";
import { actorFor, classIdOf, demoWorld, userByLogin } from "../support/world";
import { xuejiGbkCsv, xuejiPupils } from "../support/xueji-fixtures";

beforeAll(async () => {
  await demoWorld();
});

const admin = async () => actorFor("wuhou-pri.admin");

describe("issue 15 #3: class names match after normalising", () => {
  it("issue 15 #3: digits, Chinese numerals, brackets of either width and spaces fold alike", () => {
    const same = ["5年级(2)班", "五年级（2）班", "5年级2班", "五年级2班", " 五 年级 ( 2 ) 班", "５年级（２）班"];
    expect(new Set(same.map(normalizeClassName)).size).toBe(1);
    expect(normalizeClassName("十二年级(1)班")).toBe(normalizeClassName("12年级1班"));
    expect(normalizeClassName("五年级（2）班")).not.toBe(normalizeClassName("五年级（12）班"));
    expect(normalizeClassName("五年级（2）班")).not.toBe(normalizeClassName("二年级（5）班"));
  });

  it("issue 15 #3: a class of an earlier school year does not match", async () => {
    const school = (await userByLogin("wuhou-pri.admin")).schoolId!;
    await db().insert(schema.classes).values({ id: randomId(), schoolId: school, grade: 6, name: "六年级（1）班", year: currentSchoolYear() - 1 });
    const { importId } = await previewRoster(await admin(), { fileName: "x.csv", bytes: xuejiGbkCsv(xuejiPupils(2, [[6, 1]], { nameOffset: 1100 })) });
    const p = await rosterPreview(await admin(), importId);
    expect(p.unknownClasses).toEqual([{ name: "6年级(1)班", pupils: 2 }]);
  });

  it("issue 15 #3: unknown classes are grouped, and created all at once by the school's admin only", async () => {
    const pupils = xuejiPupils(9, [[5, 2], [5, 3], [4, 1]], { nameOffset: 1200 });
    const { importId } = await previewRoster(await admin(), { fileName: "x.csv", bytes: xuejiGbkCsv(pupils) });
    const p = await rosterPreview(await admin(), importId);
    expect(p.unknownClasses).toEqual([
      { name: "4年级(1)班", pupils: 3 },
      { name: "5年级(3)班", pupils: 3 },
    ]);
    expect(p.summary.withProblems).toBe(6);

    expect(await failure(async () => createMissingClasses(await actorFor("wuhou-pri.t1"), importId))).toBeInstanceOf(ForbiddenError);
    expect(await failure(async () => createMissingClasses(await actorFor("wuhou-jun.admin"), importId))).toBeInstanceOf(NotFoundError);
    const auditBefore = (await db().select().from(schema.auditEvents)).length;
    const created = await createMissingClasses(await admin(), importId);
    // One audit entry for the batch, listing the classes.
    const audit = (await db().select().from(schema.auditEvents)).slice(auditBefore);
    expect(audit.map((a) => [a.action, a.targetType, a.targetId])).toEqual([["roster.create_classes", "roster_import", importId]]);
    expect(audit[0]!.detail).toMatchObject({ count: 2, classNames: ["四年级（1）班", "五年级（3）班"] });
    expect(created.map((c) => [c.name, c.grade, c.year])).toEqual([
      ["四年级（1）班", 4, currentSchoolYear()],
      ["五年级（3）班", 5, currentSchoolYear()],
    ]);
    const again = await rosterPreview(await admin(), importId);
    expect(again.unknownClasses).toEqual([]);
    expect(again.summary).toMatchObject({ withProblems: 0, new: 9 });
    // Nothing left to create: a second POST changes nothing.
    expect(await createMissingClasses(await admin(), importId)).toEqual([]);
  });
});

describe("issue 15 #3: createClass refuses a name equal after normalisation", () => {
  it("issue 15 #3: 5年级(2)班 is refused with the existing 五年级（2）班 to link to; another year is fine", async () => {
    const year = currentSchoolYear();
    const error = await (async () => {
      try {
        await createClass(await admin(), { grade: 5, name: "5年级(2)班", year });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields.name).toEqual({ key: "classes:sameAsExisting", params: { name: "五年级（2）班", classId: await classIdOf("wuhou-pri", "五年级（2）班"), year } });
    const other = await createClass(await admin(), { grade: 5, name: "5年级(2)班", year: year + 1 });
    expect((await first(db().select().from(schema.classes).where(and(eq(schema.classes.id, other.id))).limit(1)))!.name).toBe("5年级(2)班");
    await expect(createClass(await actorFor("wuhou-pri.t1"), { grade: 5, name: "五年级（9）班", year })).rejects.toThrow(ForbiddenError);
  });
});
