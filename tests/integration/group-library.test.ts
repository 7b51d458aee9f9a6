import { readdirSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import type { Actor } from "~/domain/foundation/actor.server";
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from "~/domain/foundation/errors.server";
import { openFile } from "~/domain/downloads/file-reading.server";
import { attachFiles, receiveUploadForm, removalsSettled } from "~/domain/uploads/files.server";
import {
  addLibraryFiles,
  addLibraryLink,
  copyGroupFileToLesson,
  copyToLessonChoices,
  createFolder,
  deleteFolder,
  libraryView,
  removeLibraryEntry,
  renameFolder,
} from "~/domain/group-work/group-library.server";
import { joinGroup, leaveGroup, removeMember } from "~/domain/groups/group-members.server";
import { createGroup } from "~/domain/groups/groups.server";
import { randomId } from "~/domain/foundation/ids.server";
import { addFilesToLesson, createLesson, viewLesson } from "~/domain/classwork/lessons.server";
import { uploadsDir } from "~/storage/local.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { mapInOrder } from "~/lib/in-order";

// The people: an owner in 成都, a member in 甘孜 (cross-school research group), teachers who never
// joined, who left and who were removed, and a student of a study group.
let owner: Actor;
let member: Actor;
let outsider: Actor;
let leaver: Actor;
let removed: Actor;
let farTeacher: Actor;
let otherGroupTeacher: Actor;
let student: Actor;
let research: string;
let study: string;
let otherGroup: string;

const fields = (values: Record<string, string>) => new Map(Object.entries(values));

function groupFields(values: Record<string, string>) {
  return fields({ description: "", subject: "数学", joinPolicy: "open", regionId: "", ...values });
}

async function uploadDrafts(actor: Actor, files: [string, string][]): Promise<string[]> {
  const form = new FormData();
  for (const [name, text] of files) form.append("files", new File([text], name, { type: "text/plain" }));
  const request = new Request("http://localhost/groups/x/library", { method: "POST", body: form });
  const { files: received } = await receiveUploadForm(actor, request);
  return (received.get("files") ?? []).map((f) => f.id);
}

async function fileRow(id: string) {
  return first(db().select().from(schema.files).where(eq(schema.files.id, id)).limit(1));
}

function storedKeys(): string[] {
  try {
    return readdirSync(uploadsDir(), { recursive: true }).map(String);
  } catch {
    return [];
  }
}

async function refusal(run: () => unknown): Promise<DomainError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

/** A thread with one post by `author` carrying a file (the threads module's shape, written directly). */
async function postWithFile(actor: Actor, groupId: string, name: string, text: string): Promise<{ fileId: string; postId: string; threadId: string }> {
  const [fileId] = await uploadDrafts(actor, [[name, text]]);
  const threadId = randomId();
  const postId = randomId();
  await db().transaction(async (tx) => {
    await tx.insert(schema.groupThreads).values({ id: threadId, groupId, authorId: actor!.id, title: "教案交流", postCount: 1, lastPostAt: new Date() });
    await tx.insert(schema.groupPosts).values({ id: postId, threadId, groupId, authorId: actor!.id, bodyJson: { type: "doc", content: [] }, bodyHtml: "" });
    await attachFiles(tx, actor, [fileId!], { type: "group_post", id: postId });
  });
  return { fileId: fileId!, postId, threadId };
}

beforeAll(async () => {
  await demoWorld();
  owner = await actorFor("wuhou-jun.t1", "teacher");
  member = await actorFor("kangding-jun.t1", "teacher");
  outsider = await actorFor("zhaojue-jun.t1", "teacher");
  leaver = await actorFor("zhaojue-jun.t2", "teacher");
  removed = await actorFor("wuhou-jun.t3", "teacher");
  farTeacher = await actorFor("kangding-jun.t2", "teacher");
  otherGroupTeacher = await actorFor("wuhou-jun.t2", "teacher");
  student = await actorFor("wuhou-jun.s5", "student");
  research = (await createGroup(owner, groupFields({ name: "初中数学教研组", kind: "research", reach: "platform" }))).id;
  await joinGroup(member, research);
  await joinGroup(leaver, research);
  await joinGroup(removed, research);
  // A school-reach study group at 武侯: beyond the reach of teachers elsewhere.
  study = (await createGroup(otherGroupTeacher, groupFields({ name: "九年级数学学习小组", kind: "study", reach: "school" }))).id;
  await joinGroup(student, study);
  otherGroup = (await createGroup(otherGroupTeacher, groupFields({ name: "物理教研组", kind: "research", reach: "platform" }))).id;
});

describe("files and links", () => {
  it("adds each uploaded file as one entry, its file attached to it, with who added it and from which school", async () => {
    const drafts = await uploadDrafts(member, [
      ["一元二次方程教案.txt", "教案：配方法"],
      ["练习.txt", "练习题"],
    ]);
    const { ids } = await addLibraryFiles(member, research, fields({}), drafts);
    expect(ids).toHaveLength(2);
    for (const [i, id] of ids.entries()) {
      const resource = (await first(db().select().from(schema.groupResources).where(eq(schema.groupResources.id, id)).limit(1)))!;
      expect(resource).toMatchObject({ kind: "file", groupId: research, folderId: null, addedBy: member!.id });
      expect(await fileRow(drafts[i]!)).toMatchObject({ attachedTo: "group_resource", attachedId: id });
    }
    const view = await libraryView(owner, research);
    const entry = view.entries.find((e) => e.title === "一元二次方程教案.txt")!;
    expect(entry.kind).toBe("file");
    expect(entry.addedBy).toEqual({ realName: (await userByLogin("kangding-jun.t1")).realName, schoolName: "康定市民族中学" });
    expect(entry.href).toMatch(/^\/files\//);
    // The owner moderates: may remove anything; the adder only their own.
    expect(entry.mayRemove).toBe(true);
    expect((await libraryView(leaver, research)).entries.find((e) => e.id === entry.id)!.mayRemove).toBe(false);
    // Every active member reads the file.
    const opened = await openFile(leaver, entry.file!.id);
    expect(opened.file.name).toBe("一元二次方程教案.txt");
  });

  it("adds http and https links only, with a title of 1–120 characters", async () => {
    const bad = async (url: string) => ((await refusal(async () => addLibraryLink(member, research, fields({ title: "链接", url })))) as ValidationError).fields.url?.key;
    expect(await bad("javascript:alert(1)")).toBe("groupLibrary:urlInvalid");
    expect(await bad("JavaScript:alert(1)")).toBe("groupLibrary:urlInvalid");
    expect(await bad("data:text/html,<script>alert(1)</script>")).toBe("groupLibrary:urlInvalid");
    expect(await bad("mailto:someone@example.com")).toBe("groupLibrary:urlInvalid");
    expect(await bad("ftp://example.com/a")).toBe("groupLibrary:urlInvalid");
    expect(await bad("")).toBe("groupLibrary:urlRequired");
    const noTitle = (await refusal(async () => addLibraryLink(member, research, fields({ title: " ", url: "https://example.com" })))) as ValidationError;
    expect(noTitle.fields.title?.key).toBe("groupLibrary:titleRequired");
    const long = (await refusal(async () => addLibraryLink(member, research, fields({ title: "长".repeat(121), url: "https://example.com" })))) as ValidationError;
    expect(long.fields.title?.key).toBe("groupLibrary:titleTooLong");
    const { id } = await addLibraryLink(member, research, fields({ title: "国家中小学智慧教育平台", url: " https://basic.smartedu.cn/syncClassroom " }));
    const entry = (await libraryView(member, research)).entries.find((e) => e.id === id)!;
    expect(entry).toMatchObject({ kind: "link", href: "https://basic.smartedu.cn/syncClassroom", file: null, mayRemove: true });
    expect((await db().select().from(schema.groupResources).where(eq(schema.groupResources.groupId, research))).some((r) => r.url?.startsWith("javascript"))).toBe(false);
  });

  it("removes an entry by its adder or a moderator (soft), deleting its file; nobody else", async () => {
    const [draft] = await uploadDrafts(member, [["旧课件.txt", "old"]]);
    const { ids } = await addLibraryFiles(member, research, fields({}), [draft!]);
    const entryId = ids[0]!;
    const notYours = await refusal(async () => removeLibraryEntry(leaver, research, entryId));
    expect(notYours).toBeInstanceOf(ForbiddenError);
    expect(notYours.key).toBe("groupLibrary:entryNotYours");
    await removeLibraryEntry(member, research, entryId);
    await removalsSettled();
    const row = (await first(db().select().from(schema.groupResources).where(eq(schema.groupResources.id, entryId)).limit(1)))!;
    expect(row.removedAt).toBeInstanceOf(Date);
    expect(row.removedBy).toBe(member!.id);
    expect(await fileRow(draft!)).toBeUndefined();
    expect((await libraryView(member, research)).entries.some((e) => e.id === entryId)).toBe(false);
    // Removing again: it is gone.
    expect(await refusal(async () => removeLibraryEntry(member, research, entryId))).toBeInstanceOf(NotFoundError);

    const link = (await addLibraryLink(member, research, fields({ title: "要删的链接", url: "https://example.com/x" }))).id;
    await removeLibraryEntry(owner, research, link);
    expect((await first(db().select().from(schema.groupResources).where(eq(schema.groupResources.id, link)).limit(1)))!.removedBy).toBe(owner!.id);
  });
});

describe("folders", () => {
  it("creates folders with unique names (a duplicate is refused beside the field), 1–60 characters", async () => {
    const { id } = await createFolder(member, research, fields({ name: "Unit 1 教案" }));
    const duplicate = (await refusal(async () => createFolder(owner, research, fields({ name: "Unit 1 教案" })))) as ValidationError;
    expect(duplicate).toBeInstanceOf(ValidationError);
    expect(duplicate.fields.name).toEqual({ key: "groupLibrary:folderNameTaken", params: { name: "Unit 1 教案" } });
    // Full-width letters and another case are the same name to a reader.
    const folded = (await refusal(async () => createFolder(owner, research, fields({ name: "ｕｎｉｔ 1 教案" })))) as ValidationError;
    expect(folded.fields.name?.key).toBe("groupLibrary:folderNameTaken");
    expect(((await refusal(async () => createFolder(owner, research, fields({ name: "  " })))) as ValidationError).fields.name?.key).toBe("groupLibrary:folderNameRequired");
    expect(((await refusal(async () => createFolder(owner, research, fields({ name: "名".repeat(61) })))) as ValidationError).fields.name?.key).toBe("groupLibrary:folderNameTooLong");
    expect((await createFolder(owner, research, fields({ name: "名".repeat(60) }))).id).toBeTruthy();
    // The same name in another group is fine.
    expect((await createFolder(otherGroupTeacher, otherGroup, fields({ name: "Unit 1 教案" }))).id).toBeTruthy();
    expect((await libraryView(owner, research)).folders.find((f) => f.id === id)).toMatchObject({ name: "Unit 1 教案", entryCount: 0 });
  });

  it("puts entries into a folder, counts them, and shows the folder's entries and name", async () => {
    const { id: folderId } = await createFolder(member, research, fields({ name: "课件" }));
    const [draft] = await uploadDrafts(member, [["第一课.txt", "课件一"]]);
    await addLibraryFiles(member, research, fields({ folderId }), [draft!]);
    await addLibraryLink(member, research, fields({ title: "参考网站", url: "https://example.org", folderId }));
    const top = await libraryView(member, research);
    expect(top.folder).toBeNull();
    expect(top.folders.find((f) => f.id === folderId)!.entryCount).toBe(2);
    expect(top.entries.some((e) => e.folderId === folderId)).toBe(false);
    const inside = await libraryView(member, research, folderId);
    expect(inside.folder).toMatchObject({ id: folderId, name: "课件" });
    expect(inside.entries.map((e) => e.title)).toEqual(["参考网站", "第一课.txt"]);
    // A folder of another group is neither shown nor a place to add to.
    const foreign = (await createFolder(otherGroupTeacher, otherGroup, fields({ name: "别组" }))).id;
    expect(await refusal(async () => libraryView(member, research, foreign))).toBeInstanceOf(NotFoundError);
    const wrong = (await refusal(async () => addLibraryLink(member, research, fields({ title: "x", url: "https://example.org", folderId: foreign })))) as ValidationError;
    expect(wrong.fields.folderId?.key).toBe("groupLibrary:noSuchFolder");
  });

  it("renames and deletes: the creator (an empty folder) or a moderator; not another member", async () => {
    const { id: folderId } = await createFolder(member, research, fields({ name: "草稿" }));
    const notYours = await refusal(async () => renameFolder(leaver, research, folderId, fields({ name: "改" })));
    expect(notYours.key).toBe("groupLibrary:folderNotYours");
    expect(await refusal(async () => deleteFolder(leaver, research, folderId))).toBeInstanceOf(ForbiddenError);
    const taken = (await refusal(async () => renameFolder(member, research, folderId, fields({ name: "课件" })))) as ValidationError;
    expect(taken.fields.name?.key).toBe("groupLibrary:folderNameTaken");
    await renameFolder(member, research, folderId, fields({ name: "草稿（旧）" }));
    await renameFolder(owner, research, folderId, fields({ name: "草稿箱" }));
    expect((await libraryView(member, research, folderId)).folder!.name).toBe("草稿箱");

    const link = (await addLibraryLink(owner, research, fields({ title: "放进草稿箱", url: "https://example.net", folderId }))).id;
    const notEmpty = await refusal(async () => deleteFolder(member, research, folderId));
    expect(notEmpty.key).toBe("groupLibrary:folderNotEmpty");
    // A moderator deletes it anyway: its entries move to the top, nothing is lost.
    await deleteFolder(owner, research, folderId);
    expect((await libraryView(member, research)).folders.some((f) => f.id === folderId)).toBe(false);
    expect((await libraryView(member, research)).entries.find((e) => e.id === link)!.folderId).toBeNull();

    const { id: empty } = await createFolder(member, research, fields({ name: "空文件夹" }));
    await deleteFolder(member, research, empty);
    expect((await libraryView(member, research)).folders.some((f) => f.id === empty)).toBe(false);
  });
});

describe("who is refused", () => {
  let leftTeacher: Actor;
  beforeAll(async () => {
    await leaveGroup(leaver, research);
    await removeMember(owner, research, removed!.id);
    leftTeacher = leaver;
  });

  const attempts = (groupId: string) => ({
    view: async (a: Actor) => libraryView(a, groupId),
    folder: async (a: Actor) => createFolder(a, groupId, fields({ name: `试 ${randomId(4)}` })),
    link: async (a: Actor) => addLibraryLink(a, groupId, fields({ title: "x", url: "https://example.com" })),
    files: async (a: Actor) => addLibraryFiles(a, groupId, fields({}), []),
  });

  it("a teacher within reach who never joined: members only", async () => {
    for (const run of Object.values(attempts(research))) expect((await refusal(async () => run(outsider))).key).toBe("groups:membersOnly");
  });

  it("someone who left or was removed: no longer a member", async () => {
    for (const run of Object.values(attempts(research))) {
      expect((await refusal(async () => run(leftTeacher))).key).toBe("groups:noLongerMember");
      expect((await refusal(async () => run(removed))).key).toBe("groups:noLongerMember");
    }
  });

  it("a group beyond one's reach does not exist for them (404); anonymous readers are asked to sign in", async () => {
    for (const run of Object.values(attempts(study))) {
      expect(await refusal(async () => run(farTeacher))).toBeInstanceOf(NotFoundError);
      const anonymous = await refusal(async () => run(null));
      expect(anonymous.status).toBe(401);
    }
  });

  it("an upload by someone who has left is refused and its drafts discarded: nothing half-written stays", async () => {
    // They uploaded while still a member (the form was open); by the time it arrives they have left.
    const late = await actorFor("zhaojue-jun.t3", "teacher");
    await joinGroup(late, research);
    const drafts = await uploadDrafts(late, [
      ["迟到的教案.txt", "late"],
      ["第二份.txt", "second"],
    ]);
    const keys = (await mapInOrder(drafts, async (id) => (await fileRow(id))!.storageKey));
    await leaveGroup(late, research);
    const error = await refusal(async () => addLibraryFiles(late, research, fields({}), drafts));
    expect(error.key).toBe("groups:noLongerMember");
    await removalsSettled();
    for (const id of drafts) expect(await fileRow(id)).toBeUndefined();
    const stored = storedKeys();
    for (const key of keys) expect(stored.some((p) => p.includes(key))).toBe(false);
    expect(await db().select().from(schema.groupResources).where(eq(schema.groupResources.addedBy, late!.id))).toEqual([]);
  });

  it("someone who left no longer reads the library's files", async () => {
    const entry = (await libraryView(owner, research)).entries.find((e) => e.kind === "file")!;
    expect(await refusal(async () => openFile(leftTeacher, entry.file!.id))).toBeInstanceOf(NotFoundError);
  });
});

describe("copy to my lesson", () => {
  let libraryFile: string;
  let postFile: { fileId: string; threadId: string };

  beforeAll(async () => {
    const [draft] = await uploadDrafts(member, [["勾股定理教案.txt", "勾股定理：a²+b²=c²"]]);
    await addLibraryFiles(member, research, fields({}), [draft!]);
    libraryFile = draft!;
    postFile = await postWithFile(member, research, "二次函数教案.txt", "二次函数的图像");
  });

  it("copies a library file into a new lesson titled after it: the teacher's own copy, attached to the lesson", async () => {
    const choices = await copyToLessonChoices(owner, research, libraryFile);
    expect(choices).toMatchObject({ groupName: "初中数学教研组", file: { id: libraryFile, name: "勾股定理教案.txt" }, source: { kind: "library" } });
    const { lessonId, copied } = await copyGroupFileToLesson(owner, research, libraryFile, "new", "来自小组的文件");
    expect(copied).toBe(true);
    const lesson = await viewLesson(owner, lessonId);
    expect(lesson.title).toBe("勾股定理教案");
    expect(lesson.isAuthor).toBe(true);
    expect(lesson.files.map((f) => f.name)).toEqual(["勾股定理教案.txt"]);
    const copy = (await fileRow(lesson.files[0]!.id))!;
    const original = (await fileRow(libraryFile))!;
    expect(copy).toMatchObject({ ownerId: owner!.id, attachedTo: "lesson", attachedId: lessonId, sha256: original.sha256 });
    expect(copy.storageKey).not.toBe(original.storageKey);
    // The group's file is untouched.
    expect(original).toMatchObject({ attachedTo: "group_resource", ownerId: member!.id });
  });

  it("copies a file posted in a thread into one of the teacher's lessons, once however often it is asked", async () => {
    const lessonId = (await createLesson(owner, fields({ title: "二次函数", body: "第一课时" }))).id;
    const choices = await copyToLessonChoices(owner, research, postFile.fileId);
    expect(choices.source).toEqual({ kind: "thread", threadId: postFile.threadId });
    expect(choices.lessons.map((l) => l.id)).toContain(lessonId);
    expect(await copyGroupFileToLesson(owner, research, postFile.fileId, lessonId, "")).toEqual({ lessonId, copied: true });
    expect(await copyGroupFileToLesson(owner, research, postFile.fileId, lessonId, "")).toEqual({ lessonId, copied: false });
    // Also when the second copy was already made (two requests at once): the lesson keeps one.
    const drafts = await uploadDrafts(owner, [["二次函数教案.txt", "二次函数的图像"]]);
    expect(await addFilesToLesson(owner, lessonId, drafts)).toEqual([]);
    await removalsSettled();
    expect(await fileRow(drafts[0]!)).toBeUndefined();
    expect((await viewLesson(owner, lessonId)).files.map((f) => f.name)).toEqual(["二次函数教案.txt"]);
    // A second, different file goes after the first.
    await copyGroupFileToLesson(owner, research, libraryFile, lessonId, "");
    expect((await viewLesson(owner, lessonId)).files.map((f) => f.name)).toEqual(["二次函数教案.txt", "勾股定理教案.txt"]);
  });

  it("refuses another teacher's lesson", async () => {
    const theirs = (await createLesson(otherGroupTeacher, fields({ title: "别人的课", body: "内容" }))).id;
    const error = (await refusal(async () => copyGroupFileToLesson(member, research, libraryFile, theirs, ""))) as ValidationError;
    expect(error.fields.lessonId?.key).toBe("groupLibrary:lessonNotYours");
    expect((await viewLesson(otherGroupTeacher, theirs)).files).toEqual([]);
    const unknown = (await refusal(async () => copyGroupFileToLesson(member, research, libraryFile, "no-such-lesson", ""))) as ValidationError;
    expect(unknown.fields.lessonId?.key).toBe("groupLibrary:lessonNotYours");
  });

  it("refuses a student, a teacher of another group, someone who left, and anonymous readers", async () => {
    // The student is a member of a study group with a library file of its own.
    const [draft] = await uploadDrafts(student, [["小组笔记.txt", "笔记"]]);
    await addLibraryFiles(student, study, fields({}), [draft!]);
    expect((await refusal(async () => copyToLessonChoices(student, study, draft!))).key).toBe("groupLibrary:copyTeachersOnly");
    expect((await refusal(async () => copyGroupFileToLesson(student, study, draft!, "new", ""))).key).toBe("groupLibrary:copyTeachersOnly");
    expect((await refusal(async () => copyGroupFileToLesson(otherGroupTeacher, research, libraryFile, "new", ""))).key).toBe("groups:membersOnly");
    expect((await refusal(async () => copyGroupFileToLesson(leaver, research, libraryFile, "new", ""))).key).toBe("groups:noLongerMember");
    expect((await refusal(async () => copyGroupFileToLesson(null, research, libraryFile, "new", ""))).status).toBe(401);
    expect(await refusal(async () => copyToLessonChoices(farTeacher, study, draft!))).toBeInstanceOf(NotFoundError);
  });

  it("copies only files of this group: another group's file, a removed entry's, a draft are not found", async () => {
    const [foreign] = await uploadDrafts(otherGroupTeacher, [["物理.txt", "力学"]]);
    await addLibraryFiles(otherGroupTeacher, otherGroup, fields({}), [foreign!]);
    await joinGroup(owner, otherGroup);
    // The owner may read it (a member of both), but not through this group.
    expect(await refusal(async () => copyToLessonChoices(owner, research, foreign!))).toBeInstanceOf(NotFoundError);
    expect((await copyToLessonChoices(owner, otherGroup, foreign!)).file.name).toBe("物理.txt");

    const [gone] = await uploadDrafts(member, [["撤下.txt", "gone"]]);
    const entryId = (await addLibraryFiles(member, research, fields({}), [gone!])).ids[0]!;
    await removeLibraryEntry(member, research, entryId);
    expect(await refusal(async () => copyToLessonChoices(owner, research, gone!))).toBeInstanceOf(NotFoundError);

    const [draft] = await uploadDrafts(member, [["草稿.txt", "draft"]]);
    expect(await refusal(async () => copyToLessonChoices(member, research, draft!))).toBeInstanceOf(NotFoundError);
    const lessonsBefore = (await db().select().from(schema.lessons).where(eq(schema.lessons.authorId, owner!.id))).length;
    expect(await refusal(async () => copyGroupFileToLesson(owner, research, foreign!, "new", ""))).toBeInstanceOf(NotFoundError);
    expect((await db().select().from(schema.lessons).where(eq(schema.lessons.authorId, owner!.id))).length).toBe(lessonsBefore);
  });

  it("a hidden post's file is copied only by those who may still read it", async () => {
    const hidden = await postWithFile(member, research, "隐藏的教案.txt", "hidden");
    await db()
          .update(schema.groupPosts)
          .set({ hiddenAt: new Date(), hiddenBy: owner!.id })
          .where(and(eq(schema.groupPosts.groupId, research), eq(schema.groupPosts.threadId, hidden.threadId)));
    // Its author and the group's teachers still read it.
    expect((await copyToLessonChoices(member, research, hidden.fileId)).file.name).toBe("隐藏的教案.txt");
    expect((await copyToLessonChoices(owner, research, hidden.fileId)).file.name).toBe("隐藏的教案.txt");
  });
});
