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

const handleOf = (login: string) => userByLogin(login).handle;

let clock = Date.UTC(2026, 10, 1);
/** A published post, written straight into the posts table (the blog's own tests cover writing them). */
function post(login: string, visibility: Visibility, title: string, opts: { approval?: "none" | "pending" | "approved"; status?: "draft" | "published" } = {}): string {
  const author = userByLogin(login);
  const id = randomId();
  clock += 60_000;
  db().insert(schema.posts)
    .values({ id, authorId: author.id, schoolId: author.schoolId, title, bodyJson: { type: "doc", content: [] }, bodyHtml: "", excerpt: `${title}…`, visibility, status: opts.status ?? "published", approval: opts.approval ?? "none", publishedAt: new Date(clock) })
    .run();
  return id;
}

function item(login: string, visibility: Visibility, title: string): string {
  return createPortfolioItem(actorFor(login), new Map(Object.entries({ title, kind: "work", occurredOn: "2026-05-01", description: "", visibility }))).id;
}


describe("follows", () => {
  it("follows an open space once, tells the followee once, and unfollows", () => {
    const reader = actorFor("kangding-pri.t1");
    const teacher = userByLogin("wuhou-pri.t2");
    expect(follow(reader, teacher.handle)).toEqual({ created: true });
    expect(follow(reader, teacher.handle)).toEqual({ created: false });
    expect(isFollowing(reader, teacher.id)).toBe(true);
    const notices = db().select().from(schema.notifications).where(and(eq(schema.notifications.userId, teacher.id), eq(schema.notifications.kind, "follow"))).all();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ actorId: reader.id, subjectType: "user", subjectId: reader.id });
    expect(followCounts(reader, teacher.handle)).toEqual({ followers: 1, following: 0 });
    unfollow(reader, teacher.handle);
    unfollow(reader, teacher.handle);
    expect(isFollowing(reader, teacher.id)).toBe(false);
    expect(followCounts(reader, teacher.handle).followers).toBe(0);
  });

  it("refuses following oneself, a space one may not enter, and anonymous readers", () => {
    expect(refusal(() => follow(actorFor("wuhou-pri.t2"), handleOf("wuhou-pri.t2"))).key).toBe("social:cannotFollowSelf");
    expect(() => follow(actorFor("wuhou-pri.t2"), handleOf("wuhou-pri.t2"))).toThrow(ValidationError);
    // A student's space stays inside their school; a closed space and a parent's space are not there to follow.
    expect(() => follow(actorFor("kangding-pri.t1"), handleOf("wuhou-pri.s1"))).toThrow(NotFoundError);
    expect(() => follow(actorFor("zhaojue-pri.t1"), handleOf("zhaojue-pri.s1"))).toThrow(NotFoundError);
    expect(() => follow(actorFor("wuhou-pri.t2"), handleOf("wuhou-pri.p1"))).toThrow(NotFoundError);
    expect(() => follow(null, handleOf("wuhou-pri.t2"))).toThrow(ForbiddenError);
    expect(() => follow(actorFor("wuhou-pri.t2"), "no-such-person")).toThrow(NotFoundError);
  });

  it("lists followers only as far as the reader may see each follower's space", () => {
    const teacher = handleOf("wuhou-jun.t2");
    follow(actorFor("wuhou-jun.s5"), teacher);
    follow(actorFor("kangding-jun.t1"), teacher);
    const inside = followList(actorFor("wuhou-jun.t1"), teacher, "followers").map((p) => p.handle);
    expect(inside.sort()).toEqual([handleOf("wuhou-jun.s5"), handleOf("kangding-jun.t1")].sort());
    // A teacher of another school sees the teacher who follows, not the pupil.
    expect(followList(actorFor("zhaojue-jun.t1"), teacher, "followers").map((p) => p.handle)).toEqual([handleOf("kangding-jun.t1")]);
    expect(followList(actorFor("wuhou-jun.t1"), handleOf("wuhou-jun.s5"), "following").map((p) => p.handle)).toEqual([teacher]);
    expect(() => followList(actorFor("zhaojue-jun.t1"), handleOf("wuhou-jun.s5"), "following")).toThrow(NotFoundError);
  });

  it("links each notification to its subject", () => {
    const teacher = actorFor("wuhou-voc.t2");
    follow(actorFor("wuhou-voc.t3"), teacher.handle);
    const { rows } = listNotifications(teacher);
    const links = notificationLinks(teacher, rows);
    expect(links.get(rows.find((r) => r.kind === "follow")!.id)).toBe(`/u/${handleOf("wuhou-voc.t3")}`);
    expect(() => notificationLinks(null, rows)).toThrow(ForbiddenError);
  });
});

describe("feed", () => {
  it("shows classmates' and class teachers' new content the reader may see, newest first", () => {
    // wuhou-jun.s6 shares 九年级（1）班 with s5 and s7 and the school's teachers.
    const reader = actorFor("wuhou-jun.s6");
    const classmatePost = post("wuhou-jun.s5", "classes", "同学的文章");
    const teacherItem = item("wuhou-jun.t1", "school", "老师的档案");
    const privatePost = post("wuhou-jun.s7", "private", "私人的");
    const draft = post("wuhou-jun.s7", "classes", "草稿", { status: "draft" });
    const pending = post("wuhou-jun.s7", "classes", "待审核", { approval: "pending" });
    const otherClass = post("wuhou-jun.s1", "classes", "别班的"); // 七年级（3）班: not a classmate
    const ids = feed(reader).entries.map((e) => e.id);
    expect(ids).toContain(classmatePost);
    expect(ids).toContain(teacherItem);
    for (const hidden of [privatePost, draft, pending, otherClass]) expect(ids).not.toContain(hidden);
    expect(ids.indexOf(teacherItem)).toBeLessThan(ids.indexOf(classmatePost)); // the item is newer
    const entry = feed(reader).entries.find((e) => e.id === classmatePost)!;
    expect(entry).toMatchObject({ type: "post", title: "同学的文章", author: { handle: handleOf("wuhou-jun.s5") } });
  });

  it("shows followed spaces beyond the school only as far as their visibility reaches", () => {
    const reader = actorFor("kangding-jun.t2");
    follow(reader, handleOf("wuhou-voc.t1"));
    const publicPost = post("wuhou-voc.t1", "public", "公开的");
    const schoolPost = post("wuhou-voc.t1", "school", "校内的");
    const publicItem = item("wuhou-voc.t1", "public", "公开档案");
    const ids = feed(reader).entries.map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining([publicPost, publicItem]));
    expect(ids).not.toContain(schoolPost);
    expect(feed(actorFor("wuhou-voc.t2")).entries.map((e) => e.id)).toEqual(expect.arrayContaining([schoolPost]));
    unfollow(reader, handleOf("wuhou-voc.t1"));
    expect(feed(reader).entries.map((e) => e.id)).not.toContain(publicPost);
  });

  it("leaves out a capability closed for its owner", () => {
    const reader = actorFor("garze-voc.t2");
    follow(reader, handleOf("garze-voc.t1"));
    const shared = item("garze-voc.t1", "school", "甘孜的档案");
    expect(feed(reader).entries.map((e) => e.id)).toContain(shared);
    const school = userByLogin("garze-voc.t1").schoolId!;
    setFlagOverride(actorFor("garze-voc.admin"), { flag: "portfolio", scope: "school", scopeId: school, enabled: false, locked: false });
    try {
      expect(feed(reader).entries.map((e) => e.id)).not.toContain(shared);
    } finally {
      db().delete(schema.flagOverrides).where(eq(schema.flagOverrides.scopeId, school)).run();
      bumpFlagsVersion();
    }
  });

  it("pages by a stable cursor: new entries do not repeat or skip older ones", () => {
    const reader = actorFor("zhaojue-voc.t2");
    const written = Array.from({ length: 7 }, (_, i) => post("zhaojue-voc.t1", "school", `第${i}篇`)).reverse();
    const first = feed(reader, null, 3);
    expect(first.entries.map((e) => e.id)).toEqual(written.slice(0, 3));
    post("zhaojue-voc.t1", "school", "翻页时新写的");
    const second = feed(reader, first.nextCursor, 3);
    expect(second.entries.map((e) => e.id)).toEqual(written.slice(3, 6));
    const third = feed(reader, second.nextCursor, 3);
    expect(third.entries.map((e) => e.id)).toEqual(written.slice(6));
    expect(third.nextCursor).toBeNull();
    expect(() => feed(reader, "'; drop table posts; --")).toThrow(ValidationError);
  });

  it("is for signed-in people only, and empty without sources", () => {
    expect(() => feed(null)).toThrow(ForbiddenError);
    expect(feed(actorFor("sichuan.edu"))).toEqual({ entries: [], nextCursor: null });
  });
});
