import { and, eq } from "drizzle-orm";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import type { Actor } from "~/domain/foundation/actor.server";
import { DomainError, ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { receiveUploadForm } from "~/domain/uploads/files.server";
import { clearFlagOverride, FeatureClosedError, setFlagOverride } from "~/domain/rollout/flags.server";
import { randomId } from "~/domain/foundation/ids.server";
import { approvalQueue, createPost, decidePost, deletePost, listPosts, parseTags, postForm, updatePost, viewPost, POSTS_PAGE_SIZE } from "~/domain/spaces/posts.server";
import { recordConsent } from "~/domain/rollout/rollout.server";
import { seedDemoPosts } from "#db/seed/posts";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { validationRefusal } from "../support/refusal";

beforeAll(async () => {
  await demoWorld();
  // wuhou-pri.s3 reads as a classmate: a pupil reads others only once their own space is open
  // (issue 13 #8b), so the demo's s3 gets a guardian's paper consent. wuhou-pri.s2 stays without.
  await recordConsent(await actorFor("wuhou-pri.admin"), { student: "wuhou-pri.s3", guardianName: "王秀兰", signedOn: "2026-09-01", decision: "given" });
});

type Fields = Record<string, string>;

function form(fields: Fields): Map<string, string> {
  return new Map(Object.entries(fields));
}

async function write(actor: Actor, fields: Fields = {}) {
  return createPost(actor, form({ id: randomId(), title: "春天来了", body: "柳树发芽了。\n\n燕子飞回来了。", visibility: "school", intent: "publish", ...fields }));
}


const postRow = async (id: string) => first(db().select().from(schema.posts).where(eq(schema.posts.id, id)).limit(1));
const notices = async (login: string, kind: string) =>
  db()
        .select()
        .from(schema.notifications)
        .where(and(eq(schema.notifications.userId, (await userByLogin(login)).id), eq(schema.notifications.kind, kind as "approval_needed")));

describe("writing posts", () => {
  it("publishes a teacher's post from the no-JavaScript textarea, rendered and sanitized", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const saved = await write(t1, { body: "第一段\n第二行\n\n<script>alert(1)</script>", tags: "语文, 春天 #Reading reading" });
    expect(saved).toMatchObject({ status: "published", approval: "none" });
    const row = (await postRow(saved.id))!;
    expect(row.bodyHtml).toBe("<p>第一段<br />第二行</p><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
    expect(row.excerpt).toContain("第一段");
    expect(row.schoolId).toBe((await userByLogin("wuhou-pri.t1")).schoolId);
    expect((await viewPost(t1, saved.id)).tags).toEqual(["reading", "春天", "语文"]);
  });

  it("stores the editor's JSON and renders headings, lists, marks, links and Tibetan paragraphs", async () => {
    const t1 = await actorFor("kangding-pri.t1");
    const doc = {
      type: "doc",
      content: [
        { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "ཉིན་མོ་བདེ་ལེགས།" }] },
        { type: "paragraph", content: [{ type: "text", text: "粗", marks: [{ type: "bold" }] }, { type: "text", text: "link", marks: [{ type: "link", attrs: { href: "https://example.org/a" } }] }] },
        { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "一" }] }] }] },
        { type: "blockquote", content: [{ type: "paragraph", content: [{ type: "text", text: "引" }] }] },
      ],
    };
    const saved = await write(t1, { body: "", bodyJson: JSON.stringify(doc) });
    const html = (await postRow(saved.id))!.bodyHtml;
    expect(html).toContain('<h2 lang="bo">ཉིན་མོ་བདེ་ལེགས།</h2>');
    expect(html).toContain("<strong>粗</strong>");
    expect(html).toContain('<a href="https://example.org/a" rel="noopener noreferrer nofollow ugc">link</a>');
    expect(html).toContain("<ul><li><p>一</p></li></ul>");
    expect(html).toContain("<blockquote><p>引</p></blockquote>");
  });

  it("refuses each bad input with a translated reason beside its field, storing nothing", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const before = (await db().select().from(schema.posts)).length;
    expect((await validationRefusal(async () => write(t1, { title: "  " }))).fields.title?.key).toBe("blog:titleRequired");
    expect((await validationRefusal(async () => write(t1, { title: "长".repeat(121) }))).fields.title?.key).toBe("blog:titleTooLong");
    expect((await validationRefusal(async () => write(t1, { body: "" }))).fields.body?.key).toBe("blog:bodyRequired");
    expect((await validationRefusal(async () => write(t1, { body: "字".repeat(50_001) }))).fields.body?.key).toBe("blog:bodyTooLong");
    expect((await validationRefusal(async () => write(t1, { bodyJson: JSON.stringify({ type: "doc", content: [{ type: "iframe", attrs: { src: "https://evil.example" } }] }) }))).fields.body?.key).toBe("blog:bodyUnknownType");
    expect((await validationRefusal(async () => write(t1, { bodyJson: JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "x", marks: [{ type: "script" }] }] }] }) }))).fields.body?.key).toBe(
      "blog:bodyUnknownType",
    );
    expect((await validationRefusal(async () => write(t1, { bodyJson: "{not json" }))).fields.body?.key).toBe("blog:bodyInvalid");
    expect((await validationRefusal(async () => write(t1, { bodyJson: JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "x".repeat(210_000) }] }] }) }))).fields.body?.key).toBe("blog:bodyTooLong");
    expect((await validationRefusal(async () => write(t1, { tags: Array.from({ length: 11 }, (_, i) => `t${i}`).join(",") }))).fields.tags?.key).toBe("blog:tooManyTags");
    expect((await validationRefusal(async () => write(t1, { tags: "a".repeat(31) }))).fields.tags?.key).toBe("blog:tagTooLong");
    expect((await validationRefusal(async () => write(t1, { visibility: "everyone" }))).fields.visibility?.key).toBe("space:visibilityInvalid");
    // All problems of one submit come back together.
    expect(Object.keys((await validationRefusal(async () => write(t1, { title: "", tags: "a".repeat(31), visibility: "x" }))).fields).sort()).toEqual(["tags", "title", "visibility"]);
    expect((await db().select().from(schema.posts)).length).toBe(before);
  });

  it("turns pasted HTML payloads into harmless text and drops unsafe links and foreign images", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const doc = {
      type: "doc",
      content: [
        { type: "paragraph", content: [{ type: "text", text: '<img src=x onerror="alert(1)">' }] },
        { type: "paragraph", content: [{ type: "text", text: "click", marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }] }] },
        { type: "image", attrs: { src: "https://evil.example/x.png", onerror: "alert(1)" } },
      ],
    };
    const saved = await write(t1, { bodyJson: JSON.stringify(doc) });
    const row = (await postRow(saved.id))!;
    expect(row.bodyHtml).toBe('<p>&lt;img src=x onerror="alert(1)"&gt;</p><p>click</p>');
    // What is stored (and loaded back into the editor) holds no unsafe link either.
    expect(JSON.stringify(row.bodyJson)).not.toContain("javascript:");
    expect(JSON.stringify(row.bodyJson)).not.toContain("evil.example");
  });

  it("lets students choose only what their age allows", async () => {
    // 武侯区实验小学's students are all under 14: only me or my classes.
    const s1 = await actorFor("wuhou-pri.s1");
    expect((await postForm(s1)).visibilities).toEqual(["private", "classes"]);
    expect((await validationRefusal(async () => write(s1, { visibility: "school" }))).fields.visibility?.key).toBe("space:visibilityNotAllowed_under14");
    expect((await validationRefusal(async () => write(s1, { visibility: "public" }))).fields.visibility?.key).toBe("space:visibilityNotAllowed_under14");
    // 武侯区第一初级中学's ninth-graders are over 14: up to their school, never public.
    const s5 = await actorFor("wuhou-jun.s5");
    expect((await postForm(s5)).visibilities).toEqual(["private", "classes", "school"]);
    expect((await validationRefusal(async () => write(s5, { visibility: "public" }))).fields.visibility?.key).toBe("space:visibilityNotAllowed_student");
    expect((await write(s5, { visibility: "school" })).approval).toBe("none"); // junior school: no approval by default
  });

  it("is refused where the blog is not open for the writer", async () => {
    // 康定 students: the demo opens the blog for students in 成都市 only.
    await expect(postForm(await actorFor("kangding-jun.s5"))).rejects.toThrow(FeatureClosedError);
    await expect(write(await actorFor("kangding-jun.s5"))).rejects.toThrow(FeatureClosedError);
    // A student under 14 without a guardian's consent has no open space.
    await expect(write(await actorFor("wuhou-pri.s2"), { visibility: "classes" })).rejects.toThrow(DomainError);
    await expect(write(null)).rejects.toThrow(ForbiddenError);
    // A teacher acting as a parent writes nothing.
    await expect(write(await actorFor("wuhou-pri.t1", "parent"))).rejects.toThrow();
  });

  it("creates one post from a double submit of the same form", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const id = randomId();
    const first = await write(t1, { id, title: "只发一次" });
    const second = await write(t1, { id, title: "只发一次" });
    expect(second.id).toBe(first.id);
    expect(await db().select().from(schema.posts).where(eq(schema.posts.title, "只发一次"))).toHaveLength(1);
    // Someone else's id is not theirs to reuse.
    await expect(write(await actorFor("wuhou-pri.t2"), { id })).rejects.toThrow(NotFoundError);
  });

  it("saves drafts that only their author sees, then publishes them", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const saved = await write(t1, { intent: "draft", body: "" });
    expect(saved.status).toBe("draft");
    expect((await viewPost(t1, saved.id)).status).toBe("draft");
    await expect(viewPost(await actorFor("wuhou-pri.t2"), saved.id)).rejects.toThrow(NotFoundError);
    expect((await listPosts(await actorFor("wuhou-pri.t2"), (await userByLogin("wuhou-pri.t1")).handle)).posts.map((p) => p.id)).not.toContain(saved.id);
    expect((await listPosts(t1, (await userByLogin("wuhou-pri.t1")).handle)).posts.map((p) => p.id)).toContain(saved.id);
    const version = (await postRow(saved.id))!.version;
    await updatePost(t1, saved.id, form({ title: "现在发布", body: "正文", visibility: "school", intent: "publish", version: String(version) }));
    expect((await viewPost(await actorFor("wuhou-pri.t2"), saved.id)).title).toBe("现在发布");
  });
});

describe("editing and deleting", () => {
  it("refuses an edit made from an older version and keeps the newer text", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const { id } = await write(t1, { title: "原来的" });
    const formA = await postForm(t1, id);
    const formB = await postForm(t1, id);
    await updatePost(t1, id, form({ title: "第一个窗口", body: "A", visibility: "school", intent: "publish", version: String(formA.version) }));
    const error = await validationRefusal(async () => updatePost(t1, id, form({ title: "第二个窗口", body: "B", visibility: "school", intent: "publish", version: String(formB.version) })));
    expect(error.key).toBe("blog:editedElsewhere");
    expect((await postRow(id))!.title).toBe("第一个窗口");
    expect((await postRow(id))!.version).toBe(formA.version + 1);
  });

  it("lets only the author edit; the author and the school's admins delete (audited)", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const { id } = await write(t1);
    const edit = form({ title: "x", body: "y", visibility: "school", intent: "publish", version: "1" });
    await expect(updatePost(await actorFor("wuhou-pri.t2"), id, edit)).rejects.toThrow(NotFoundError);
    await expect(postForm(await actorFor("wuhou-pri.t2"), id)).rejects.toThrow(NotFoundError);
    await expect(deletePost(await actorFor("wuhou-pri.t2"), id)).rejects.toThrow(ForbiddenError);
    await expect(deletePost(await actorFor("wuhou-jun.admin"), id)).rejects.toThrow(NotFoundError);
    // Region and platform admins do not moderate pupils' or teachers' posts: that is the school's.
    await expect(deletePost(await actorFor("sichuan.edu"), id)).rejects.toThrow(NotFoundError);
    await expect(deletePost(await actorFor("platform"), id)).rejects.toThrow(NotFoundError);
    await expect(deletePost(null, id)).rejects.toThrow(ForbiddenError);
    await deletePost(await actorFor("wuhou-pri.admin"), id);
    expect(await postRow(id)).toBeUndefined();
    const audit = await first(db().select().from(schema.auditEvents).where(eq(schema.auditEvents.targetId, id)).limit(1));
    expect(audit).toMatchObject({ action: "post.delete", actorId: (await userByLogin("wuhou-pri.admin")).id });
    const own = await write(t1);
    await deletePost(t1, own.id);
    expect(await postRow(own.id)).toBeUndefined();
  });
});

describe("who sees a post", () => {
  const handleOf = async (login: string) => (await userByLogin(login)).handle;

  it("private: the author only", async () => {
    const { id } = await write(await actorFor("wuhou-pri.t1", "teacher"), { visibility: "private" });
    expect((await viewPost(await actorFor("wuhou-pri.t1", "teacher"), id)).id).toBe(id);
    for (const login of ["wuhou-pri.t2", "wuhou-pri.s1", "wuhou-pri.admin"]) await expect(viewPost(await actorFor(login), id)).rejects.toThrow(NotFoundError);
    await expect(viewPost(null, id)).rejects.toThrow(ForbiddenError);
  });

  it("school: the author's school, not another school, not anonymous, not a parent of another school's child", async () => {
    const { id } = await write(await actorFor("wuhou-pri.t1", "teacher"), { visibility: "school" });
    for (const login of ["wuhou-pri.t2", "wuhou-pri.s5", "wuhou-pri.admin"]) expect((await viewPost(await actorFor(login), id)).id, login).toBe(id);
    for (const login of ["wuhou-jun.t1", "kangding-pri.t1", "wuhou-jun.s5", "kangding-pri.admin"]) await expect(viewPost(await actorFor(login), id)).rejects.toThrow(NotFoundError);
    await expect(viewPost(null, id)).rejects.toThrow(ForbiddenError);
  });

  it("classes: people who share a class with the author, not another class", async () => {
    const s5 = await actorFor("wuhou-jun.s5"); // 九年级（1）班: wuhou-jun.s5–s8
    const { id } = await write(s5, { visibility: "classes" });
    expect((await viewPost(await actorFor("wuhou-jun.s6"), id)).id).toBe(id);
    expect((await viewPost(await actorFor("wuhou-jun.t1"), id)).id).toBe(id); // their teacher
    expect((await viewPost(await actorFor("wuhou-jun.admin"), id)).id).toBe(id);
    await expect(viewPost(await actorFor("wuhou-jun.s1"), id)).rejects.toThrow(NotFoundError); // 七年级（3）班
    await expect(viewPost(await actorFor("wuhou-pri.t1", "teacher"), id)).rejects.toThrow(NotFoundError); // another school
  });

  it("public: anyone, signed in or not", async () => {
    const { id } = await write(await actorFor("wuhou-pri.t2"), { visibility: "public", title: "公开课" });
    expect((await viewPost(null, id)).title).toBe("公开课");
    expect((await viewPost(await actorFor("kangding-pri.t1"), id)).title).toBe("公开课");
    expect((await listPosts(null, await handleOf("wuhou-pri.t2"))).posts.map((p) => p.id)).toContain(id);
  });

  it("a guessed URL learns nothing: unknown and invisible posts both read as not found", async () => {
    await expect(viewPost(await actorFor("wuhou-pri.t2"), "nosuchpost00")).rejects.toThrow(NotFoundError);
    await expect(viewPost(null, "nosuchpost00")).rejects.toThrow(ForbiddenError);
  });

  it("a student's list is not for anonymous readers or other schools", async () => {
    await expect(listPosts(null, await handleOf("wuhou-jun.s5"))).rejects.toThrow(ForbiddenError);
    await expect(listPosts(await actorFor("kangding-pri.t1"), await handleOf("wuhou-jun.s5"))).rejects.toThrow(NotFoundError);
  });

  it("a blog whose flag is off for its owner is closed to readers too", async () => {
    const { id } = await write(await actorFor("wuhou-voc.t1"), { visibility: "public" });
    const school = (await userByLogin("wuhou-voc.t1")).schoolId!;
    await setFlagOverride(await actorFor("wuhou-voc.admin"), { flag: "blog", scope: "school", scopeId: school, enabled: false });
    await expect(viewPost(null, id)).rejects.toThrow(FeatureClosedError);
    await expect(listPosts(await actorFor("wuhou-pri.t1", "teacher"), await handleOf("wuhou-voc.t1"))).rejects.toThrow(FeatureClosedError);
    await clearFlagOverride(await actorFor("wuhou-voc.admin"), { flag: "blog", scope: "school", scopeId: school });
    expect((await viewPost(null, id)).id).toBe(id);
  });
});

describe("approval of students' posts", () => {
  it("keeps a primary student's post from classmates until a teacher of their class approves", async () => {
    const s1 = await actorFor("wuhou-pri.s1"); // 三年级（1）班
    const saved = await write(s1, { visibility: "classes", title: "我的小狗" });
    expect(saved.approval).toBe("pending");
    expect((await viewPost(s1, saved.id)).approval).toBe("pending");
    await expect(viewPost(await actorFor("wuhou-pri.s3"), saved.id)).rejects.toThrow(NotFoundError); // classmate: not yet
    expect((await listPosts(await actorFor("wuhou-pri.s3"), (await userByLogin("wuhou-pri.s1")).handle)).posts.map((p) => p.id)).not.toContain(saved.id);
    // Every teacher of the student's classes is told, and finds it in their queue.
    expect((await notices("wuhou-pri.t1", "approval_needed")).some((n) => n.subjectId === saved.id)).toBe(true);
    expect((await notices("wuhou-pri.t3", "approval_needed")).some((n) => n.subjectId === saved.id)).toBe(true);
    expect((await approvalQueue(await actorFor("wuhou-pri.t1", "teacher"))).map((q) => q.id)).toContain(saved.id);
    expect((await approvalQueue(await actorFor("wuhou-pri.admin", "school_admin"))).map((q) => q.id)).toContain(saved.id);
    expect((await viewPost(await actorFor("wuhou-pri.t1", "teacher"), saved.id)).mayApprove).toBe(true);
    // Not a teacher of another school, not a classmate, not the student.
    await expect(decidePost(await actorFor("wuhou-jun.t1"), saved.id, "approve")).rejects.toThrow(NotFoundError);
    await expect(decidePost(await actorFor("wuhou-pri.s3"), saved.id, "approve")).rejects.toThrow(NotFoundError);
    await expect(decidePost(s1, saved.id, "approve")).rejects.toThrow(ForbiddenError);
    await expect(approvalQueue(await actorFor("wuhou-pri.s1"))).rejects.toThrow(ForbiddenError);
    expect((await approvalQueue(await actorFor("wuhou-jun.t1"))).map((q) => q.id)).not.toContain(saved.id);

    await decidePost(await actorFor("wuhou-pri.t1", "teacher"), saved.id, "approve");
    expect((await viewPost(await actorFor("wuhou-pri.s3"), saved.id)).approval).toBe("approved");
    await expect(viewPost(await actorFor("wuhou-pri.s5"), saved.id)).rejects.toThrow(NotFoundError); // another class
    expect((await notices("wuhou-pri.s1", "approved")).some((n) => n.subjectId === saved.id)).toBe(true);
    expect((await approvalQueue(await actorFor("wuhou-pri.t1", "teacher"))).map((q) => q.id)).not.toContain(saved.id);
    // A second decision (double click, another teacher) changes nothing.
    await decidePost(await actorFor("wuhou-pri.t2"), saved.id, "reject");
    expect((await postRow(saved.id))!.approval).toBe("approved");
  });

  it("a rejected post stays with its author; an edit asks again", async () => {
    const s1 = await actorFor("wuhou-pri.s1");
    const saved = await write(s1, { visibility: "classes" });
    await decidePost(await actorFor("wuhou-pri.t2"), saved.id, "reject");
    expect((await notices("wuhou-pri.s1", "rejected")).some((n) => n.subjectId === saved.id)).toBe(true);
    await expect(viewPost(await actorFor("wuhou-pri.s3"), saved.id)).rejects.toThrow(NotFoundError);
    const { version } = await postForm(s1, saved.id);
    expect((await updatePost(s1, saved.id, form({ title: "改好了", body: "新的", visibility: "classes", intent: "publish", version: String(version) }))).approval).toBe("pending");
  });

  it("teachers' posts never wait", async () => {
    expect((await write(await actorFor("wuhou-pri.t3"))).approval).toBe("none");
  });
});

describe("listing", () => {
  it("pages by cursor, newest first, and filters by tag", async () => {
    const t = await actorFor("wuhou-voc.t2");
    const handle = (await userByLogin("wuhou-voc.t2")).handle;
    const ids: string[] = [];
    for (let i = 0; i < POSTS_PAGE_SIZE + 3; i++) ids.push((await write(t, { title: `第${i}篇`, tags: i % 2 ? "单数" : "双数" })).id);
    const first = await listPosts(await actorFor("wuhou-voc.t1"), handle);
    expect(first.posts).toHaveLength(POSTS_PAGE_SIZE);
    expect(first.nextCursor).not.toBeNull();
    const second = await listPosts(await actorFor("wuhou-voc.t1"), handle, { cursor: first.nextCursor });
    const seen = [...first.posts, ...second.posts].map((p) => p.id);
    expect(new Set(seen).size).toBe(ids.length);
    expect(second.nextCursor).toBeNull();
    const odd = await listPosts(await actorFor("wuhou-voc.t1"), handle, { tag: "单数" });
    expect(odd.tag).toBe("单数");
    expect(odd.posts.every((p) => p.tags.includes("单数"))).toBe(true);
    expect(odd.posts).toHaveLength(Math.floor((POSTS_PAGE_SIZE + 3) / 2));
  });

  it("reads tags as typed: separators, # and case", () => {
    expect(parseTags("  #Math, 语文，数学、 ENGLISH english ")).toEqual(["math", "语文", "数学", "english"]);
    expect(parseTags("")).toEqual([]);
    expect(parseTags("བོད་ཡིག, ꆈꌠꉙ")).toEqual(["བོད་ཡིག", "ꆈꌠꉙ"]);
  });
});

describe("demo posts", () => {
  it("writes the sample posts once (the demo world has them already), Tibetan and Yi ones marked with their language", async () => {
    expect((await seedDemoPosts()).created).toBe(0);
    const tibetan = await viewPost(null, "demopost0000004");
    expect(tibetan.html).toContain('<p lang="bo">');
    expect(tibetan.tags).toContain("བོད་ཡིག");
    expect((await viewPost(null, "demopost0000005")).html).toContain('<p lang="ii">');
    expect((await viewPost(await actorFor("wuhou-pri.t3", "teacher"), "demopost0000001")).title).toBe("春游前的安全小课");
  });
});

describe("images in posts", () => {
  async function uploadImage(actor: Actor) {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: "#3366cc" } })
      .png()
      .toBuffer();
    const body = new FormData();
    body.append("file", new File([new Uint8Array(png)], "春天.png", { type: "image/png" }));
    const { files } = await receiveUploadForm(actor, new Request("http://localhost/files", { method: "POST", body }), { accept: "image" });
    return files.get("file")![0]!;
  }

  const docWith = (src: string) => JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "看图" }] }, { type: "image", attrs: { src, alt: "春天" } }] });

  it("attaches the author's uploaded image to the post, and removes it when an edit drops it", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const image = await uploadImage(t1);
    const { id } = await write(t1, { bodyJson: docWith(image.url) });
    expect((await postRow(id))!.bodyHtml).toContain(`<img src="${image.url}" alt="春天" loading="lazy" />`);
    const file = (await first(db().select().from(schema.files).where(eq(schema.files.id, image.id)).limit(1)))!;
    expect(file).toMatchObject({ attachedTo: "post", attachedId: id });
    const { version } = await postForm(t1, id);
    const textOnly = JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "只有字" }] }] });
    await updatePost(t1, id, form({ title: "没有图了", body: "", bodyJson: textOnly, visibility: "school", intent: "publish", version: String(version) }));
    expect(await first(db().select().from(schema.files).where(eq(schema.files.id, image.id)).limit(1))).toBeUndefined();
  });

  it("keeps the pictures when the post is edited without JavaScript (textarea only)", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const image = await uploadImage(t1);
    const { id } = await write(t1, { bodyJson: docWith(image.url) });
    const { version, bodyText } = await postForm(t1, id);
    expect(bodyText).toBe("看图");
    await updatePost(t1, id, form({ title: "改了字", body: "新的文字", visibility: "school", intent: "publish", version: String(version) }));
    expect((await postRow(id))!.bodyHtml).toBe(`<p>新的文字</p><img src="${image.url}" alt="春天" loading="lazy" />`);
    expect(await first(db().select().from(schema.files).where(eq(schema.files.id, image.id)).limit(1))).toMatchObject({ attachedTo: "post", attachedId: id });
  });

  it("refuses another person's image", async () => {
    const image = await uploadImage(await actorFor("wuhou-pri.t2"));
    const before = (await db().select().from(schema.posts)).length;
    expect((await validationRefusal(async () => write(await actorFor("wuhou-pri.t1", "teacher"), { bodyJson: docWith(image.url) }))).fields.body?.key).toBe("blog:imageNotYours");
    expect((await validationRefusal(async () => write(await actorFor("wuhou-pri.t1", "teacher"), { bodyJson: docWith("/files/nosuchfile0/x.png") }))).fields.body?.key).toBe("blog:imageNotYours");
    expect((await db().select().from(schema.posts)).length).toBe(before);
  });
});
