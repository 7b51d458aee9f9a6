import { eq } from "drizzle-orm";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first as firstOf } from "#db/client";
import type { Visibility } from "#db/schema";
import type { Actor } from "~/domain/foundation/actor.server";
import { ForbiddenError, NotFoundError, ValidationError } from "~/domain/foundation/errors.server";
import { receiveUploadForm } from "~/domain/uploads/files.server";
import { follow } from "~/domain/overviews/follows.server";
import { randomId } from "~/domain/foundation/ids.server";
import { createPortfolioItem } from "~/domain/portfolio/portfolio.server";
import { BIO_MAX, profileForEdit, spaceProfile, updateProfile } from "~/domain/spaces/profiles.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { refusal } from "../support/refusal";

beforeAll(async () => {
  await demoWorld();
});

const handleOf = async (login: string) => (await userByLogin(login)).handle;


let clock = Date.UTC(2026, 9, 1);
async function post(login: string, visibility: Visibility, title: string): Promise<string> {
  const author = await userByLogin(login);
  const id = randomId();
  clock += 60_000;
  await db().insert(schema.posts)
      .values({ id, authorId: author.id, schoolId: author.schoolId, title, bodyJson: { type: "doc", content: [] }, bodyHtml: "", excerpt: title, visibility, status: "published", publishedAt: new Date(clock) });
  return id;
}

async function uploadImage(actor: Actor, name: string, format: "png" | "jpeg" = "png") {
  const bytes = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#3366aa" } })[format]().toBuffer();
  const body = new FormData();
  body.append("bio", "新的简介");
  body.append("avatar", new File([new Uint8Array(bytes)], name));
  return receiveUploadForm(actor, new Request("http://localhost/u/x/edit", { method: "POST", body }), { maxFiles: 1, accept: "image" });
}

describe("space home", () => {
  it("shows real name, school, role, counts, and only the recent posts the reader may see", async () => {
    const owner = "wuhou-pri.t3";
    const schoolPost = await post(owner, "school", "校内文章");
    const publicPost = await post(owner, "public", "公开文章");
    const privatePost = await post(owner, "private", "私人文章");
    await follow(await actorFor("wuhou-pri.t2"), await handleOf(owner));
    const mine = await spaceProfile(await actorFor(owner), await handleOf(owner));
    expect(mine).toMatchObject({ isOwner: true, following: null, counts: { followers: 1, following: 0 }, blogOpen: true, portfolioOpen: true });
    expect(mine.owner).toMatchObject({ realName: (await userByLogin(owner)).realName, role: "teacher", schoolName: "武侯区实验小学" });
    expect(mine.recentPosts.map((p) => p.id)).toEqual([privatePost, publicPost, schoolPost]);
    const colleague = await spaceProfile(await actorFor("wuhou-pri.t2"), await handleOf(owner));
    expect(colleague.following).toBe(true);
    expect(colleague.recentPosts.map((p) => p.id)).toEqual([publicPost, schoolPost]);
    expect((await spaceProfile(await actorFor("kangding-pri.t1"), await handleOf(owner))).recentPosts.map((p) => p.id)).toEqual([publicPost]);
  });

  it("opens a teacher's space to anonymous readers only when it holds public content, and a student's never", async () => {
    // wuhou-voc.t3 has nothing public yet: anonymous readers are asked to sign in.
    expect((await refusal(async () => spaceProfile(null, await handleOf("wuhou-voc.t3")))).status).toBe(401);
    expect((await refusal(async () => spaceProfile(null, "no-such-person"))).status).toBe(401);
    await createPortfolioItem(await actorFor("wuhou-voc.t3"), new Map(Object.entries({ title: "公开课记录", kind: "lesson_record", occurredOn: "2026-09-01", description: "", visibility: "public", featured: "on" })));
    await post("wuhou-voc.t3", "school", "只给本校");
    const anonymous = await spaceProfile(null, await handleOf("wuhou-voc.t3"));
    expect(anonymous).toMatchObject({ isOwner: false, following: null, capabilities: null });
    expect(anonymous.recentPosts).toEqual([]);
    expect(anonymous.owner.avatarUrl).toBeNull();
    // A student's space, even with content inside the school, is never shown to anonymous readers.
    await post("wuhou-jun.s5", "school", "学生的文章");
    expect((await refusal(async () => spaceProfile(null, await handleOf("wuhou-jun.s5")))).status).toBe(401);
  });

  it("keeps spaces.server's rules for signed-in readers", async () => {
    await expect(spaceProfile(await actorFor("kangding-pri.t1"), await handleOf("wuhou-pri.s1"))).rejects.toThrow(NotFoundError);
    await expect(spaceProfile(await actorFor("zhaojue-pri.t1"), await handleOf("zhaojue-pri.s1"))).rejects.toThrow(NotFoundError);
    expect((await spaceProfile(await actorFor("zhaojue-pri.s1"), await handleOf("zhaojue-pri.s1"))).status).toEqual({ open: false, reason: "phase" });
  });
});

describe("editing the profile", () => {
  it("saves a plain-text bio and refuses one that is too long, changing nothing", async () => {
    const me = await actorFor("wuhou-pri.t2");
    await updateProfile(me, me.handle, { bio: "  教语文的老师。\r\n喜欢书法\u0007。  " });
    expect((await profileForEdit(me, me.handle)).bio).toBe("教语文的老师。\n喜欢书法。");
    const error = await refusal(async () => updateProfile(me, me.handle, { bio: "长".repeat(100_000) })) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fields.bio?.key).toBe("space:bioTooLong");
    await expect(updateProfile(me, me.handle, { bio: "x".repeat(BIO_MAX + 1) })).rejects.toThrow(ValidationError);
    await updateProfile(me, me.handle, { bio: "x".repeat(BIO_MAX) });
    await updateProfile(me, me.handle, { bio: "教语文的老师。" });
    expect((await spaceProfile(await actorFor("kangding-pri.t1"), me.handle)).owner.bio).toBe("教语文的老师。");
  });

  it("lets only the owner edit; others who cannot see the space learn nothing", async () => {
    // A colleague who may visit the space finds no profile of theirs to edit (issue 13 item 9b).
    await expect(updateProfile(await actorFor("wuhou-pri.t3"), await handleOf("wuhou-pri.t2"), { bio: "冒充" })).rejects.toThrow(NotFoundError);
    await expect(profileForEdit(await actorFor("wuhou-pri.t3"), await handleOf("wuhou-pri.t2"))).rejects.toThrow(NotFoundError);
    await expect(profileForEdit(await actorFor("kangding-pri.t1"), await handleOf("wuhou-pri.s1"))).rejects.toThrow(NotFoundError);
    await expect(updateProfile(null, await handleOf("wuhou-pri.t2"), { bio: "匿名" })).rejects.toThrow(ForbiddenError);
  });

  it("sets an avatar image, replaces the old one, and refuses a file that is not an image", async () => {
    const me = await actorFor("wuhou-jun.t3");
    const first = await uploadImage(me, "头像.png");
    await updateProfile(me, me.handle, { bio: first.fields.get("bio"), avatarFileId: first.files.get("avatar")![0]!.id });
    const firstId = first.files.get("avatar")![0]!.id;
    expect((await userByLogin("wuhou-jun.t3")).avatarFileId).toBe(firstId);
    expect((await spaceProfile(await actorFor("wuhou-jun.t1"), me.handle)).owner.avatarUrl).toMatch(new RegExp(`^/files/${firstId}/`));
    const second = await uploadImage(me, "new.jpg", "jpeg");
    const secondId = second.files.get("avatar")![0]!.id;
    await updateProfile(me, me.handle, { bio: "", avatarFileId: secondId });
    expect((await userByLogin("wuhou-jun.t3")).avatarFileId).toBe(secondId);
    expect(await firstOf(db().select().from(schema.files).where(eq(schema.files.id, firstId)).limit(1))).toBeUndefined();
    // A refused bio discards the image uploaded with it.
    const third = await uploadImage(me, "third.png");
    const thirdId = third.files.get("avatar")![0]!.id;
    await expect(updateProfile(me, me.handle, { bio: "长".repeat(100_000), avatarFileId: thirdId })).rejects.toThrow(ValidationError);
    expect(await firstOf(db().select().from(schema.files).where(eq(schema.files.id, thirdId)).limit(1))).toBeUndefined();
    expect((await userByLogin("wuhou-jun.t3")).avatarFileId).toBe(secondId);
    // Not an image: refused while uploading, on the avatar field.
    const body = new FormData();
    body.append("avatar", new File([new TextEncoder().encode("%PDF-1.4\n%%EOF\n")], "a.png"));
    const error = await receiveUploadForm(me, new Request("http://localhost/u/x/edit", { method: "POST", body }), { maxFiles: 1, accept: "image" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fields)).toEqual(["avatar"]);
    await updateProfile(me, me.handle, { bio: "", removeAvatar: true });
    expect((await userByLogin("wuhou-jun.t3")).avatarFileId).toBeNull();
    expect(await firstOf(db().select().from(schema.files).where(eq(schema.files.id, secondId)).limit(1))).toBeUndefined();
    // The bytes of removed files go on the next turn of the event loop, before this file's database closes.
    await new Promise((resolve) => setTimeout(resolve, 30));
  });
});
