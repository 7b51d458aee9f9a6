import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import type { Actor } from "~/domain/foundation/actor.server";
import { ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { joinGroup, leaveGroup, removeMember } from "~/domain/groups/group-members.server";
import {
  mentionedMembers,
  reply,
  reportPost,
  requireReplier,
  resolveReport,
  setPostHidden,
  setThreadLocked,
  setThreadPinned,
  startThread,
  threadList,
  threadView,
  POSTS_PAGE_SIZE,
} from "~/domain/groups/group-threads.server";
import { createGroup } from "~/domain/groups/groups.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { refusal, validationRefusal } from "../support/refusal";
import { canOpen, upload } from "../support/files";

// A platform-wide study group made by wuhou-jun.t2 (成都), joined by zhaojue-jun.t2 (昭觉, a teacher: a
// study group's teachers moderate it) and the 九年级 students wuhou-jun.s5, s6, s7 and zhaojue-jun.s6
// (all ≥ 14). s7 leaves, zhaojue-jun.s6 is removed. A second group reaches wuhou-jun only.
let groupId: string;
let schoolGroupId: string;
const owner = async () => actorFor("wuhou-jun.t2", "teacher");
const teacher = async () => actorFor("zhaojue-jun.t2", "teacher");
const student = async () => actorFor("wuhou-jun.s6", "student");
const student5 = async () => actorFor("wuhou-jun.s5", "student");
const leaver = async () => actorFor("wuhou-jun.s7", "student");
const removed = async () => actorFor("zhaojue-jun.s6", "student");
const outsider = async () => actorFor("wuhou-jun.t3", "teacher");

const form = (fields: Record<string, string>) => new Map(Object.entries(fields));
const start = async (actor: Actor, title: string, body: string, files: string[] = [], extra: Record<string, string> = {}) => (await startThread(actor, groupId, form({ title, body, ...extra }), files)).threadId;
const say = async (actor: Actor, threadId: string, body: string, files: string[] = [], extra: Record<string, string> = {}) => (await reply(actor, groupId, threadId, form({ body, ...extra }), files)).postId;

async function fileRow(id: string) {
  return first(db().select().from(schema.files).where(eq(schema.files.id, id)).limit(1));
}

async function noticesOf(login: string, kind: string, threadId: string) {
  return db()
      .select()
      .from(schema.notifications)
      .where(and(eq(schema.notifications.userId, (await userByLogin(login)).id), eq(schema.notifications.kind, kind as "group_reply"), eq(schema.notifications.subjectId, threadId)));
}

beforeAll(async () => {
  await demoWorld();
  groupId = (await createGroup(await owner(), form({ name: "初中数学跨校学习小组", description: "", subject: "数学", kind: "study", reach: "platform", joinPolicy: "open" }))).id;
  for (const who of [await teacher(), await student(), await student5(), await leaver(), await removed()]) expect((await joinGroup(who, groupId)).state).toBe("active");
  await leaveGroup(await leaver(), groupId);
  await removeMember(await owner(), groupId, (await userByLogin("zhaojue-jun.s6")).id);
  schoolGroupId = (await createGroup(await owner(), form({ name: "本校物理组", description: "", subject: "物理", kind: "research", reach: "school", joinPolicy: "open" }))).id;
});

describe("who may read and write a group's discussion", () => {
  it("lets active members start threads and reply, and lists them", async () => {
    const threadId = await start(await student(), "二次函数的图像", "大家怎么画抛物线？");
    await say(await teacher(), threadId, "先找顶点。");
    const list = await threadList(await student(), groupId);
    const card = list.threads.find((t) => t.id === threadId)!;
    expect(card.title).toBe("二次函数的图像");
    expect(card.authorName).toBe((await userByLogin("wuhou-jun.s6")).realName);
    expect(card.replies).toBe(1);
    const view = await threadView(await teacher(), groupId, threadId);
    expect(view.posts.map((p) => p.bodyHtml)).toEqual(["<p>大家怎么画抛物线？</p>", "<p>先找顶点。</p>"]);
    expect(view.posts[0]!.isOpening).toBe(true);
    expect(view.posts[0]!.author.schoolName).toBe("武侯区第一初级中学");
    expect(view.posts[1]!.author.schoolName).toBe("昭觉县民族中学");
  });

  it("refuses a non-member within reach with 'members only', before and after uploading", async () => {
    expect((await refusal(async () => threadList(await outsider(), groupId), NotFoundError)).key).toBe("groups:membersOnly");
    expect((await refusal(async () => newThreadBy(await outsider()))).key).toBe("groups:membersOnly");
    const files = await upload(await outsider(), "plan.pdf");
    expect((await refusal(async () => startThread(await outsider(), groupId, form({ title: "x", body: "y" }), files), NotFoundError)).key).toBe("groups:membersOnly");
    expect(await fileRow(files[0]!)).toBeUndefined();
  });

  it("refuses a member who left, and one who was removed, with 'no longer a member'", async () => {
    const threadId = await start(await student(), "离开的人", "还在吗？");
    for (const gone of [await leaver(), await removed()]) {
      expect((await refusal(async () => threadView(gone, groupId, threadId), NotFoundError)).key).toBe("groups:noLongerMember");
      expect((await refusal(async () => requireReplier(gone, groupId, threadId), NotFoundError)).key).toBe("groups:noLongerMember");
      const files = await upload(gone, "late.pdf");
      expect((await refusal(async () => say(gone, threadId, "我回来了", files), NotFoundError)).key).toBe("groups:noLongerMember");
      expect(await fileRow(files[0]!)).toBeUndefined();
    }
    expect((await threadView(await student(), groupId, threadId)).posts).toHaveLength(1);
  });

  it("treats a group beyond the reader's reach as not there (404)", async () => {
    const threadId = (await startThread(await owner(), schoolGroupId, form({ title: "本校教研", body: "下周听课" }))).threadId;
    for (const far of [await teacher(), await actorFor("zhaojue-jun.t3", "teacher")]) {
      await expect(threadList(far, schoolGroupId)).rejects.toThrow(NotFoundError);
      await expect(threadView(far, schoolGroupId, threadId)).rejects.toThrow(NotFoundError);
      await expect(reply(far, schoolGroupId, threadId, form({ body: "x" }))).rejects.toThrow(NotFoundError);
    }
    // A student cannot know a research group either.
    await expect(threadList(await student(), schoolGroupId)).rejects.toThrow(NotFoundError);
  });

  it("refuses the anonymous (sign in first)", async () => {
    const threadId = await start(await student(), "匿名", "谁能看到？");
    expect((await refusal(async () => threadList(null, groupId), ForbiddenError)).status).toBe(401);
    expect((await refusal(async () => threadView(null, groupId, threadId), ForbiddenError)).status).toBe(401);
    expect((await refusal(async () => reply(null, groupId, threadId, form({ body: "x" })), ForbiddenError)).status).toBe(401);
  });

  it("does not open a thread of another group through this group's address", async () => {
    const threadId = (await startThread(await owner(), schoolGroupId, form({ title: "别的组", body: "内容" }))).threadId;
    await expect(threadView(await student(), groupId, threadId)).rejects.toThrow(NotFoundError);
    await expect(reply(await student(), groupId, threadId, form({ body: "串门" }))).rejects.toThrow(NotFoundError);
  });
});

async function newThreadBy(actor: Actor) {
  return startThread(actor, groupId, form({ title: "t", body: "b" }));
}

describe("bad input", () => {
  it("refuses a 500-character title with a translated field error and keeps nothing", async () => {
    const files = await upload(await student(), "draft.pdf");
    const error = await validationRefusal(async () => startThread(await student(), groupId, form({ title: "长".repeat(500), body: "正文" }), files));
    expect(error.fields.title?.key).toBe("groupThreads:titleTooLong");
    expect(error.fields.title?.params).toEqual({ max: 120 });
    expect(await fileRow(files[0]!)).toBeUndefined();
    expect((await validationRefusal(async () => start(await student(), "   ", "正文"))).fields.title?.key).toBe("groupThreads:titleRequired");
  });

  it("refuses an empty opening post and an empty reply", async () => {
    const error = await validationRefusal(async () => start(await student(), "空帖", "  \n "));
    expect(error.fields.body?.key).toBe("groupThreads:emptyPost");
    const threadId = await start(await student(), "有内容", "内容");
    expect((await validationRefusal(async () => say(await teacher(), threadId, "   "))).fields.body?.key).toBe("groupThreads:emptyPost");
    expect((await threadView(await student(), groupId, threadId)).posts).toHaveLength(1);
  });

  it("takes a post that is only a file", async () => {
    const files = await upload(await teacher(), "教案.pdf");
    const threadId = await start(await teacher(), "教案", "", files);
    const view = await threadView(await student(), groupId, threadId);
    expect(view.posts[0]!.files.map((f) => f.name)).toEqual(["教案.pdf"]);
    expect(view.posts[0]!.files[0]!.url).toBe(`/files/${files[0]}/${encodeURIComponent("教案.pdf")}`);
    expect(await fileRow(files[0]!)).toMatchObject({ attachedTo: "group_post", attachedId: view.posts[0]!.id });
    expect(await canOpen(await student(), files[0]!)).toBe(true);
    expect(await canOpen(await outsider(), files[0]!)).toBe(false);
    expect(await canOpen(await leaver(), files[0]!)).toBe(false);
  });

  it("refuses a reply to a locked thread (and its files), and takes replies again once unlocked", async () => {
    const threadId = await start(await student(), "锁定", "讨论结束前");
    await setThreadLocked(await teacher(), groupId, threadId, true);
    expect((await threadList(await student(), groupId)).threads.find((t) => t.id === threadId)!.locked).toBe(true);
    const files = await upload(await student5(), "后来.pdf");
    const error = await validationRefusal(async () => say(await student5(), threadId, "还能说吗", files));
    expect(error.key).toBe("groupThreads:locked");
    expect(await fileRow(files[0]!)).toBeUndefined();
    expect((await threadView(await student5(), groupId, threadId)).may.reply).toBe(false);
    await setThreadLocked(await owner(), groupId, threadId, false);
    await say(await student5(), threadId, "现在可以了");
    expect((await threadView(await student5(), groupId, threadId)).posts).toHaveLength(2);
  });

  it("refuses a report reason over 300 characters", async () => {
    const threadId = await start(await student(), "举报理由", "内容");
    const postId = (await threadView(await student(), groupId, threadId)).posts[0]!.id;
    expect((await validationRefusal(async () => reportPost(await student5(), groupId, postId, "理".repeat(301)))).fields.reason?.key).toBe("groupThreads:reasonTooLong");
  });
});

describe("a double submit", () => {
  it("makes one thread from the same form sent twice", async () => {
    const first = await upload(await student(), "一次.pdf");
    const again = await upload(await student(), "一次.pdf");
    const a = await start(await student(), "只发一次", "正文", first, { threadId: "pickedthread01" });
    const b = await start(await student(), "只发一次", "正文", again, { threadId: "pickedthread01" });
    expect(b).toBe(a);
    expect((await threadList(await student(), groupId)).threads.filter((t) => t.title === "只发一次")).toHaveLength(1);
    expect((await threadView(await student(), groupId, a)).posts[0]!.files).toHaveLength(1);
    expect(await fileRow(again[0]!)).toBeUndefined();
    // Someone else sending that id is not a retry.
    expect((await validationRefusal(async () => start(await student5(), "冒名", "x", [], { threadId: "pickedthread01" }))).key).toBe("errors:invalidInput");
  });

  it("makes one reply from the same reply form sent twice", async () => {
    const threadId = await start(await student(), "回复一次", "正文");
    const postId = (await threadView(await student5(), groupId, threadId)).nextPostId;
    await say(await student5(), threadId, "我的回复", [], { postId });
    await say(await student5(), threadId, "我的回复", [], { postId });
    const view = await threadView(await student5(), groupId, threadId);
    expect(view.posts).toHaveLength(2);
    expect((await threadList(await student5(), groupId)).threads.find((t) => t.id === threadId)!.replies).toBe(1);
  });
});

describe("mentions and notices", () => {
  it("finds '@' + a real name without word boundaries, the longest name at each '@'", async () => {
    const s5 = await userByLogin("wuhou-jun.s5");
    const t2 = await userByLogin("zhaojue-jun.t2");
    expect((await mentionedMembers(groupId, `请@${s5.realName}和＠${t2.realName}看看`)).sort()).toEqual([s5.id, t2.id].sort());
    expect(await mentionedMembers(groupId, `${s5.realName}没有at`)).toEqual([]);
    // Someone who left the group is not told.
    expect(await mentionedMembers(groupId, `@${(await userByLogin("wuhou-jun.s7")).realName}`)).toEqual([]);
  });

  it("tells a mentioned member once, and the thread's other posters of a reply, never the writer", async () => {
    const s5 = (await userByLogin("wuhou-jun.s5")).realName;
    const threadId = await start(await student(), "提到", `@${s5} 你来看看，@${s5}`);
    expect(await noticesOf("wuhou-jun.s5", "group_mention", threadId)).toHaveLength(1);
    await say(await teacher(), threadId, "我补充一点");
    // The starter is told of the reply; the teacher (the writer) is not.
    expect(await noticesOf("wuhou-jun.s6", "group_reply", threadId)).toHaveLength(1);
    expect(await noticesOf("zhaojue-jun.t2", "group_reply", threadId)).toHaveLength(0);
    await say(await student5(), threadId, `谢谢@${(await userByLogin("zhaojue-jun.t2")).realName}`);
    // The mentioned teacher gets the mention, not also a reply notice; the starter a second reply notice.
    expect(await noticesOf("zhaojue-jun.t2", "group_mention", threadId)).toHaveLength(1);
    expect(await noticesOf("zhaojue-jun.t2", "group_reply", threadId)).toHaveLength(0);
    expect(await noticesOf("wuhou-jun.s6", "group_reply", threadId)).toHaveLength(2);
    expect(await noticesOf("wuhou-jun.s5", "group_reply", threadId)).toHaveLength(0);
    // Members who never posted there hear nothing.
    expect(await noticesOf("wuhou-jun.t2", "group_reply", threadId)).toHaveLength(0);
  });
});

describe("moderation", () => {
  it("pins a thread to the top of the list (moderators only)", async () => {
    const pinned = await start(await student(), "置顶帖", "重要");
    await start(await student(), "较新的帖", "更新");
    expect((await refusal(async () => setThreadPinned(await student(), groupId, pinned, true), ForbiddenError)).key).toBe("groups:moderatorsOnly");
    await setThreadPinned(await owner(), groupId, pinned, true);
    const list = (await threadList(await student(), groupId)).threads;
    expect(list[0]!.id).toBe(pinned);
    expect(list[0]!.pinned).toBe(true);
    await setThreadPinned(await owner(), groupId, pinned, false);
    expect((await threadList(await student(), groupId)).threads[0]!.id).not.toBe(pinned);
  });

  it("refuses a student acting as a moderator: lock, hide, resolve, remove", async () => {
    const threadId = await start(await student5(), "学生管理", "内容");
    const postId = (await threadView(await student5(), groupId, threadId)).posts[0]!.id;
    expect((await refusal(async () => setThreadLocked(await student(), groupId, threadId, true), ForbiddenError)).key).toBe("groups:moderatorsOnly");
    expect((await refusal(async () => setPostHidden(await student(), groupId, postId, true), ForbiddenError)).key).toBe("groups:moderatorsOnly");
    await reportPost(await student(), groupId, postId, "");
    const reportId = (await threadView(await owner(), groupId, threadId)).reports[0]!.id;
    expect((await refusal(async () => resolveReport(await student(), groupId, reportId), ForbiddenError)).key).toBe("groups:moderatorsOnly");
    expect((await refusal(async () => removeMember(await student(), groupId, (await userByLogin("wuhou-jun.s5")).id), ForbiddenError)).key).toBe("groups:moderatorsOnly");
    expect((await threadView(await student(), groupId, threadId)).may.moderate).toBe(false);
    expect((await threadView(await teacher(), groupId, threadId)).may.moderate).toBe(true);
  });

  it("shows a hidden post to the group's teachers and its author, and 'a post was hidden' to other students", async () => {
    const files = await upload(await student5(), "不当.pdf");
    const threadId = await start(await student(), "隐藏", "开场");
    const postId = await say(await student5(), threadId, "不该说的话", files);
    await setPostHidden(await teacher(), groupId, postId, true);
    const forTeacher = (await threadView(await teacher(), groupId, threadId)).posts.find((p) => p.id === postId)!;
    expect(forTeacher).toMatchObject({ hidden: true, bodyHtml: "<p>不该说的话</p>" });
    expect(forTeacher.files).toHaveLength(1);
    // The owner, a teacher, too: teachers of a group see every message in it.
    expect((await threadView(await owner(), groupId, threadId)).posts.find((p) => p.id === postId)!.bodyHtml).toBe("<p>不该说的话</p>");
    expect((await threadView(await student5(), groupId, threadId)).posts.find((p) => p.id === postId)!.bodyHtml).toBe("<p>不该说的话</p>");
    const forStudent = (await threadView(await student(), groupId, threadId)).posts.find((p) => p.id === postId)!;
    expect(forStudent).toMatchObject({ hidden: true, bodyHtml: null, files: [] });
    expect(await canOpen(await student(), files[0]!)).toBe(false);
    expect(await canOpen(await teacher(), files[0]!)).toBe(true);
    expect(await canOpen(await student5(), files[0]!)).toBe(true);
    await setPostHidden(await teacher(), groupId, postId, false);
    expect((await threadView(await student(), groupId, threadId)).posts.find((p) => p.id === postId)!.bodyHtml).toBe("<p>不该说的话</p>");
  });

  it("hides the whole thread when its opening post is hidden", async () => {
    const threadId = await start(await student5(), "整帖隐藏", "开场白");
    const opening = (await threadView(await student5(), groupId, threadId)).posts[0]!.id;
    await setPostHidden(await owner(), groupId, opening, true);
    expect((await threadList(await student(), groupId)).threads.some((t) => t.id === threadId)).toBe(false);
    await expect(threadView(await student(), groupId, threadId)).rejects.toThrow(NotFoundError);
    await expect(say(await student(), threadId, "还在吗")).rejects.toThrow(NotFoundError);
    expect((await threadList(await teacher(), groupId)).threads.find((t) => t.id === threadId)!.hidden).toBe(true);
    expect((await threadList(await student5(), groupId)).threads.find((t) => t.id === threadId)!.hidden).toBe(true);
    expect((await threadView(await teacher(), groupId, threadId)).thread.hidden).toBe(true);
    await setPostHidden(await owner(), groupId, opening, false);
    expect((await threadList(await student(), groupId)).threads.some((t) => t.id === threadId)).toBe(true);
  });

  it("takes a member's report once, tells the moderators, and lets them resolve it", async () => {
    const threadId = await start(await student5(), "被举报", "可疑内容");
    const postId = (await threadView(await student5(), groupId, threadId)).posts[0]!.id;
    expect((await reportPost(await student(), groupId, postId, "广告")).created).toBe(true);
    expect((await reportPost(await student(), groupId, postId, "再报一次")).created).toBe(false);
    expect((await threadView(await student(), groupId, threadId)).posts[0]!.reportedByMe).toBe(true);
    for (const mod of ["wuhou-jun.t2", "zhaojue-jun.t2"]) expect(await noticesOf(mod, "group_report", threadId)).toHaveLength(1);
    expect(await noticesOf("wuhou-jun.s5", "group_report", threadId)).toHaveLength(0);
    const view = await threadView(await owner(), groupId, threadId);
    expect(view.reports).toHaveLength(1);
    expect(view.reports[0]).toMatchObject({ postId, reason: "广告", reporterName: (await userByLogin("wuhou-jun.s6")).realName });
    expect((await threadList(await owner(), groupId)).threads.find((t) => t.id === threadId)!.openReports).toBe(1);
    // Members who do not moderate see neither the reports nor their count.
    expect((await threadView(await student(), groupId, threadId)).reports).toEqual([]);
    expect((await threadList(await student(), groupId)).threads.find((t) => t.id === threadId)!.openReports).toBe(0);
    await resolveReport(await teacher(), groupId, view.reports[0]!.id);
    expect((await threadView(await owner(), groupId, threadId)).reports).toEqual([]);
    expect((await threadList(await owner(), groupId)).threads.find((t) => t.id === threadId)!.openReports).toBe(0);
  });

  it("marks the authors a moderator may remove (not themselves, not the owner)", async () => {
    const threadId = await start(await owner(), "移出", "开场");
    await say(await student5(), threadId, "成员的话");
    const posts = (await threadView(await teacher(), groupId, threadId)).posts;
    expect(posts[0]!.removable).toBe(false);
    expect(posts[1]!.removable).toBe(true);
    expect((await threadView(await student(), groupId, threadId)).posts[1]!.removable).toBe(false);
  });

  it("pages a long thread: the length and a page in one statement, a page past the end shows the last", async () => {
    const threadId = await start(await student(), "分页", "第一帖");
    for (let i = 1; i <= POSTS_PAGE_SIZE; i++) await say(await teacher(), threadId, `回复 ${i}`);
    const first = await threadView(await student(), groupId, threadId);
    expect([first.page, first.pages, first.posts.length]).toEqual([1, 2, POSTS_PAGE_SIZE]);
    expect(first.posts[0]!.isOpening).toBe(true);
    expect(first.thread.authorName).toBe((await userByLogin("wuhou-jun.s6")).realName);
    const second = await threadView(await student(), groupId, threadId, 2);
    expect([second.page, second.posts.length, second.posts[0]!.bodyHtml, second.posts[0]!.isOpening]).toEqual([2, 1, `<p>回复 ${POSTS_PAGE_SIZE}</p>`, false]);
    expect(second.thread.authorName).toBe((await userByLogin("wuhou-jun.s6")).realName);
    const past = await threadView(await student(), groupId, threadId, 9);
    expect([past.page, past.pages, past.posts.map((p) => p.bodyHtml)]).toEqual([2, 2, [`<p>回复 ${POSTS_PAGE_SIZE}</p>`]]);
  });
});
