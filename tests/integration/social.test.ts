import { mapInOrder } from "~/lib/in-order";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
import type { Visibility } from "#db/schema";
import { ForbiddenError, NotFoundError, ValidationError } from "~/domain/foundation/errors.server";
import { feed } from "~/domain/overviews/feed.server";
import { bumpFlagsVersion, setFlagOverride } from "~/domain/rollout/flags.server";
import { follow, followCounts, followList, isFollowing, notificationLinks, unfollow } from "~/domain/overviews/follows.server";
import { randomId } from "~/domain/foundation/ids.server";
import { listNotifications } from "~/domain/notices/notifications.server";
import { createPortfolioItem } from "~/domain/portfolio/portfolio.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { refusal } from "../support/refusal";

beforeAll(async () => {
  await demoWorld();
});

const handleOf = async (login: string) => (await userByLogin(login)).handle;

let clock = Date.UTC(2026, 10, 1);
/** A published post, written straight into the posts table (the blog's own tests cover writing them). */
async function post(login: string, visibility: Visibility, title: string, opts: { approval?: "none" | "pending" | "approved"; status?: "draft" | "published" } = {}): Promise<string> {
  const author = await userByLogin(login);
  const id = randomId();
  clock += 60_000;
  await db().insert(schema.posts)
      .values({ id, authorId: author.id, schoolId: author.schoolId, title, bodyJson: { type: "doc", content: [] }, bodyHtml: "", excerpt: `${title}…`, visibility, status: opts.status ?? "published", approval: opts.approval ?? "none", publishedAt: new Date(clock) });
  return id;
}

async function item(login: string, visibility: Visibility, title: string): Promise<string> {
  return (await createPortfolioItem(await actorFor(login), new Map(Object.entries({ title, kind: "work", occurredOn: "2026-05-01", description: "", visibility })))).id;
}


describe("follows", () => {
  it("follows an open space once, tells the followee once, and unfollows", async () => {
    const reader = await actorFor("kangding-pri.t1");
    const teacher = await userByLogin("wuhou-pri.t2");
    expect(await follow(reader, teacher.handle)).toEqual({ created: true });
    expect(await follow(reader, teacher.handle)).toEqual({ created: false });
    expect(await isFollowing(reader, teacher.id)).toBe(true);
    const notices = await db().select().from(schema.notifications).where(and(eq(schema.notifications.userId, teacher.id), eq(schema.notifications.kind, "follow")));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ actorId: reader.id, subjectType: "user", subjectId: reader.id });
    expect(await followCounts(reader, teacher.handle)).toEqual({ followers: 1, following: 0 });
    await unfollow(reader, teacher.handle);
    await unfollow(reader, teacher.handle);
    expect(await isFollowing(reader, teacher.id)).toBe(false);
    expect((await followCounts(reader, teacher.handle)).followers).toBe(0);
  });

  it("refuses following oneself, a space one may not enter, and anonymous readers", async () => {
    expect((await refusal(async () => follow(await actorFor("wuhou-pri.t2"), await handleOf("wuhou-pri.t2")))).key).toBe("social:cannotFollowSelf");
    await expect(follow(await actorFor("wuhou-pri.t2"), await handleOf("wuhou-pri.t2"))).rejects.toThrow(ValidationError);
    // A student's space stays inside their school; a closed space and a parent's space are not there to follow.
    await expect(follow(await actorFor("kangding-pri.t1"), await handleOf("wuhou-pri.s1"))).rejects.toThrow(NotFoundError);
    await expect(follow(await actorFor("zhaojue-pri.t1"), await handleOf("zhaojue-pri.s1"))).rejects.toThrow(NotFoundError);
    await expect(follow(await actorFor("wuhou-pri.t2"), await handleOf("wuhou-pri.p1"))).rejects.toThrow(NotFoundError);
    await expect(follow(null, await handleOf("wuhou-pri.t2"))).rejects.toThrow(ForbiddenError);
    await expect(follow(await actorFor("wuhou-pri.t2"), "no-such-person")).rejects.toThrow(NotFoundError);
  });

  it("lists followers only as far as the reader may see each follower's space", async () => {
    const teacher = await handleOf("wuhou-jun.t2");
    await follow(await actorFor("wuhou-jun.s5"), teacher);
    await follow(await actorFor("kangding-jun.t1"), teacher);
    const inside = (await followList(await actorFor("wuhou-jun.t1"), teacher, "followers")).map((p) => p.handle);
    expect(inside.sort()).toEqual([await handleOf("wuhou-jun.s5"), await handleOf("kangding-jun.t1")].sort());
    // A teacher of another school sees the teacher who follows, not the pupil.
    expect((await followList(await actorFor("zhaojue-jun.t1"), teacher, "followers")).map((p) => p.handle)).toEqual([await handleOf("kangding-jun.t1")]);
    expect((await followList(await actorFor("wuhou-jun.t1"), await handleOf("wuhou-jun.s5"), "following")).map((p) => p.handle)).toEqual([teacher]);
    await expect(followList(await actorFor("zhaojue-jun.t1"), await handleOf("wuhou-jun.s5"), "following")).rejects.toThrow(NotFoundError);
  });

  it("links each notification to its subject", async () => {
    const teacher = await actorFor("wuhou-voc.t2");
    await follow(await actorFor("wuhou-voc.t3"), teacher.handle);
    const { rows } = await listNotifications(teacher);
    const links = await notificationLinks(teacher, rows);
    expect(links.get(rows.find((r) => r.kind === "follow")!.id)).toBe(`/u/${await handleOf("wuhou-voc.t3")}`);
    await expect(notificationLinks(null, rows)).rejects.toThrow(ForbiddenError);
  });
});

describe("feed", () => {
  it("shows classmates' and class teachers' new content the reader may see, newest first", async () => {
    // wuhou-jun.s6 shares 九年级（1）班 with s5 and s7 and the school's teachers.
    const reader = await actorFor("wuhou-jun.s6");
    const classmatePost = await post("wuhou-jun.s5", "classes", "同学的文章");
    const teacherItem = await item("wuhou-jun.t1", "school", "老师的档案");
    const privatePost = await post("wuhou-jun.s7", "private", "私人的");
    const draft = await post("wuhou-jun.s7", "classes", "草稿", { status: "draft" });
    const pending = await post("wuhou-jun.s7", "classes", "待审核", { approval: "pending" });
    const otherClass = await post("wuhou-jun.s1", "classes", "别班的"); // 七年级（3）班: not a classmate
    const ids = (await feed(reader)).entries.map((e) => e.id);
    expect(ids).toContain(classmatePost);
    expect(ids).toContain(teacherItem);
    for (const hidden of [privatePost, draft, pending, otherClass]) expect(ids).not.toContain(hidden);
    expect(ids.indexOf(teacherItem)).toBeLessThan(ids.indexOf(classmatePost)); // the item is newer
    const entry = (await feed(reader)).entries.find((e) => e.id === classmatePost)!;
    expect(entry).toMatchObject({ type: "post", title: "同学的文章", author: { handle: await handleOf("wuhou-jun.s5") } });
  });

  it("shows followed spaces beyond the school only as far as their visibility reaches", async () => {
    const reader = await actorFor("kangding-jun.t2");
    await follow(reader, await handleOf("wuhou-voc.t1"));
    const publicPost = await post("wuhou-voc.t1", "public", "公开的");
    const schoolPost = await post("wuhou-voc.t1", "school", "校内的");
    const publicItem = await item("wuhou-voc.t1", "public", "公开档案");
    const ids = (await feed(reader)).entries.map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining([publicPost, publicItem]));
    expect(ids).not.toContain(schoolPost);
    expect((await feed(await actorFor("wuhou-voc.t2"))).entries.map((e) => e.id)).toEqual(expect.arrayContaining([schoolPost]));
    await unfollow(reader, await handleOf("wuhou-voc.t1"));
    expect((await feed(reader)).entries.map((e) => e.id)).not.toContain(publicPost);
  });

  it("leaves out a capability closed for its owner", async () => {
    const reader = await actorFor("garze-voc.t2");
    await follow(reader, await handleOf("garze-voc.t1"));
    const shared = await item("garze-voc.t1", "school", "甘孜的档案");
    expect((await feed(reader)).entries.map((e) => e.id)).toContain(shared);
    const school = (await userByLogin("garze-voc.t1")).schoolId!;
    await setFlagOverride(await actorFor("garze-voc.admin"), { flag: "portfolio", scope: "school", scopeId: school, enabled: false, locked: false });
    try {
      expect((await feed(reader)).entries.map((e) => e.id)).not.toContain(shared);
    } finally {
      await db().delete(schema.flagOverrides).where(eq(schema.flagOverrides.scopeId, school));
      await bumpFlagsVersion();
    }
  });

  it("pages by a stable cursor: new entries do not repeat or skip older ones", async () => {
    const reader = await actorFor("zhaojue-voc.t2");
    const written = (await mapInOrder(Array.from({ length: 7 }, (_, i) => i), async (i) => post("zhaojue-voc.t1", "school", `第${i}篇`))).reverse();
    const first = await feed(reader, null, 3);
    expect(first.entries.map((e) => e.id)).toEqual(written.slice(0, 3));
    await post("zhaojue-voc.t1", "school", "翻页时新写的");
    const second = await feed(reader, first.nextCursor, 3);
    expect(second.entries.map((e) => e.id)).toEqual(written.slice(3, 6));
    const third = await feed(reader, second.nextCursor, 3);
    expect(third.entries.map((e) => e.id)).toEqual(written.slice(6));
    expect(third.nextCursor).toBeNull();
    await expect(feed(reader, "'; drop table posts; --")).rejects.toThrow(ValidationError);
  });

  it("is for signed-in people only, and empty without sources", async () => {
    await expect(feed(null)).rejects.toThrow(ForbiddenError);
    expect(await feed(await actorFor("sichuan.edu"))).toEqual({ entries: [], nextCursor: null });
  });
});
