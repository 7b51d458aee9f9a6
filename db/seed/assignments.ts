// Demo lessons and assignments, so the class space, the to-do list, the grading queue and the gradebook
// have something to show on first run. Times are relative to when the demo is seeded: one assignment
// per class is closed with grades returned, one is open with work handed in and not graded yet.
// Idempotent: a teacher's lesson or assignment with the same title is not added twice.
import { and, eq } from "drizzle-orm";
import { checksumOf } from "~/domain/classwork/assignments.server";
import { randomId } from "~/domain/foundation/ids.server";
import { docFromPlainText, renderRichText } from "~/domain/foundation/richtext.server";
import { db, schema } from "../client";
import { first } from "../client";

const DAY = 86_400_000;

type Work = { login: string; text: string; daysAfterDue: number; score?: number; feedback?: string };
type DemoAssignment = {
  title: string;
  text: string;
  points: number;
  /** Days from now (negative: in the past). */
  openDays: number;
  dueDays: number;
  lateDays: number | null;
  work: Work[];
};
type DemoClass = { teacher: string; className: string; school: string; lesson: { title: string; text: string }; assignments: DemoAssignment[] };

const CLASSES: DemoClass[] = [
  {
    teacher: "wuhou-pri.t1",
    school: "武侯区实验小学",
    className: "三年级（1）班",
    lesson: { title: "《秋天的雨》第一课时", text: "学习目标：认识本课生字，正确、流利地朗读课文。\n\n课堂活动：分组找出课文中描写颜色的句子，读给同桌听。" },
    assignments: [
      {
        title: "《秋天的雨》读后感",
        text: "读完课文，写一写你眼中的秋天，不少于一百字。可以配一幅画。",
        points: 100,
        openDays: -10,
        dueDays: -3,
        lateDays: -1,
        work: [
          { login: "wuhou-pri.s1", text: "秋天的雨是一把钥匙，打开了秋天的大门。我家楼下的银杏叶全黄了。", daysAfterDue: -1, score: 92, feedback: "比喻用得好，字也写得工整。" },
          { login: "wuhou-pri.s2", text: "秋天来了，树叶变黄了，我和妈妈去公园捡落叶。", daysAfterDue: 0.5, score: 78, feedback: "内容真实，下次写得再具体一些，按时交。" },
          { login: "wuhou-pri.s3", text: "我喜欢秋天的雨，它把颜色送给了大地。", daysAfterDue: -2, score: 85, feedback: "句子很美，注意标点。" },
        ],
      },
      {
        title: "找一找秋天的颜色",
        text: "在校园里找三种秋天的颜色，写下来或拍照上传。",
        points: 20,
        openDays: -1,
        dueDays: 3,
        lateDays: 5,
        work: [
          { login: "wuhou-pri.s1", text: "金黄的银杏叶、火红的枫叶、紫色的牵牛花。", daysAfterDue: -3.5 },
          { login: "wuhou-pri.s2", text: "黄色的菊花，红色的苹果，橙色的柿子。", daysAfterDue: -3.2 },
        ],
      },
    ],
  },
  {
    teacher: "wuhou-pri.t2",
    school: "武侯区实验小学",
    className: "五年级（2）班",
    lesson: { title: "异分母分数加减法", text: "先通分，再按同分母分数加减法计算。\n\n例题：1/2 + 1/3 = 3/6 + 2/6 = 5/6。" },
    assignments: [
      {
        title: "分数加减法练习",
        text: "完成课本第 45 页练习 1–6 题，写出通分过程。",
        points: 60,
        openDays: -8,
        dueDays: -2,
        lateDays: null,
        work: [
          { login: "wuhou-pri.s5", text: "1. 5/6  2. 7/12  3. 1/4  4. 11/15  5. 3/8  6. 1/6", daysAfterDue: -1, score: 57, feedback: "全对一道小错，第 4 题再检查。" },
          { login: "wuhou-pri.s6", text: "1. 5/6  2. 7/12  3. 1/4  4. 2/3  5. 3/8  6. 1/6", daysAfterDue: -0.5, score: 48, feedback: "第 4 题通分错了。" },
          { login: "wuhou-pri.s7", text: "1. 5/6  2. 5/12  3. 1/4", daysAfterDue: -0.2, score: 30, feedback: "只做了一半，请补完。" },
        ],
      },
      {
        title: "生活中的分数",
        text: "找一个生活中用到分数的例子，写一段话说明。",
        points: 10,
        openDays: -0.5,
        dueDays: 4,
        lateDays: null,
        work: [{ login: "wuhou-pri.s5", text: "切蛋糕：一个蛋糕分成八块，我吃了两块，就是四分之一。", daysAfterDue: -4 }],
      },
    ],
  },
  {
    teacher: "kangding-pri.t1",
    school: "康定市第二小学",
    className: "六年级（1）班",
    lesson: { title: "སློབ་ཚན། བོད་ཡིག་གི་ཡི་གེ་འབྲི་སྟངས།", text: "བོད་ཡིག་གི་གསལ་བྱེད་སུམ་ཅུ་ཡིད་ལ་འཛིན་པ།\n\n课堂上练习书写三十个辅音字母。" },
    assignments: [
      {
        title: "藏文书写练习",
        text: "抄写三十个辅音字母各三遍，拍照上传。",
        points: 30,
        openDays: -2,
        dueDays: 2,
        lateDays: 3,
        work: [],
      },
    ],
  },
];

export async function seedDemoAssignments(now = Date.now()): Promise<{ created: number }> {
  const d = db();
  let created = 0;
  const userId = async (login: string) => {
    const row = await first(d.select({ id: schema.users.id, schoolId: schema.users.schoolId }).from(schema.users).where(eq(schema.users.loginName, login)).limit(1));
    if (!row) throw new Error(`seedDemoAssignments: no demo user ${login}; run seedDemo first`);
    return row;
  };
  await d.transaction(
    async (tx) => {
      for (const spec of CLASSES) {
        const teacher = await userId(spec.teacher);
        const school = (await first(tx.select({ id: schema.schools.id }).from(schema.schools).where(eq(schema.schools.name, spec.school)).limit(1)))!;
        const klass = await first(tx
                  .select({ id: schema.classes.id })
                  .from(schema.classes)
                  .where(and(eq(schema.classes.schoolId, school.id), eq(schema.classes.name, spec.className))).limit(1));
        if (!klass) throw new Error(`seedDemoAssignments: no class ${spec.className} at ${spec.school}`);

        let lessonId = (await first(tx
                  .select({ id: schema.lessons.id })
                  .from(schema.lessons)
                  .where(and(eq(schema.lessons.authorId, teacher.id), eq(schema.lessons.title, spec.lesson.title))).limit(1)))?.id;
        if (!lessonId) {
          lessonId = randomId();
          const doc = docFromPlainText(spec.lesson.text);
          await tx.insert(schema.lessons).values({ id: lessonId, authorId: teacher.id, schoolId: teacher.schoolId, title: spec.lesson.title, bodyJson: doc, bodyHtml: renderRichText(doc) });
          await tx.insert(schema.lessonPublications).values({ lessonId, classId: klass.id, publishAt: new Date(now - 2 * DAY), publishedBy: teacher.id });
          created++;
        }

        for (const a of spec.assignments) {
          const exists = await first(tx
                      .select({ id: schema.assignments.id })
                      .from(schema.assignments)
                      .where(and(eq(schema.assignments.authorId, teacher.id), eq(schema.assignments.title, a.title))).limit(1));
          if (exists) continue;
          const id = randomId();
          const doc = docFromPlainText(a.text);
          const dueAt = now + a.dueDays * DAY;
          await tx.insert(schema.assignments)
                      .values({
                        id,
                        authorId: teacher.id,
                        schoolId: teacher.schoolId,
                        lessonId,
                        title: a.title,
                        bodyJson: doc,
                        bodyHtml: renderRichText(doc),
                        points: a.points,
                        openAt: new Date(now + a.openDays * DAY),
                        dueAt: new Date(dueAt),
                        lateUntil: a.lateDays === null ? null : new Date(now + a.lateDays * DAY),
                        allowResubmit: true,
                        status: "published",
                        publishedAt: new Date(now + a.openDays * DAY),
                      });
          await tx.insert(schema.assignmentClasses).values({ assignmentId: id, classId: klass.id });
          created++;
          for (const w of a.work) {
            const student = await userId(w.login);
            const at = new Date(dueAt + w.daysAfterDue * DAY);
            const late = w.daysAfterDue > 0;
            const submissionId = randomId();
            const returned = w.score !== undefined;
            await tx.insert(schema.submissions)
                          .values({
                            id: submissionId,
                            assignmentId: id,
                            studentId: student.id,
                            classId: klass.id,
                            versionCount: 1,
                            lastSubmittedAt: at,
                            late,
                            score: w.score ?? null,
                            feedback: w.feedback ?? null,
                            gradeState: returned ? "returned" : "none",
                            gradeVersion: returned ? 1 : 0,
                            gradedBy: returned ? teacher.id : null,
                            gradedAt: returned ? new Date(dueAt + DAY / 2) : null,
                            returnedAt: returned ? new Date(dueAt + DAY) : null,
                          });
            const work = docFromPlainText(w.text);
            const html = renderRichText(work);
            await tx.insert(schema.submissionVersions).values({ id: randomId(), submissionId, number: 1, bodyJson: work, bodyHtml: html, checksum: checksumOf(html, []), late, submittedAt: at });
          }
        }
      }
    },
    { behavior: "immediate" },
  );
  return { created };
}
