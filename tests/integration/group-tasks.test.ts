import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import type { Actor } from "~/domain/foundation/actor.server";
import { beijingLocalTimeOf } from "~/domain/foundation/beijing-time.server";
import { ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { removalsSettled } from "~/domain/uploads/files.server";
import { FeatureClosedError, featuresFor, setFlagOverride } from "~/domain/rollout/flags.server";
import { joinGroup, leaveGroup, removeMember } from "~/domain/groups/group-members.server";
import { addResultToPortfolio, createTask, handInResult, taskList, taskView } from "~/domain/group-work/group-tasks.server";
import { createGroup } from "~/domain/groups/groups.server";
import { randomId } from "~/domain/foundation/ids.server";
import { deletePortfolioItem, portfolioItem } from "~/domain/portfolio/portfolio.server";
import { refusal, validationRefusal } from "../support/refusal";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { upload } from "../support/files";
import { mapInOrder } from "~/lib/in-order";

// A study group across two vocational schools: 成都市武侯职业技术学校 (wuhou-voc, 成都) and 昭觉县职业技术学校
// (zhaojue-voc, 凉山). wuhou-voc.t1 owns it; students wuhou-voc.s5, s6, s7 and zhaojue-voc.s5 (born 2009,
// over 14) join it. s6 leaves and s7 is removed later. wuhou-voc.t2 owns a group of their own.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE;
const local = (ms: number) => beijingLocalTimeOf(new Date(ms));
const form = (fields: Record<string, string | undefined>) => new Map(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));

const teacher = async () => actorFor("wuhou-voc.t1", "teacher");
const chengdu = async () => actorFor("wuhou-voc.s5", "student");
const zhaojue = async () => actorFor("zhaojue-voc.s5", "student");

let groupId: string;
let otherGroupId: string;
let researchId: string;
let studentGroupId: string;
let schoolGroupId: string;

async function newGroup(actor: Actor, over: Record<string, string> = {}) {
  return (await createGroup(actor, form({ name: `小组${randomId(4)}`, description: "", subject: "计算机基础", kind: "study", reach: "platform", joinPolicy: "open", ...over }))).id;
}

function taskFields(over: Record<string, string | undefined> = {}) {
  return form({ id: randomId(), title: "设计一张校园导览海报", body: "每组交一份海报和说明。", dueAt: local(NOW + 2 * HOUR), ...over });
}

const fileRow = async (id: string) => first(db().select().from(schema.files).where(eq(schema.files.id, id)).limit(1));

beforeAll(async () => {
  await demoWorld();
  groupId = await newGroup(await teacher());
  for (const login of ["wuhou-voc.s5", "wuhou-voc.s6", "wuhou-voc.s7", "zhaojue-voc.s5"]) await joinGroup(await actorFor(login, "student"), groupId);
  otherGroupId = await newGroup(await actorFor("wuhou-voc.t2", "teacher"));
  researchId = await newGroup(await teacher(), { kind: "research" });
  studentGroupId = await newGroup(await actorFor("wuhou-voc.s2", "student"), { reach: "school" });
  schoolGroupId = await newGroup(await teacher(), { reach: "school" });
});

afterAll(async () => removalsSettled());

describe("the people of the end-to-end story", () => {
  it("are active, with study groups open to all three; the portfolio is closed to 昭觉's vocational students", async () => {
    for (const login of ["wuhou-voc.t1", "wuhou-voc.s5", "zhaojue-voc.s5"]) expect((await userByLogin(login)).status).toBe("active");
    expect(await featuresFor(await teacher())).toMatchObject({ study_groups: true, portfolio: true, cross_school_groups: true });
    expect(await featuresFor(await chengdu())).toMatchObject({ study_groups: true, portfolio: true, cross_school_groups: true });
    // The demo opens students' portfolios in 成都 only (developed areas first): 昭觉's school must switch it on.
    expect(await featuresFor(await zhaojue())).toMatchObject({ study_groups: true, portfolio: false, cross_school_groups: true });
  });
});

describe("setting a task", () => {
  it("a teacher of the group sets it: a thread with the instructions opens, and every member is told", async () => {
    const { id, threadId } = await createTask(await teacher(), groupId, taskFields(), [], NOW);
    const task = (await first(db().select().from(schema.groupTasks).where(eq(schema.groupTasks.id, id)).limit(1)))!;
    expect(task).toMatchObject({ groupId, title: "设计一张校园导览海报", threadId });
    expect(task.dueAt.getTime()).toBe(NOW + 2 * HOUR);
    const thread = (await first(db().select().from(schema.groupThreads).where(eq(schema.groupThreads.id, threadId)).limit(1)))!;
    expect(thread).toMatchObject({ groupId, taskId: id, title: task.title, postCount: 1 });
    const posts = await db().select().from(schema.groupPosts).where(eq(schema.groupPosts.threadId, threadId));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.bodyHtml).toContain("每组交一份海报和说明。");
    const told = (await db()
          .select({ userId: schema.notifications.userId })
          .from(schema.notifications)
          .where(and(eq(schema.notifications.kind, "group_task"), eq(schema.notifications.subjectId, id))))
      .map((n) => n.userId)
      .sort();
    expect(told).toEqual((await mapInOrder(["wuhou-voc.s5", "wuhou-voc.s6", "wuhou-voc.s7", "zhaojue-voc.s5"], async (l) => (await userByLogin(l)).id)).sort());
  });

  it("the same form sent twice sets one task", async () => {
    const fields = taskFields();
    const first = await createTask(await teacher(), groupId, fields, [], NOW);
    const again = await createTask(await teacher(), groupId, fields, [], NOW);
    expect(again).toEqual(first);
    expect(await db().select().from(schema.groupThreads).where(eq(schema.groupThreads.taskId, first.id))).toHaveLength(1);
  });

  it("keeps the instructions' files with the task", async () => {
    const files = await upload(await teacher(), "要求.pdf", "poster rules");
    const { id } = await createTask(await teacher(), groupId, taskFields(), files, NOW);
    expect(await fileRow(files[0]!)).toMatchObject({ attachedTo: "group_task", attachedId: id });
    expect((await taskView(await zhaojue(), groupId, id, NOW)).files.map((f) => f.name)).toEqual(["要求.pdf"]);
  });

  it("refuses a student, even the owner of a group students made", async () => {
    expect((await refusal(async () => createTask(await chengdu(), groupId, taskFields(), [], NOW), ForbiddenError)).key).toBe("groupTasks:teachersOnly");
    expect((await refusal(async () => createTask(await actorFor("wuhou-voc.s2", "student"), studentGroupId, taskFields(), [], NOW), ForbiddenError)).key).toBe("groupTasks:teachersOnly");
  });

  it("refuses a teacher of another group, a non-member and anonymous; a group beyond reach does not exist", async () => {
    expect((await refusal(async () => createTask(await actorFor("wuhou-voc.t2", "teacher"), groupId, taskFields(), [], NOW), NotFoundError)).key).toBe("groups:membersOnly");
    expect((await refusal(async () => createTask(await teacher(), otherGroupId, taskFields(), [], NOW), NotFoundError)).key).toBe("groups:membersOnly");
    expect((await refusal(async () => createTask(null, groupId, taskFields(), [], NOW), ForbiddenError)).status).toBe(401);
    await refusal(async () => createTask(await actorFor("zhaojue-voc.t1", "teacher"), schoolGroupId, taskFields(), [], NOW), NotFoundError);
  });

  it("refuses a research group", async () => {
    expect((await refusal(async () => createTask(await teacher(), researchId, taskFields(), [], NOW), ForbiddenError)).key).toBe("groupTasks:studyGroupsOnly");
  });

  it("refuses a missing or overlong title, empty instructions, and a due time missing, malformed or past", async () => {
    expect((await validationRefusal(async () => createTask(await teacher(), groupId, taskFields({ title: "  " }), [], NOW))).fields.title?.key).toBe("groupTasks:titleRequired");
    expect((await validationRefusal(async () => createTask(await teacher(), groupId, taskFields({ title: "题".repeat(121) }), [], NOW))).fields.title?.key).toBe("groupTasks:titleTooLong");
    expect((await createTask(await teacher(), groupId, taskFields({ title: "题".repeat(120) }), [], NOW)).id).toBeTruthy();
    expect((await validationRefusal(async () => createTask(await teacher(), groupId, taskFields({ body: " \n " }), [], NOW))).fields.body?.key).toBe("groupTasks:instructionsRequired");
    expect((await validationRefusal(async () => createTask(await teacher(), groupId, taskFields({ dueAt: "" }), [], NOW))).fields.dueAt?.key).toBe("groupTasks:dueRequired");
    expect((await validationRefusal(async () => createTask(await teacher(), groupId, taskFields({ dueAt: "2026-02-30T10:00" }), [], NOW))).fields.dueAt?.key).toBe("groupTasks:dueInvalid");
    expect((await validationRefusal(async () => createTask(await teacher(), groupId, taskFields({ dueAt: local(NOW - MINUTE) }), [], NOW))).fields.dueAt?.key).toBe("groupTasks:dueInPast");
  });

  it("reads the due time as Beijing time", async () => {
    const { id } = await createTask(await teacher(), groupId, taskFields({ dueAt: "2999-01-02T08:30" }), [], NOW);
    expect((await first(db().select().from(schema.groupTasks).where(eq(schema.groupTasks.id, id)).limit(1)))!.dueAt.toISOString()).toBe("2999-01-02T00:30:00.000Z");
  });
});

describe("reading tasks", () => {
  it("members see the list and a task; others are refused, and a task of another group is not found", async () => {
    const { id } = await createTask(await teacher(), groupId, taskFields({ title: "读书报告" }), [], NOW);
    expect((await taskList(await zhaojue(), groupId, NOW)).tasks.find((t) => t.id === id)).toMatchObject({ title: "读书报告", status: "open" });
    expect((await taskList(await teacher(), groupId, NOW)).maySetTasks).toBe(true);
    expect((await taskList(await chengdu(), groupId, NOW)).maySetTasks).toBe(false);
    expect(await taskView(await chengdu(), groupId, id, NOW)).toMatchObject({ title: "读书报告", status: "open", version: 0, may: { ok: true, late: false } });
    expect((await taskView(await teacher(), groupId, id, NOW)).may).toEqual({ ok: false, reason: "studentsOnly" });
    expect((await refusal(async () => taskList(await actorFor("wuhou-voc.s1", "student"), groupId, NOW), NotFoundError)).key).toBe("groups:membersOnly");
    expect((await refusal(async () => taskView(await actorFor("wuhou-voc.t2", "teacher"), groupId, id, NOW), NotFoundError)).key).toBe("groups:membersOnly");
    expect((await refusal(async () => taskView(null, groupId, id, NOW), ForbiddenError)).status).toBe(401);
    await refusal(async () => taskView(await actorFor("wuhou-voc.t2", "teacher"), otherGroupId, id, NOW), NotFoundError);
    await refusal(async () => taskList(await actorFor("zhaojue-voc.t1", "teacher"), schoolGroupId, NOW), NotFoundError);
  });
});

describe("handing in the group's result", () => {
  it("one student hands in; another replaces it from the version they saw; a stale form is refused with its text kept", async () => {
    const { id } = await createTask(await teacher(), groupId, taskFields(), [], NOW);
    const files = await upload(await chengdu(), "海报.pdf", "poster v1");
    expect(await handInResult(await chengdu(), groupId, id, form({ version: "0", body: "我们的海报初稿" }), files, NOW + MINUTE)).toEqual({ version: 1, late: false });
    expect(await fileRow(files[0]!)).toMatchObject({ attachedTo: "group_result", attachedId: id });
    const seen = await taskView(await zhaojue(), groupId, id, NOW + MINUTE);
    expect(seen).toMatchObject({ status: "handedIn", version: 1, result: { submittedBy: (await userByLogin("wuhou-voc.s5")).realName, late: false, bodyText: "我们的海报初稿" } });
    expect(seen.result!.checksum).toMatch(/^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);
    // zhaojue-voc.s5 had the page open before the first hand-in: their form saw no result.
    const stale = await validationRefusal(async () => handInResult(await zhaojue(), groupId, id, form({ version: "0", body: "ꆈꌠ 说明" }), [], NOW + 2 * MINUTE));
    expect(stale.key).toBe("groupTasks:handedInMeanwhile");
    // Built on version 1, keeping the first file: the result is replaced.
    expect(await handInResult(await zhaojue(), groupId, id, form({ version: "1", body: "终稿：海报和彝文说明", [`keep.${files[0]}`]: "on" }), [], NOW + 3 * MINUTE)).toEqual({ version: 2, late: false });
    const after = await taskView(await teacher(), groupId, id, NOW + 3 * MINUTE);
    expect(after.result).toMatchObject({ version: 2, bodyText: "终稿：海报和彝文说明", submittedBy: (await userByLogin("zhaojue-voc.s5")).realName });
    expect(after.result!.files.map((f) => f.name)).toEqual(["海报.pdf"]);
    // The creator is told of each hand-in.
    const toldCreator = await db()
          .select()
          .from(schema.notifications)
          .where(and(eq(schema.notifications.userId, (await userByLogin("wuhou-voc.t1")).id), eq(schema.notifications.subjectId, id)));
    expect(toldCreator).toHaveLength(2);
    // A replacement without the file drops it.
    await handInResult(await chengdu(), groupId, id, form({ version: "2", body: "再改一次" }), [], NOW + 4 * MINUTE);
    await removalsSettled();
    expect(await fileRow(files[0]!)).toBeUndefined();
    expect((await taskView(await chengdu(), groupId, id, NOW + 4 * MINUTE)).result!.files).toEqual([]);
  });

  it("the same form sent twice is one hand-in", async () => {
    const { id } = await createTask(await teacher(), groupId, taskFields(), [], NOW);
    const first = await upload(await chengdu(), "报告.pdf", "report");
    expect((await handInResult(await chengdu(), groupId, id, form({ version: "0", body: "报告" }), first, NOW + MINUTE)).version).toBe(1);
    const repeat = await upload(await chengdu(), "报告.pdf", "report");
    expect((await handInResult(await chengdu(), groupId, id, form({ version: "0", body: "报告" }), repeat, NOW + MINUTE)).version).toBe(1);
    expect(await fileRow(repeat[0]!)).toBeUndefined();
    expect((await taskView(await chengdu(), groupId, id, NOW + MINUTE)).result!.files).toHaveLength(1);
  });

  it("refuses an empty result, a teacher, a non-member and anonymous", async () => {
    const { id } = await createTask(await teacher(), groupId, taskFields(), [], NOW);
    expect((await validationRefusal(async () => handInResult(await chengdu(), groupId, id, form({ version: "0", body: "  \n\n " }), [], NOW))).fields.body?.key).toBe("groupTasks:resultEmpty");
    expect((await refusal(async () => handInResult(await teacher(), groupId, id, form({ version: "0", body: "老师代交" }), [], NOW), ForbiddenError)).key).toBe("groupTasks:cannot.studentsOnly");
    expect((await refusal(async () => handInResult(await actorFor("wuhou-voc.s1", "student"), groupId, id, form({ version: "0", body: "x" }), [], NOW), NotFoundError)).key).toBe("groups:membersOnly");
    expect((await refusal(async () => handInResult(null, groupId, id, form({ version: "0", body: "x" }), [], NOW), ForbiddenError)).status).toBe(401);
    await refusal(async () => handInResult(await chengdu(), otherGroupId, id, form({ version: "0", body: "x" }), [], NOW), NotFoundError);
    expect((await taskView(await teacher(), groupId, id, NOW)).result).toBeNull();
  });

  it("after the due time one result is taken, marked late; then no more", async () => {
    const { id } = await createTask(await teacher(), groupId, taskFields({ dueAt: local(NOW + HOUR) }), [], NOW);
    expect(await taskView(await chengdu(), groupId, id, NOW + 2 * HOUR)).toMatchObject({ status: "closed", may: { ok: true, late: true } });
    expect(await handInResult(await zhaojue(), groupId, id, form({ version: "0", body: "迟交的结果" }), [], NOW + 2 * HOUR)).toEqual({ version: 1, late: true });
    expect(await taskView(await chengdu(), groupId, id, NOW + 2 * HOUR)).toMatchObject({ status: "late", may: { ok: false, reason: "resultPastDue" } });
    expect((await validationRefusal(async () => handInResult(await chengdu(), groupId, id, form({ version: "1", body: "再交一次" }), [], NOW + 3 * HOUR))).key).toBe("groupTasks:cannot.resultPastDue");
    // An on-time result cannot be changed after the due time either.
    const onTime = (await createTask(await teacher(), groupId, taskFields({ dueAt: local(NOW + HOUR) }), [], NOW)).id;
    await handInResult(await chengdu(), groupId, onTime, form({ version: "0", body: "按时" }), [], NOW + MINUTE);
    expect((await validationRefusal(async () => handInResult(await chengdu(), groupId, onTime, form({ version: "1", body: "改" }), [], NOW + 2 * HOUR))).key).toBe("groupTasks:cannot.resultPastDue");
    expect((await taskList(await teacher(), groupId, NOW + 2 * HOUR)).tasks.find((t) => t.id === onTime)!.status).toBe("handedIn");
  });

  it("someone who left or was removed is refused, and their uploaded files are discarded", async () => {
    const { id } = await createTask(await teacher(), groupId, taskFields(), [], NOW);
    const left = await actorFor("wuhou-voc.s6", "student");
    const files = await upload(left, "草稿.pdf", "draft");
    await leaveGroup(left, groupId);
    expect((await refusal(async () => handInResult(left, groupId, id, form({ version: "0", body: "我的作品" }), files, NOW), NotFoundError)).key).toBe("groups:noLongerMember");
    expect(await fileRow(files[0]!)).toBeUndefined();
    await removeMember(await teacher(), groupId, (await userByLogin("wuhou-voc.s7")).id);
    const removed = await actorFor("wuhou-voc.s7", "student");
    expect((await refusal(async () => handInResult(removed, groupId, id, form({ version: "0", body: "x" }), [], NOW), NotFoundError)).key).toBe("groups:noLongerMember");
    expect((await refusal(async () => taskView(removed, groupId, id, NOW), NotFoundError)).key).toBe("groups:noLongerMember");
  });
});

describe("the result in each member's portfolio", () => {
  it("every member adds it to their own portfolio, once; a deleted copy may be added again", async () => {
    const { id } = await createTask(await teacher(), groupId, taskFields({ title: "家乡的变化" }), [], NOW);
    await expect(addResultToPortfolio(await chengdu(), groupId, id)).rejects.toMatchObject({ key: "groupTasks:noResultYet" });
    const files = await upload(await chengdu(), "照片集.pdf", "photos");
    await handInResult(await chengdu(), groupId, id, form({ version: "0", body: "我们采访了三代人。" }), files, NOW + MINUTE);

    const mine = await addResultToPortfolio(await chengdu(), groupId, id);
    const item = await portfolioItem(await chengdu(), mine.id);
    expect(item).toMatchObject({ title: "家乡的变化", kind: "project", visibility: "private" });
    expect(item.descriptionHtml).toContain("我们采访了三代人。");
    const group = (await first(db().select().from(schema.groups).where(eq(schema.groups.id, groupId)).limit(1)))!;
    expect(item.descriptionHtml).toContain(group.name);
    // The members' names are not written into the copy; its owner reads them beside it.
    expect(item.descriptionHtml).not.toContain((await userByLogin("zhaojue-voc.s5")).realName);
    expect(item.groupCredit?.memberNames).toEqual(expect.arrayContaining([(await userByLogin("zhaojue-voc.s5")).realName, (await userByLogin("wuhou-voc.s5")).realName]));
    expect(item.files.map((f) => f.name)).toEqual(["照片集.pdf"]);
    expect(item.files[0]!.id).not.toBe(files[0]);
    expect(await addResultToPortfolio(await chengdu(), groupId, id)).toEqual(mine);

    // The teacher keeps it in their teaching portfolio too.
    const teachers = await addResultToPortfolio(await teacher(), groupId, id);
    expect((await portfolioItem(await teacher(), teachers.id)).kind).toBe("project");

    // 昭觉's student: closed until their school opens the portfolio, then theirs like everyone's.
    await expect(addResultToPortfolio(await zhaojue(), groupId, id)).rejects.toBeInstanceOf(FeatureClosedError);
    await setFlagOverride(await actorFor("zhaojue-voc.admin", "school_admin"), { flag: "portfolio", scope: "school", scopeId: (await userByLogin("zhaojue-voc.s5")).schoolId, enabled: "on" });
    const theirs = await addResultToPortfolio(await zhaojue(), groupId, id);
    expect(theirs.id).not.toBe(mine.id);
    expect((await portfolioItem(await zhaojue(), theirs.id)).title).toBe("家乡的变化");
    expect((await taskView(await zhaojue(), groupId, id, NOW + MINUTE)).myPortfolioItemId).toBe(theirs.id);

    await deletePortfolioItem(await chengdu(), mine.id);
    expect((await taskView(await chengdu(), groupId, id, NOW + MINUTE)).myPortfolioItemId).toBeNull();
    const again = await addResultToPortfolio(await chengdu(), groupId, id);
    expect(again.id).not.toBe(mine.id);
    expect((await portfolioItem(await chengdu(), again.id)).files).toHaveLength(1);
  });

  it("refuses a non-member, someone who left, and anonymous", async () => {
    const { id } = await createTask(await teacher(), groupId, taskFields(), [], NOW);
    await handInResult(await chengdu(), groupId, id, form({ version: "0", body: "结果" }), [], NOW + MINUTE);
    await expect(addResultToPortfolio(await actorFor("wuhou-voc.s1", "student"), groupId, id)).rejects.toMatchObject({ key: "groups:membersOnly" });
    await expect(addResultToPortfolio(await actorFor("wuhou-voc.s6", "student"), groupId, id)).rejects.toMatchObject({ key: "groups:noLongerMember" });
    await expect(addResultToPortfolio(null, groupId, id)).rejects.toMatchObject({ status: 401 });
  });
});
