import { and, eq } from "drizzle-orm";
import { renderToString } from "react-dom/server";
import { createElement } from "react";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
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
  recordConsent(actorFor("wuhou-pri.admin"), { student: "wuhou-pri.s3", guardianName: "王秀兰", signedOn: "2026-09-01", decision: "given" });
});

const teacher = (login = "wuhou-pri.t1") => actorFor(login, "teacher");

function post(actor: Actor, visibility = "school", intent = "publish") {
  return createPost(actor, new Map(Object.entries({ id: randomId(), title: "读书笔记", body: "今天读了《草房子》。", visibility, intent }))).id;
}


const commentRow = (id: string) => db().select().from(schema.comments).where(eq(schema.comments.id, id)).get();
const told = (login: string, kind: NotificationKind) =>
  db()
    .select()
    .from(schema.notifications)
    .where(and(eq(schema.notifications.userId, userByLogin(login).id), eq(schema.notifications.kind, kind)))
    .all();

describe("comments", () => {
  it("a reader who may see a post comments in plain text; the author is told", () => {
    const postId = post(teacher());
    const before = told("wuhou-pri.t1", "comment").length;
    const { id, approval } = addComment(teacher("wuhou-pri.t2"), postId, "  写得好！\r\n<b>第二行</b>  ");
    expect(approval).toBe("none");
    expect(commentRow(id)!.body).toBe("写得好！\n<b>第二行</b>");
    expect(told("wuhou-pri.t1", "comment").length).toBe(before + 1);
    const [shown] = listComments(teacher(), postId);
    expect(shown).toMatchObject({ id, body: "写得好！\n<b>第二行</b>", mayRemove: true, mayEdit: false, mayReport: true });
  });

  it("refuses empty, too long (100,000 characters) and anonymous comments, storing nothing", () => {
    const postId = post(teacher());
    const t2 = teacher("wuhou-pri.t2");
    expect(validationRefusal(() => addComment(t2, postId, "   ")).fields.body?.key).toBe("blog:commentRequired");
    const long = validationRefusal(() => addComment(t2, postId, "长".repeat(100_000)));
    expect(long.fields.body).toEqual({ key: "blog:commentTooLong", params: { max: MAX_COMMENT } });
    expect(addComment(t2, postId, "长".repeat(MAX_COMMENT)).approval).toBe("none");
    expect(() => addComment(null, postId, "hi")).toThrow(DomainError);
    expect(db().select().from(schema.comments).where(eq(schema.comments.postId, postId)).all()).toHaveLength(1);
  });

  it("only readers who may see the post comment or like it", () => {
    const privatePost = post(teacher(), "private");
    const schoolPost = post(teacher(), "school");
    expect(() => addComment(teacher("wuhou-pri.t2"), privatePost, "hi")).toThrow(NotFoundError);
    expect(() => addComment(teacher("wuhou-jun.t1"), schoolPost, "hi")).toThrow(NotFoundError); // other school
    expect(() => setLike(teacher("kangding-pri.t1"), schoolPost, true)).toThrow(NotFoundError);
    expect(() => listComments(teacher("wuhou-jun.t1"), schoolPost)).toThrow(NotFoundError);
    expect(() => listComments(null, schoolPost)).toThrow(ForbiddenError);
    // A draft takes no comments, even from its author.
    const draft = post(teacher(), "school", "draft");
    expect(() => addComment(teacher("wuhou-pri.t2"), draft, "hi")).toThrow(NotFoundError);
    expect(validationRefusal(() => addComment(teacher(), draft, "hi")).key).toBe("blog:notLive");
  });

  it("its author edits and deletes a comment; nobody else edits it", () => {
    const postId = post(teacher());
    const { id } = addComment(teacher("wuhou-pri.t2"), postId, "第一版");
    expect(() => editComment(teacher("wuhou-pri.t3"), id, "改")).toThrow(ForbiddenError);
    expect(() => editComment(teacher(), id, "改")).toThrow(ForbiddenError); // not even the post's author
    editComment(teacher("wuhou-pri.t2"), id, "第二版");
    expect(commentRow(id)).toMatchObject({ body: "第二版" });
    expect(commentRow(id)!.editedAt).not.toBeNull();
    expect(validationRefusal(() => editComment(teacher("wuhou-pri.t2"), id, "x".repeat(MAX_COMMENT + 1))).fields.body?.key).toBe("blog:commentTooLong");
    expect(() => removeComment(teacher("wuhou-pri.t3"), id)).toThrow(ForbiddenError);
    removeComment(teacher("wuhou-pri.t2"), id);
    expect(commentRow(id)!.removedAt).not.toBeNull();
    expect(listComments(teacher(), postId)).toHaveLength(0);
    expect(() => editComment(teacher("wuhou-pri.t2"), id, "again")).toThrow(NotFoundError);
  });

  it("the space owner and the school's admins remove comments (audited); others may not", () => {
    const postId = post(teacher());
    const a = addComment(teacher("wuhou-pri.t2"), postId, "a").id;
    const b = addComment(teacher("wuhou-pri.t3"), postId, "b").id;
    expect(() => removeComment(teacher("wuhou-pri.t3"), a)).toThrow(ForbiddenError);
    expect(() => removeComment(actorFor("wuhou-jun.admin"), a)).toThrow(NotFoundError);
    removeComment(teacher(), a);
    removeComment(actorFor("wuhou-pri.admin"), b);
    expect(commentRow(a)!.removedBy).toBe(userByLogin("wuhou-pri.t1").id);
    expect(commentRow(b)!.removedBy).toBe(userByLogin("wuhou-pri.admin").id);
    const audits = db().select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "comment.remove")).all();
    expect(audits.map((e) => e.targetId)).toEqual(expect.arrayContaining([a, b]));
  });

  it("readers report a comment once each; the space owner is told and sees the count", () => {
    const postId = post(teacher());
    const { id } = addComment(teacher("wuhou-pri.t2"), postId, "不友好的话");
    const before = told("wuhou-pri.t1", "report").length;
    reportComment(teacher("wuhou-pri.t3"), id, "不友好");
    expect(validationRefusal(() => reportComment(teacher("wuhou-pri.t3"), id, "again")).key).toBe("blog:alreadyReported");
    expect(() => reportComment(teacher("wuhou-pri.t2"), id, "")).toThrow(ForbiddenError); // one's own
    expect(() => reportComment(teacher("wuhou-jun.t1"), id, "")).toThrow(NotFoundError);
    expect(validationRefusal(() => reportComment(actorFor("wuhou-pri.admin"), id, "x".repeat(501))).fields.reason?.key).toBe("blog:reasonTooLong");
    expect(told("wuhou-pri.t1", "report").length).toBe(before + 1);
    expect(listComments(teacher(), postId)[0]!.reports).toBe(1);
    expect(listComments(teacher("wuhou-pri.t3"), postId)[0]).toMatchObject({ reports: 0, reportedByMe: true });
  });
});

describe("likes", () => {
  it("one like per person, counted; unliking removes it; the author is told once", () => {
    const postId = post(teacher());
    const before = told("wuhou-pri.t1", "reaction").length;
    expect(setLike(teacher("wuhou-pri.t2"), postId, true).likes).toBe(1);
    expect(setLike(teacher("wuhou-pri.t2"), postId, true).likes).toBe(1);
    expect(setLike(actorFor("wuhou-pri.s1"), postId, true).likes).toBe(2);
    expect(told("wuhou-pri.t1", "reaction").length).toBe(before + 2);
    expect(viewPost(teacher("wuhou-pri.t2"), postId)).toMatchObject({ likes: 2, likedByMe: true });
    expect(setLike(teacher("wuhou-pri.t2"), postId, false).likes).toBe(1);
    expect(viewPost(teacher("wuhou-pri.t2"), postId).likedByMe).toBe(false);
    expect(() => setLike(null, postId, true)).toThrow(ForbiddenError);
  });
});

describe("students' comments waiting for approval", () => {
  it("a primary student's comment is seen by its author and their teachers until approved", () => {
    const postId = post(teacher(), "classes");
    const s1 = actorFor("wuhou-pri.s1");
    const { id, approval } = addComment(s1, postId, "老师，我读完了！");
    expect(approval).toBe("pending");
    expect(told("wuhou-pri.t2", "approval_needed").some((n) => n.subjectId === postId)).toBe(true);
    expect(listComments(s1, postId).map((c) => c.id)).toContain(id);
    expect(listComments(actorFor("wuhou-pri.s3"), postId).map((c) => c.id)).not.toContain(id); // classmate
    expect(listComments(teacher(), postId).find((c) => c.id === id)?.mayApprove).toBe(true);
    expect(approvalQueue(teacher()).find((q) => q.id === id)).toMatchObject({ type: "comment", postId, text: "老师，我读完了！" });
    // Neither a classmate nor another school's teacher sees a waiting comment: not found (issue 13 item 9b).
    expect(() => decideComment(actorFor("wuhou-pri.s3"), id, "approve")).toThrow(NotFoundError);
    expect(() => decideComment(teacher("wuhou-jun.t1"), id, "approve")).toThrow(NotFoundError);
    expect(() => decideComment(s1, id, "approve")).toThrow(ForbiddenError);
    decideComment(teacher("wuhou-pri.t2"), id, "approve");
    expect(listComments(actorFor("wuhou-pri.s3"), postId).map((c) => c.id)).toContain(id);
    expect(told("wuhou-pri.s1", "approved").some((n) => n.subjectId === postId)).toBe(true);
    // Its edit waits again.
    expect(editComment(s1, id, "老师，我读完了两遍！").approval).toBe("pending");
    expect(listComments(actorFor("wuhou-pri.s3"), postId).map((c) => c.id)).not.toContain(id);
  });

  it("a rejected comment stays with its author", () => {
    const postId = post(teacher(), "classes");
    const { id } = addComment(actorFor("wuhou-pri.s1"), postId, "哈哈哈");
    decideComment(teacher(), id, "reject");
    expect(commentRow(id)!.approval).toBe("rejected");
    expect(listComments(actorFor("wuhou-pri.s1"), postId).find((c) => c.id === id)?.approval).toBe("rejected");
    expect(listComments(actorFor("wuhou-pri.s3"), postId).map((c) => c.id)).not.toContain(id);
    expect(told("wuhou-pri.s1", "rejected").some((n) => n.subjectId === postId)).toBe(true);
  });

  it("students of a school without approval comment directly", () => {
    const postId = post(teacher("wuhou-jun.t1"), "school");
    expect(addComment(actorFor("wuhou-jun.s5"), postId, "好").approval).toBe("none");
  });

  it("a student whose space is closed cannot comment", () => {
    const postId = post(teacher(), "school");
    expect(() => addComment(actorFor("wuhou-pri.s2"), postId, "hi")).toThrow(DomainError); // no guardian consent yet
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
