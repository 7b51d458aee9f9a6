// Issue 13, "Also found": direction controls (U+202E, U+2066, …) in titles and comments spoofed how
// text reads. Every plain-text field shown to others drops them, as file names already did.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { createAssignment } from "~/domain/classwork/assignments.server";
import { beijingLocalTimeOf } from "~/domain/foundation/beijing-time.server";
import { addComment } from "~/domain/spaces/comments.server";
import { startThread } from "~/domain/groups/group-threads.server";
import { createGroup } from "~/domain/groups/groups.server";
import { randomId } from "~/domain/foundation/ids.server";
import { withoutDirectionControls } from "~/domain/foundation/plain-text.server";
import { createPost } from "~/domain/spaces/posts.server";
import { updateProfile } from "~/domain/spaces/profiles.server";
import { richTextFromForm } from "~/domain/foundation/richtext.server";
import { actorFor, classIdOf, demoWorld, userByLogin } from "../support/world";

beforeAll(async () => {
  await demoWorld();
});

// "作业exe.jpg" typed with a right-to-left override and isolates around parts of it.
const SPOOFED = "\u202E作业\u2066gpj.exe\u2069\u200F\u061C\u200E\u202A完\u202C";
const CLEAN = "作业gpj.exe完";

const form = (fields: Record<string, string>) => new Map(Object.entries(fields));
const teacher = async () => actorFor("wuhou-pri.t1", "teacher");

describe("issue 13 · direction controls are dropped from text shown to others", () => {
  it("drops every direction control, keeping Tibetan and Yi text whole", () => {
    expect(withoutDirectionControls(SPOOFED)).toBe(CLEAN);
    expect(withoutDirectionControls("བཀྲ་ཤིས་བདེ་ལེགས། ꆈꌠꁱꂷ")).toBe("བཀྲ་ཤིས་བདེ་ལེགས། ꆈꌠꁱꂷ");
  });

  it("in a post's title and its rich-text body", async () => {
    const { id } = await createPost(await teacher(), form({ id: randomId(), title: SPOOFED, body: `正文${SPOOFED}`, visibility: "school", intent: "publish" }));
    const post = (await first(db().select().from(schema.posts).where(eq(schema.posts.id, id)).limit(1)))!;
    expect(post.title).toBe(CLEAN);
    expect(post.bodyHtml).toContain(`正文${CLEAN}`);
    expect(JSON.stringify(post.bodyJson)).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/);
    expect(richTextFromForm(form({ bodyJson: JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: SPOOFED }] }] }) }), "body").html).toBe(`<p>${CLEAN}</p>`);
  });

  it("in a comment", async () => {
    const { id: postId } = await createPost(await teacher(), form({ id: randomId(), title: "春天", body: "柳树发芽了。", visibility: "school", intent: "publish" }));
    const { id } = await addComment(await actorFor("wuhou-pri.t2", "teacher"), postId, SPOOFED);
    expect((await first(db().select().from(schema.comments).where(eq(schema.comments.id, id)).limit(1)))!.body).toBe(CLEAN);
  });

  it("in a bio", async () => {
    const me = await userByLogin("wuhou-pri.t1");
    await updateProfile(await teacher(), me.handle, { bio: `我是${SPOOFED}` });
    expect((await first(db().select().from(schema.users).where(eq(schema.users.id, me.id)).limit(1)))!.bio).toBe(`我是${CLEAN}`);
  });

  it("in an assignment's title", async () => {
    const classId = await classIdOf("wuhou-pri", "三年级（1）班");
    const { id } = await createAssignment(
      await teacher(),
      form({
        id: randomId(),
        title: SPOOFED,
        body: "做题",
        [`class.${classId}`]: "on",
        openAt: beijingLocalTimeOf(new Date(Date.now() - 3_600_000)),
        dueAt: beijingLocalTimeOf(new Date(Date.now() + 86_400_000)),
        points: "10",
        intent: "publish",
      }),
    );
    expect((await first(db().select().from(schema.assignments).where(eq(schema.assignments.id, id)).limit(1)))!.title).toBe(CLEAN);
  });

  it("in a group's name and a thread's title", async () => {
    const owner = await actorFor("wuhou-jun.t2", "teacher");
    const { id: groupId } = await createGroup(owner, form({ name: `教研${SPOOFED}`, description: "一起备课", subject: "数学", kind: "research", reach: "platform", joinPolicy: "approval" }));
    expect((await first(db().select().from(schema.groups).where(eq(schema.groups.id, groupId)).limit(1)))!.name).toBe(`教研${CLEAN}`);
    const { threadId } = await startThread(owner, groupId, form({ title: SPOOFED, body: "讨论" }));
    expect((await first(db().select().from(schema.groupThreads).where(eq(schema.groupThreads.id, threadId)).limit(1)))!.title).toBe(CLEAN);
  });
});
