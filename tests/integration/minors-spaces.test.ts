// Issue 13 ("Minors first, for real"), the spaces part: who enters a pupil's space, who follows a
// pupil, "仅自己" never waits for approval, and the blog follows the space's entry rule.
import { and, eq } from "drizzle-orm";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import type { Actor } from "~/domain/foundation/actor.server";
import { ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { attachFiles, receiveUploadForm } from "~/domain/uploads/files.server";
import { addComment, decideComment, editComment, listComments, removeComment, reportComment, setLike } from "~/domain/spaces/comments.server";
import { assignmentForEdit, viewAssignment } from "~/domain/classwork/assignments.server";
import { classSpace } from "~/domain/overviews/class-space.server";
import { classDetail } from "~/domain/classwork/classes.server";
import { lessonForEdit, viewLesson } from "~/domain/classwork/lessons.server";
import { follow, notificationLinks, removeOutsideFollowsOfPupils } from "~/domain/overviews/follows.server";
import { randomId } from "~/domain/foundation/ids.server";
import { listNotifications } from "~/domain/notices/notifications.server";
import { createPortfolioItem, deletePortfolioItem, portfolioItem, portfolioItemForEdit, portfolioOf } from "~/domain/portfolio/portfolio.server";
import { approvalQueue, createPost, decidePost, deletePost, listPosts, postForm, updatePost, viewPost } from "~/domain/spaces/posts.server";
import { profileForEdit, spaceProfile } from "~/domain/spaces/profiles.server";
import { canOpen } from "../support/files";
import { refusal } from "../support/refusal";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { mapInOrder } from "~/lib/in-order";

beforeAll(async () => {
  await demoWorld();
});

async function avatarOf(login: string): Promise<string> {
  const me = await actorFor(login);
  const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: "#c33" } }).png().toBuffer();
  const body = new FormData();
  body.append("files", new File([new Uint8Array(png)], "me.png"));
  const { files } = await receiveUploadForm(me, new Request("http://localhost/upload", { method: "POST", body }));
  const id = files.get("files")![0]!.id;
  await db().transaction(async (tx) => attachFiles(tx, me, [id], { type: "avatar" }));
  return id;
}

/** The refusal's HTTP status, or "entered" when the reader got in. */
async function entry(run: () => unknown): Promise<number | "entered"> {
  try {
    await run();
    return "entered";
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ForbiddenError) return error.status;
    throw error;
  }
}

describe("issue 13 item 2: region and platform admins and other schools never enter a pupil's space", () => {
  // 武侯区第一初级中学's s1 is 12 (consent given); 昭觉县民族中学's s5 is 15.
  const pupils = ["wuhou-jun.s1", "zhaojue-jun.s5"];
  const outsiders: [string, "region_admin" | "platform_admin" | "teacher" | "student"][] = [
    ["sichuan.edu", "region_admin"], // province
    ["liangshan.edu", "region_admin"], // prefecture (凉山: 昭觉's pupils are its own)
    ["platform", "platform_admin"],
    ["kangding-jun.t1", "teacher"], // another school's teacher
    ["wuhou-voc.s1", "student"], // another school's pupil, same county
  ];

  it("refuses province, prefecture and platform admins, other schools' teachers and pupils with 404 on /u/:handle, blog, portfolio, avatar and follow; anonymous readers are asked to sign in", async () => {
    for (const login of pupils) {
      const handle = (await userByLogin(login)).handle;
      const avatar = await avatarOf(login);
      for (const [outsider, role] of outsiders) {
        const reader = await actorFor(outsider, role);
        const who = `${outsider} → ${login}`;
        expect(await entry(async () => spaceProfile(reader, handle)), who).toBe(404);
        expect(await entry(async () => listPosts(reader, handle)), who).toBe(404);
        expect(await entry(async () => portfolioOf(reader, handle)), who).toBe(404);
        expect(await entry(async () => follow(reader, handle)), who).toBe(404);
        expect(await canOpen(reader, avatar), who).toBe(false);
      }
      expect(await entry(async () => spaceProfile(null, handle))).toBe(401);
      expect(await entry(async () => listPosts(null, handle))).toBe(401);
      expect(await entry(async () => portfolioOf(null, handle))).toBe(401);
      expect(await canOpen(null, avatar)).toBe(false);
      expect(await db().select().from(schema.follows).where(eq(schema.follows.followeeId, (await userByLogin(login)).id))).toEqual([]);
    }
  });

  it("keeps the pupil's own school (its admin acting as such, teachers, classmates) and guardians inside", async () => {
    const handle = (await userByLogin("wuhou-jun.s1")).handle;
    for (const [insider, role] of [
      ["wuhou-jun.admin", "school_admin"],
      ["wuhou-jun.t2", "teacher"],
      ["wuhou-jun.s3", "student"], // a classmate whose guardian has consented (s2's has not: she reads nothing of others)
      ["wuhou-jun.p1", "parent"],
    ] as const) {
      expect(await entry(async () => spaceProfile(await actorFor(insider, role), handle)), insider).toBe("entered");
    }
    // A teacher of another school who is a pupil's mother enters her child's space, in either role.
    for (const role of ["parent", "teacher"] as const) expect(await entry(async () => spaceProfile(await actorFor("wuhou-pri.t1", role), (await userByLogin("wuhou-jun.s3")).handle))).toBe("entered");
  });

  it("removes follows of pupils from outside their school (idempotent) and keeps those from inside", async () => {
    const pupil = await userByLogin("zhaojue-jun.s5");
    const outside = (await mapInOrder(["platform", "kangding-jun.t1", "wuhou-voc.s1"], async (l) => (await userByLogin(l)).id));
    const inside = (await userByLogin("zhaojue-jun.t1")).id;
    const guardian = (await userByLogin("zhaojue-jun.p5")).id;
    for (const followerId of [...outside, inside, guardian]) await db().insert(schema.follows).values({ followerId, followeeId: pupil.id }).onConflictDoNothing();
    // A teacher followed by an outsider keeps that follower.
    const teacher = await userByLogin("zhaojue-jun.t2");
    await db().insert(schema.follows).values({ followerId: outside[1]!, followeeId: teacher.id }).onConflictDoNothing();
    expect(await removeOutsideFollowsOfPupils()).toBe(3);
    expect(await removeOutsideFollowsOfPupils()).toBe(0);
    const followers = (await db().select({ id: schema.follows.followerId }).from(schema.follows).where(eq(schema.follows.followeeId, pupil.id))).map((r) => r.id);
    expect(followers.sort()).toEqual([inside, guardian].sort());
    expect(await first(db().select().from(schema.follows).where(and(eq(schema.follows.followeeId, teacher.id), eq(schema.follows.followerId, outside[1]!))).limit(1))).toBeDefined();
  });
});

describe("issue 13 item 9a: a blog follows the same entry rule as /u/:handle", () => {
  it("asks an anonymous reader to sign in for a teacher's blog without public content, and shows one with public content", async () => {
    const quiet = (await userByLogin("wuhou-jun.t2")).handle; // no public content in the demo
    expect(await entry(async () => spaceProfile(null, quiet))).toBe(401);
    expect(await entry(async () => listPosts(null, quiet))).toBe(401);
    expect(await entry(async () => portfolioOf(null, quiet))).toBe(401);
    const open = (await userByLogin("wuhou-pri.t2")).handle; // a public demo post
    expect(await entry(async () => listPosts(null, open))).toBe("entered");
  });
});

describe("issue 13 item 7: 仅自己 means only the author, never an approval queue", () => {
  const pupil = async () => actorFor("wuhou-pri.s1", "student"); // a primary school: pupils' posts wait for a teacher
  const write = async (actor: Actor, visibility: string) =>
    createPost(actor, new Map(Object.entries({ id: randomId(), title: "我的日记", body: "今天我很难过。", visibility, intent: "publish" })));
  const approvers = async (): Promise<Actor[]> => [await actorFor("wuhou-pri.t1", "teacher"), await actorFor("wuhou-pri.admin", "school_admin")];

  it("publishes a pupil's private post without approval; teachers and the school admin neither queue nor read it", async () => {
    const { id, approval } = await write(await pupil(), "private");
    expect(approval).toBe("none");
    for (const approver of await approvers()) {
      expect((await approvalQueue(approver)).map((q) => q.id)).not.toContain(id);
      expect(await entry(async () => viewPost(approver, id))).toBe(404);
      expect(await entry(async () => decidePost(approver, id, "approve"))).toBe(404);
    }
    expect((await viewPost(await pupil(), id)).title).toBe("我的日记");
  });

  it("asks for approval once the author widens a private post", async () => {
    const { id } = await write(await pupil(), "private");
    const post = (await first(db().select().from(schema.posts).where(eq(schema.posts.id, id)).limit(1)))!;
    const widened = await updatePost(await pupil(), id, new Map(Object.entries({ title: post.title, body: "今天我很难过。", visibility: "classes", intent: "publish", version: String(post.version) })));
    expect(widened.approval).toBe("pending");
    expect((await approvalQueue((await approvers())[0]!)).map((q) => q.id)).toContain(id);
  });

  it("keeps a private post that was queued before this rule out of the queue and away from approvers", async () => {
    const { id } = await write(await pupil(), "private");
    await db().update(schema.posts).set({ approval: "pending" }).where(eq(schema.posts.id, id));
    for (const approver of await approvers()) {
      expect((await approvalQueue(approver)).map((q) => q.id)).not.toContain(id);
      expect(await entry(async () => viewPost(approver, id))).toBe(404);
      expect(await entry(async () => decidePost(approver, id, "approve"))).toBe(404);
    }
    expect((await viewPost(await pupil(), id)).title).toBe("我的日记");
  });
});


describe("issue 13 item 1: a pupil's words stay in the pupil's school", () => {
  const publicPost = async (login: string) =>
    (await createPost(await actorFor(login, "teacher"), new Map(Object.entries({ id: randomId(), title: "公开课：春天的诗", body: "欢迎留言。", visibility: "public", intent: "publish" })))).id;
  const pupil = async () => actorFor("wuhou-jun.s5", "student"); // 15, 武侯区第一初级中学
  const shown = async (reader: Actor, postId: string) => (await listComments(reader, postId)).map((c) => c.authorName);
  const commentsCount = async (reader: Actor, login: string, postId: string) => (await listPosts(reader, (await userByLogin(login)).handle)).posts.find((p) => p.id === postId)?.comments;

  it("refuses a pupil's comment on another school's teacher's post with a translated reason, and offers no comment form", async () => {
    const postId = await publicPost("wuhou-pri.t2");
    const refused = await refusal(async () => addComment(await pupil(), postId, "老师写得真好！"));
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect(refused.key).toBe("blog:pupilCommentsOwnSchool");
    expect(await viewPost(await pupil(), postId)).toMatchObject({ mayComment: false, commentsOwnSchoolOnly: true });
    expect(await db().select().from(schema.comments).where(eq(schema.comments.postId, postId))).toEqual([]);
    // Teachers of other schools still comment; pupils of the post's school too.
    expect((await addComment(await actorFor("wuhou-jun.t1", "teacher"), postId, "很有启发")).approval).toBe("none");
    expect(await viewPost(await actorFor("wuhou-jun.t1", "teacher"), postId)).toMatchObject({ mayComment: true, commentsOwnSchoolOnly: false });
  });

  it("shows a pupil's comment on a public post only to the pupil's school, guardians and the pupil; never to anonymous readers, other schools or region admins, nor in their counts", async () => {
    const postId = await publicPost("wuhou-jun.t1");
    await addComment(await pupil(), postId, "我也喜欢这首诗");
    const name = (await userByLogin("wuhou-jun.s5")).realName;
    for (const [insider, role] of [["wuhou-jun.t2", "teacher"], ["wuhou-jun.s3", "student"], ["wuhou-jun.p5", "parent"], ["wuhou-jun.s5", "student"], ["wuhou-jun.t1", "teacher"]] as const) {
      expect(await shown(await actorFor(insider, role), postId), insider).toContain(name);
    }
    expect(await commentsCount(await actorFor("wuhou-jun.t2", "teacher"), "wuhou-jun.t1", postId)).toBe(1);
    for (const [outsider, role] of [["wuhou-pri.t2", "teacher"], ["kangding-jun.s5", "student"], ["sichuan.edu", "region_admin"], ["platform", "platform_admin"]] as const) {
      expect(await shown(await actorFor(outsider, role), postId), outsider).toEqual([]);
      expect(await commentsCount(await actorFor(outsider, role), "wuhou-jun.t1", postId), outsider).toBe(0);
    }
    expect(await shown(null, postId)).toEqual([]);
    expect(await commentsCount(null, "wuhou-jun.t1", postId)).toBe(0);
  });

  it("hides a pupil's comment made earlier on another school's post from that post's readers, its author included", async () => {
    const postId = await publicPost("wuhou-pri.t2");
    const id = randomId();
    await db().insert(schema.comments).values({ id, postId, authorId: (await userByLogin("wuhou-jun.s5")).id, body: "以前的留言", approval: "none" });
    expect(await shown(null, postId)).toEqual([]);
    expect(await shown(await actorFor("wuhou-pri.t2", "teacher"), postId)).toEqual([]);
    expect((await refusal(async () => reportComment(await actorFor("wuhou-pri.t2", "teacher"), id, ""))).status).toBe(404);
    expect(await shown(await actorFor("wuhou-jun.t3", "teacher"), postId)).toEqual([(await userByLogin("wuhou-jun.s5")).realName]);
  });

  it("keeps a primary pupil's approved comment on a public post inside the school", async () => {
    const postId = await publicPost("wuhou-pri.t2");
    const { id, approval } = await addComment(await actorFor("wuhou-pri.s1", "student"), postId, "谢谢老师");
    expect(approval).toBe("pending");
    await decideComment(await actorFor("wuhou-pri.t1", "teacher"), id, "approve");
    expect(await shown(await actorFor("wuhou-pri.t3", "teacher"), postId)).toEqual([(await userByLogin("wuhou-pri.s1")).realName]);
    expect(await shown(null, postId)).toEqual([]);
    expect(await shown(await actorFor("wuhou-jun.t1", "teacher"), postId)).toEqual([]);
  });

  it("tells people outside a pupil's school of 'a student', never the pupil's name or space; the school and guardians get the name", async () => {
    const outsider = await actorFor("wuhou-pri.t2", "teacher");
    const postId = await publicPost("wuhou-pri.t2");
    const s5 = await userByLogin("wuhou-jun.s5");
    await setLike(await pupil(), postId, true);
    await follow(await pupil(), outsider.handle);
    for (const [login, kind] of [["wuhou-pri.t2", "comment"], ["wuhou-jun.t1", "comment"], ["wuhou-jun.p5", "approved"], ["wuhou-pri.t1", "follow"]] as const) {
      await db().insert(schema.notifications).values({ id: randomId(), userId: (await userByLogin(login)).id, kind, actorId: s5.id, subjectType: "user", subjectId: s5.id });
    }
    const mine = (await listNotifications(outsider)).rows.filter((r) => r.actorHidden || r.actorName === s5.realName);
    expect(mine.map((r) => r.kind).sort()).toEqual(["comment", "follow", "reaction"]);
    for (const row of mine) expect(row).toMatchObject({ actorName: null, actorHidden: true });
    expect([...(await notificationLinks(outsider, mine)).values()].filter((href) => href.startsWith("/u/"))).toEqual([]);
    // The pupil's school, and the pupil's guardian, see who it was.
    for (const login of ["wuhou-jun.t1", "wuhou-jun.p5"]) {
      const [row] = (await listNotifications(await actorFor(login))).rows.filter((r) => r.subjectId === s5.id);
      expect(row, login).toMatchObject({ actorName: s5.realName, actorHidden: false });
    }
    // A teacher of another school who is not this pupil's guardian is an outsider, as parent too.
    const [other] = (await listNotifications(await actorFor("wuhou-pri.t1", "parent"))).rows.filter((r) => r.subjectId === s5.id);
    expect(other).toMatchObject({ actorName: null, actorHidden: true });
  });
});

describe("issue 13 item 9b: one answer for 'not there' and 'not yours'", () => {
  const lessonBy = async (login: string) => (await first(db().select().from(schema.lessons).where(eq(schema.lessons.authorId, (await userByLogin(login)).id)).limit(1)))!.id;
  const assignmentBy = async (login: string) => (await first(db().select().from(schema.assignments).where(eq(schema.assignments.authorId, (await userByLogin(login)).id)).limit(1)))!.id;
  const classOf = async (login: string) => (await first(db().select().from(schema.classMemberships).where(eq(schema.classMemberships.userId, (await userByLogin(login)).id)).limit(1)))!.classId;

  it("answers 404 to an outsider for every post, comment, portfolio item, profile, lesson, assignment and class they may not see, as for unknown ids", async () => {
    const author = await actorFor("wuhou-pri.t1", "teacher");
    const postId = (await createPost(author, new Map(Object.entries({ id: randomId(), title: "班级通知", body: "明天春游。", visibility: "classes", intent: "publish" })))).id;
    const commentId = await addComment(await actorFor("wuhou-pri.t2", "teacher"), postId, "收到");
    const waitingId = (await addComment(await actorFor("wuhou-pri.s1", "student"), postId, "太好了")).id;
    const itemId = (await createPortfolioItem(author, new Map(Object.entries({ title: "公开课获奖", kind: "award", occurredOn: "2026-05-01", description: "一等奖", visibility: "classes" })))).id;
    const lessonId = await lessonBy("wuhou-pri.t1");
    const assignmentId = await assignmentBy("wuhou-pri.t1");
    const classId = await classOf("wuhou-pri.s1");
    const unknown = randomId();
    const walk = (reader: Actor): [string, () => unknown][] => [
      ["viewPost", async () => viewPost(reader, postId)],
      ["postForm", async () => postForm(reader, postId)],
      ["deletePost", async () => deletePost(reader, postId)],
      ["decidePost", async () => decidePost(reader, postId, "approve")],
      ["createPost with the post's id", async () => createPost(reader, new Map(Object.entries({ id: postId, title: "x", body: "x", visibility: "private", intent: "draft" })))],
      ["listComments", async () => listComments(reader, postId)],
      ["editComment", async () => editComment(reader, commentId.id, "改")],
      ["removeComment", async () => removeComment(reader, commentId.id)],
      ["reportComment", async () => reportComment(reader, commentId.id, "")],
      ["decideComment", async () => decideComment(reader, waitingId, "approve")],
      ["portfolioItem", async () => portfolioItem(reader, itemId)],
      ["portfolioItemForEdit", async () => portfolioItemForEdit(reader, itemId)],
      ["deletePortfolioItem", async () => deletePortfolioItem(reader, itemId)],
      ["profileForEdit", async () => profileForEdit(reader, author.handle)],
      ["viewLesson", async () => viewLesson(reader, lessonId)],
      ["lessonForEdit", async () => lessonForEdit(reader, lessonId)],
      ["viewAssignment", async () => viewAssignment(reader, assignmentId)],
      ["assignmentForEdit", async () => assignmentForEdit(reader, assignmentId)],
      ["classSpace", async () => classSpace(reader, classId)],
    ];
    // Another school's teacher, and another school's admin for the class.
    for (const [name, run] of walk(await actorFor("kangding-jun.t1", "teacher"))) expect(await entry(run), name).toBe(404);
    expect(await entry(async () => classDetail(await actorFor("kangding-jun.admin", "school_admin"), classId))).toBe(404);
    expect(await entry(async () => classDetail(await actorFor("kangding-jun.admin", "school_admin"), unknown))).toBe(404);
    // Unknown ids answer the same.
    const outsider = await actorFor("kangding-jun.t1", "teacher");
    for (const run of [async () => viewPost(outsider, unknown), async () => portfolioItem(outsider, unknown), async () => viewLesson(outsider, unknown), async () => viewAssignment(outsider, unknown)]) expect(await entry(run)).toBe(404);
  });

  it("answers 404 for edit pages of things the reader may read but not change (a colleague's post, item, profile, lesson and assignment)", async () => {
    const author = await actorFor("wuhou-pri.t1", "teacher");
    const colleague = await actorFor("wuhou-pri.t2", "teacher");
    const postId = (await createPost(author, new Map(Object.entries({ id: randomId(), title: "教研心得", body: "分享。", visibility: "school", intent: "publish" })))).id;
    const itemId = (await createPortfolioItem(author, new Map(Object.entries({ title: "教学设计", kind: "work", occurredOn: "2026-05-01", description: "说明", visibility: "school" })))).id;
    expect((await viewPost(colleague, postId)).title).toBe("教研心得");
    expect((await portfolioItem(colleague, itemId)).title).toBe("教学设计");
    expect(await entry(async () => postForm(colleague, postId))).toBe(404);
    expect(await entry(async () => portfolioItemForEdit(colleague, itemId))).toBe(404);
    expect(await entry(async () => profileForEdit(colleague, author.handle))).toBe(404);
    expect(await entry(async () => lessonForEdit(colleague, await lessonBy("wuhou-pri.t1")))).toBe(404);
    expect(await entry(async () => assignmentForEdit(colleague, await assignmentBy("wuhou-pri.t1")))).toBe(404);
  });
});
