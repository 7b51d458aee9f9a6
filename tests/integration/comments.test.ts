import { and, eq } from "drizzle-orm";
import { renderToString } from "react-dom/server";
import { createElement } from "react";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import type { NotificationKind } from "#db/schema";
import type { Actor } from "~/domain/foundation/actor.server";
import { addComment, decideComment, editComment, listComments, MAX_COMMENT, removeComment, reportComment, setLike } from "~/domain/spaces/comments.server";
import { DomainError, ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { randomId } from "~/domain/foundation/ids.server";
import { approvalQueue, createPost, viewPost } from "~/domain/spaces/posts.server";
import { recordConsent } from "~/domain/rollout/rollout.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { validationRefusal } from "../support/refusal";

beforeAll(async () => {
  await demoWorld();
  // wuhou-pri.s3 reads as a classmate: a pupil reads others only once their own space is open
  // (issue 13 #8b), so the demo's s3 gets a guardian's paper consent. wuhou-pri.s2 stays without.
  await recordConsent(await actorFor("wuhou-pri.admin"), { student: "wuhou-pri.s3", guardianName: "王秀兰", signedOn: "2026-09-01", decision: "given" });
});

const teacher = async (login = "wuhou-pri.t1") => actorFor(login, "teacher");

async function post(actor: Actor, visibility = "school", intent = "publish") {
  return (await createPost(actor, new Map(Object.entries({ id: randomId(), title: "读书笔记", body: "今天读了《草房子》。", visibility, intent })))).id;
}


const commentRow = async (id: string) => first(db().select().from(schema.comments).where(eq(schema.comments.id, id)).limit(1));
const told = async (login: string, kind: NotificationKind) =>
  db()
        .select()
        .from(schema.notifications)
        .where(and(eq(schema.notifications.userId, (await userByLogin(login)).id), eq(schema.notifications.kind, kind)));

describe("comments", () => {
  it("a reader who may see a post comments in plain text; the author is told", async () => {
    const postId = await post(await teacher());
    const before = (await told("wuhou-pri.t1", "comment")).length;
    const { id, approval } = await addComment(await teacher("wuhou-pri.t2"), postId, "  写得好！\r\n<b>第二行</b>  ");
    expect(approval).toBe("none");
    expect((await commentRow(id))!.body).toBe("写得好！\n<b>第二行</b>");
    expect((await told("wuhou-pri.t1", "comment")).length).toBe(before + 1);
    const [shown] = await listComments(await teacher(), postId);
    expect(shown).toMatchObject({ id, body: "写得好！\n<b>第二行</b>", mayRemove: true, mayEdit: false, mayReport: true });
  });

  it("refuses empty, too long (100,000 characters) and anonymous comments, storing nothing", async () => {
    const postId = await post(await teacher());
    const t2 = await teacher("wuhou-pri.t2");
    expect((await validationRefusal(async () => addComment(t2, postId, "   "))).fields.body?.key).toBe("blog:commentRequired");
    const long = await validationRefusal(async () => addComment(t2, postId, "长".repeat(100_000)));
    expect(long.fields.body).toEqual({ key: "blog:commentTooLong", params: { max: MAX_COMMENT } });
    expect((await addComment(t2, postId, "长".repeat(MAX_COMMENT))).approval).toBe("none");
    await expect(addComment(null, postId, "hi")).rejects.toThrow(DomainError);
    expect(await db().select().from(schema.comments).where(eq(schema.comments.postId, postId))).toHaveLength(1);
  });

  it("only readers who may see the post comment or like it", async () => {
    const privatePost = await post(await teacher(), "private");
    const schoolPost = await post(await teacher(), "school");
    await expect(addComment(await teacher("wuhou-pri.t2"), privatePost, "hi")).rejects.toThrow(NotFoundError);
    await expect(addComment(await teacher("wuhou-jun.t1"), schoolPost, "hi")).rejects.toThrow(NotFoundError); // other school
    await expect(setLike(await teacher("kangding-pri.t1"), schoolPost, true)).rejects.toThrow(NotFoundError);
    await expect(listComments(await teacher("wuhou-jun.t1"), schoolPost)).rejects.toThrow(NotFoundError);
    await expect(listComments(null, schoolPost)).rejects.toThrow(ForbiddenError);
    // A draft takes no comments, even from its author.
    const draft = await post(await teacher(), "school", "draft");
    await expect(addComment(await teacher("wuhou-pri.t2"), draft, "hi")).rejects.toThrow(NotFoundError);
    expect((await validationRefusal(async () => addComment(await teacher(), draft, "hi"))).key).toBe("blog:notLive");
  });

  it("its author edits and deletes a comment; nobody else edits it", async () => {
    const postId = await post(await teacher());
    const { id } = await addComment(await teacher("wuhou-pri.t2"), postId, "第一版");
    await expect(editComment(await teacher("wuhou-pri.t3"), id, "改")).rejects.toThrow(ForbiddenError);
    await expect(editComment(await teacher(), id, "改")).rejects.toThrow(ForbiddenError); // not even the post's author
    await editComment(await teacher("wuhou-pri.t2"), id, "第二版");
    expect(await commentRow(id)).toMatchObject({ body: "第二版" });
    expect((await commentRow(id))!.editedAt).not.toBeNull();
    expect((await validationRefusal(async () => editComment(await teacher("wuhou-pri.t2"), id, "x".repeat(MAX_COMMENT + 1)))).fields.body?.key).toBe("blog:commentTooLong");
    await expect(removeComment(await teacher("wuhou-pri.t3"), id)).rejects.toThrow(ForbiddenError);
    await removeComment(await teacher("wuhou-pri.t2"), id);
    expect((await commentRow(id))!.removedAt).not.toBeNull();
    expect(await listComments(await teacher(), postId)).toHaveLength(0);
    await expect(editComment(await teacher("wuhou-pri.t2"), id, "again")).rejects.toThrow(NotFoundError);
  });

  it("the space owner and the school's admins remove comments (audited); others may not", async () => {
    const postId = await post(await teacher());
    const a = (await addComment(await teacher("wuhou-pri.t2"), postId, "a")).id;
    const b = (await addComment(await teacher("wuhou-pri.t3"), postId, "b")).id;
    await expect(removeComment(await teacher("wuhou-pri.t3"), a)).rejects.toThrow(ForbiddenError);
    await expect(removeComment(await actorFor("wuhou-jun.admin"), a)).rejects.toThrow(NotFoundError);
    await removeComment(await teacher(), a);
    await removeComment(await actorFor("wuhou-pri.admin"), b);
    expect((await commentRow(a))!.removedBy).toBe((await userByLogin("wuhou-pri.t1")).id);
    expect((await commentRow(b))!.removedBy).toBe((await userByLogin("wuhou-pri.admin")).id);
    const audits = await db().select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "comment.remove"));
    expect(audits.map((e) => e.targetId)).toEqual(expect.arrayContaining([a, b]));
  });

  it("readers report a comment once each; the space owner is told and sees the count", async () => {
    const postId = await post(await teacher());
    const { id } = await addComment(await teacher("wuhou-pri.t2"), postId, "不友好的话");
    const before = (await told("wuhou-pri.t1", "report")).length;
    await reportComment(await teacher("wuhou-pri.t3"), id, "不友好");
    expect((await validationRefusal(async () => reportComment(await teacher("wuhou-pri.t3"), id, "again"))).key).toBe("blog:alreadyReported");
    await expect(reportComment(await teacher("wuhou-pri.t2"), id, "")).rejects.toThrow(ForbiddenError); // one's own
    await expect(reportComment(await teacher("wuhou-jun.t1"), id, "")).rejects.toThrow(NotFoundError);
    expect((await validationRefusal(async () => reportComment(await actorFor("wuhou-pri.admin"), id, "x".repeat(501)))).fields.reason?.key).toBe("blog:reasonTooLong");
    expect((await told("wuhou-pri.t1", "report")).length).toBe(before + 1);
    expect((await listComments(await teacher(), postId))[0]!.reports).toBe(1);
    expect((await listComments(await teacher("wuhou-pri.t3"), postId))[0]).toMatchObject({ reports: 0, reportedByMe: true });
  });
});

describe("likes", () => {
  it("one like per person, counted; unliking removes it; the author is told once", async () => {
    const postId = await post(await teacher());
    const before = (await told("wuhou-pri.t1", "reaction")).length;
    expect((await setLike(await teacher("wuhou-pri.t2"), postId, true)).likes).toBe(1);
    expect((await setLike(await teacher("wuhou-pri.t2"), postId, true)).likes).toBe(1);
    expect((await setLike(await actorFor("wuhou-pri.s1"), postId, true)).likes).toBe(2);
    expect((await told("wuhou-pri.t1", "reaction")).length).toBe(before + 2);
    expect(await viewPost(await teacher("wuhou-pri.t2"), postId)).toMatchObject({ likes: 2, likedByMe: true });
    expect((await setLike(await teacher("wuhou-pri.t2"), postId, false)).likes).toBe(1);
    expect((await viewPost(await teacher("wuhou-pri.t2"), postId)).likedByMe).toBe(false);
    await expect(setLike(null, postId, true)).rejects.toThrow(ForbiddenError);
  });
});

describe("students' comments waiting for approval", () => {
  it("a primary student's comment is seen by its author and their teachers until approved", async () => {
    const postId = await post(await teacher(), "classes");
    const s1 = await actorFor("wuhou-pri.s1");
    const { id, approval } = await addComment(s1, postId, "老师，我读完了！");
    expect(approval).toBe("pending");
    expect((await told("wuhou-pri.t2", "approval_needed")).some((n) => n.subjectId === postId)).toBe(true);
    expect((await listComments(s1, postId)).map((c) => c.id)).toContain(id);
    expect((await listComments(await actorFor("wuhou-pri.s3"), postId)).map((c) => c.id)).not.toContain(id); // classmate
    expect((await listComments(await teacher(), postId)).find((c) => c.id === id)?.mayApprove).toBe(true);
    expect((await approvalQueue(await teacher())).find((q) => q.id === id)).toMatchObject({ type: "comment", postId, text: "老师，我读完了！" });
    // Neither a classmate nor another school's teacher sees a waiting comment: not found (issue 13 item 9b).
    await expect(decideComment(await actorFor("wuhou-pri.s3"), id, "approve")).rejects.toThrow(NotFoundError);
    await expect(decideComment(await teacher("wuhou-jun.t1"), id, "approve")).rejects.toThrow(NotFoundError);
    await expect(decideComment(s1, id, "approve")).rejects.toThrow(ForbiddenError);
    await decideComment(await teacher("wuhou-pri.t2"), id, "approve");
    expect((await listComments(await actorFor("wuhou-pri.s3"), postId)).map((c) => c.id)).toContain(id);
    expect((await told("wuhou-pri.s1", "approved")).some((n) => n.subjectId === postId)).toBe(true);
    // Its edit waits again.
    expect((await editComment(s1, id, "老师，我读完了两遍！")).approval).toBe("pending");
    expect((await listComments(await actorFor("wuhou-pri.s3"), postId)).map((c) => c.id)).not.toContain(id);
  });

  it("a rejected comment stays with its author", async () => {
    const postId = await post(await teacher(), "classes");
    const { id } = await addComment(await actorFor("wuhou-pri.s1"), postId, "哈哈哈");
    await decideComment(await teacher(), id, "reject");
    expect((await commentRow(id))!.approval).toBe("rejected");
    expect((await listComments(await actorFor("wuhou-pri.s1"), postId)).find((c) => c.id === id)?.approval).toBe("rejected");
    expect((await listComments(await actorFor("wuhou-pri.s3"), postId)).map((c) => c.id)).not.toContain(id);
    expect((await told("wuhou-pri.s1", "rejected")).some((n) => n.subjectId === postId)).toBe(true);
  });

  it("students of a school without approval comment directly", async () => {
    const postId = await post(await teacher("wuhou-jun.t1"), "school");
    expect((await addComment(await actorFor("wuhou-jun.s5"), postId, "好")).approval).toBe("none");
  });

  it("a student whose space is closed cannot comment", async () => {
    const postId = await post(await teacher(), "school");
    await expect(addComment(await actorFor("wuhou-pri.s2"), postId, "hi")).rejects.toThrow(DomainError); // no guardian consent yet
  });
});

describe("rendering comments", () => {
  it("shows a comment's text as text, never as markup", async () => {
    const { PostComments } = await import("~/components/PostComments");
    const html = renderToString(
      createElement(PostComments, {
        comments: [{ id: "c1", body: '<script>alert(1)</script><img src=x onerror="alert(2)">', authorName: "张三", authorHandle: "zs", at: "今天", edited: false, approval: "none", mine: false, mayEdit: false, mayRemove: false, mayReport: false, reportedByMe: false, mayApprove: false, reports: 0 }],
        mayComment: false,
        signedIn: true,
        maxLength: MAX_COMMENT,
      }),
    );
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;");
  });
});
