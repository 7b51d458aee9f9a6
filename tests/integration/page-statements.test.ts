// Issue 17: no page runs more than 15 SQL statements, whatever the size of the data (no query per item
// shown). Each page is measured as a request runs it — the root loader (session, flags, header counts),
// any layout loader and the page's loader — at two data sizes: after 5 and after 40 more of each kind
// of thing the pages list (pupils of a class with their posts, hand-ins and comments; followed teachers
// of other schools with public posts, group replies and groups of their own). The count must not grow.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
import { randomId } from "~/domain/foundation/ids.server";
import { createSession } from "~/domain/accounts/sessions.server";
import { loader as rootLoader } from "~/root";
import { loader as gradingLoader } from "~/routes/assignments.$id_.grading";
import { loader as classLoader } from "~/routes/classes.$id";
import { loader as gradebookLoader } from "~/routes/classes.$id_.gradebook";
import { loader as feedLoader } from "~/routes/feed";
import { loader as groupLoader } from "~/routes/groups.$id";
import { loader as threadLoader } from "~/routes/groups.$id.threads.$threadId";
import { loader as groupsLoader } from "~/routes/groups._index";
import { loader as parentLoader } from "~/routes/parent._index";
import { loader as childLoader } from "~/routes/parent.children.$id";
import { loader as postLoader } from "~/routes/posts.$id";
import { loader as spaceLoader } from "~/routes/u.$handle";
import { loader as libraryLoader } from "~/routes/library._index";
import { loader as resourceLoader } from "~/routes/library.$id";
import { loader as coverageLoader } from "~/routes/region.library";
import { loader as blogLoader } from "~/routes/u.$handle_.blog";
import { requestScopeStorage } from "../../server/request-scope.mjs";
import { countStatements } from "../support/count-statements";
import { classIdOf, demoWorld, userByLogin } from "../support/world";

/**
 * The budget of issue 17 is 15 statements per request, whatever the size of the data. Every page below
 * runs a fixed number (fixed costs: the session and roles, the reader's school and its place, notices;
 * then one statement per kind of thing shown), each asked once per request since the request scope
 * (server/request-scope.mjs). Every page is within it; each is held to what it runs today, so that
 * none creeps back up.
 */
const BUDGET = 15;
const CEILING: Record<string, number> = {
  "class space (teacher)": 14,
  "class space (pupil)": 15,
  "groups directory": 14,
  feed: 9,
  parent: 15,
  "parent's child": 14,
  blog: 10,
  "space home": 8,
  post: 14,
  "group thread": 15,
  "grading queue": 11,
  gradebook: 10,
  "library search": 7,
  "library resource": 15,
  "library dashboard": 7,
};

type Loader = (args: LoaderFunctionArgs) => unknown;
type Page = { name: string; login: string; role: "teacher" | "student" | "parent" | "region_admin"; path: () => string; loaders: Loader[]; params: () => Record<string, string> };

/** The statements one request for the page runs, through the root loader and the page's loaders. */
async function statementsOf(page: Page): Promise<number> {
  const user = await userByLogin(page.login);
  const { token } = await createSession(user.id, { remember: false, activeRole: page.role });
  if (process.env.STATEMENTS_LOG) console.log(`PAGE ${page.name}`);
  const request = new Request(`http://localhost${page.path()}`, { headers: { Cookie: `session=${token}` } });
  // As the server runs a GET: every loader in one request scope (server/request-scope.mjs).
  return countStatements(() =>
    requestScopeStorage().run(new Map(), async () => {
      for (const loader of [rootLoader as Loader, ...page.loaders]) {
        try {
          await loader({ request, params: page.params(), context: { clientAddress: "203.0.113.7" } });
        } catch (e) {
          throw new Error(`${page.name}: ${e instanceof Response ? e.status : JSON.stringify(e)}`);
        }
      }
    }),
  );
}

const HOUR = 3_600_000;
const now = Date.now();
const doc = (text: string) => ({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] });
let klass: string;
let school: string;
let otherSchool: string;
let assignmentId: string;
let postId: string;
let groupId: string;
let threadId: string;
let made = 0;
let resourceId: string;
let province: string;

/** A resource admitted to the province library (every teacher reads it), by `authorId`. */
async function resource(authorId: string, schoolId: string): Promise<string> {
  const id = randomId();
  const versionId = randomId();
  const title = `分数的初步认识 ${made++}`;
  await db().insert(schema.libraryResources).values({ id, authorId, schoolId, latestVersionId: versionId });
  await db()
      .insert(schema.libraryVersions)
      .values({ id: versionId, resourceId: id, number: 1, title, searchText: title, bodyJson: doc("折纸"), bodyHtml: "<p>折纸</p>", kind: "lesson_plan", stage: "primary", grade: 3, subject: "math", edition: "pep", unit: "pep:3a:8", language: "zh-Hans", licence: "platform_adapt" });
  await db().insert(schema.libraryListings).values({ id: randomId(), resourceId: id, regionId: province, state: "admitted", versionId, admittedVersionId: versionId, admittedAt: new Date(now - 2 * HOUR), quality: made % 2 === 0 });
  return id;
}

async function person(schoolId: string, role: "teacher" | "student", birthDate: string | null = null): Promise<string> {
  const id = randomId();
  const n = made++;
  await db()
      .insert(schema.users)
      .values({ id, handle: `count-${n}`, loginName: `count.${n}`, realName: `计数${n}`, schoolId, birthDate, status: "active", activatedAt: new Date(now) });
  await db().insert(schema.userRoles).values({ userId: id, role, schoolId });
  return id;
}

async function post(authorId: string, schoolId: string, visibility: "classes" | "public", approval: "none" | "approved" = "none"): Promise<string> {
  const id = randomId();
  const at = new Date(now - HOUR + made * 1000);
  await db()
      .insert(schema.posts)
      .values({ id, authorId, schoolId, title: `文章 ${made}`, bodyJson: doc("正文"), bodyHtml: "<p>正文</p>", excerpt: "正文", visibility, status: "published", approval, publishedAt: at, createdAt: at, updatedAt: at });
  return id;
}

/** `n` more of everything the pages list. */
async function grow(n: number) {
  const t1 = (await userByLogin("wuhou-pri.t1")).id;
  for (let i = 0; i < n; i++) {
    // A pupil of the class (every other one under 14), with a post to the class, a hand-in and a comment on t1's post.
    const pupil = await person(school, "student", i % 2 ? "2010-03-01" : "2016-03-01");
    await db().insert(schema.classMemberships).values({ classId: klass, userId: pupil, role: "student" });
    await post(pupil, school, "classes", "approved");
    await db()
          .insert(schema.submissions)
          .values({ id: randomId(), assignmentId, studentId: pupil, classId: klass, versionCount: 1, lastSubmittedAt: new Date(now - HOUR), gradeState: i % 3 ? "draft" : "none", score: i % 3 ? 8 : null });
    await db().insert(schema.comments).values({ id: randomId(), postId, authorId: pupil, body: "写得好" });
    // A teacher of another school whom t1 follows: a public post, a reply in t1's group thread, a group of their own.
    const teacher = await person(otherSchool, "teacher");
    await db().insert(schema.follows).values({ followerId: t1, followeeId: teacher });
    await post(teacher, otherSchool, "public");
    await db().insert(schema.groupMembers).values({ groupId, userId: teacher, role: "member", state: "active", memberAs: "teacher", schoolId: otherSchool, joinedAt: new Date(now) });
    await db().insert(schema.groupPosts).values({ id: randomId(), threadId, groupId, authorId: teacher, bodyJson: doc("同意"), bodyHtml: "<p>同意</p>" });
    const own = randomId();
    await db()
          .insert(schema.groups)
          .values({ id: own, kind: "study", name: `教研组 ${made}`, reach: "platform", schoolId: otherSchool, createdBy: teacher, createdAs: "teacher", joinPolicy: "open", createdAt: new Date(now - made * 1000) });
    await db().insert(schema.groupMembers).values({ groupId: own, userId: teacher, role: "owner", state: "active", memberAs: "teacher", schoolId: otherSchool, joinedAt: new Date(now) });
    // t1's own blog: one more post.
    await post(t1, school, "public");
    // The library: one more resource, and the other school's teacher uses, rates and comments on the one shown.
    await resource(teacher, otherSchool);
    const base = (await db().select().from(schema.libraryResources).where(eq(schema.libraryResources.id, resourceId)))[0]!;
    await db().insert(schema.libraryUses).values({ id: randomId(), resourceId, versionId: base.latestVersionId!, userId: teacher, schoolId: otherSchool, createdAt: new Date(now - HOUR) });
    await db().insert(schema.libraryRatings).values({ resourceId, userId: teacher, stars: 1 + (i % 5), updatedAt: new Date(now) });
    await db().insert(schema.libraryComments).values({ id: randomId(), resourceId, authorId: teacher, body: "很实用" });
  }
}

let pages: Page[];

beforeAll(async () => {
  await demoWorld();
  klass = await classIdOf("wuhou-pri", "三年级（1）班");
  const t1 = await userByLogin("wuhou-pri.t1");
  const s1 = await userByLogin("wuhou-pri.s1");
  school = t1.schoolId!;
  otherSchool = (await db().select().from(schema.schools)).find((s) => s.id !== school && s.phase >= 2)!.id;
  assignmentId = randomId();
  await db()
      .insert(schema.assignments)
      .values({ id: assignmentId, authorId: t1.id, schoolId: school, title: "口算练习", bodyJson: doc("做题"), bodyHtml: "<p>做题</p>", points: 10, openAt: new Date(now - 48 * HOUR), dueAt: new Date(now - HOUR), status: "published", publishedAt: new Date(now - 48 * HOUR) });
  await db().insert(schema.assignmentClasses).values({ assignmentId, classId: klass });
  postId = await post(t1.id, school, "public");
  groupId = randomId();
  await db()
      .insert(schema.groups)
      .values({ id: groupId, kind: "research", name: "计数教研组", reach: "platform", schoolId: school, createdBy: t1.id, createdAs: "teacher", joinPolicy: "open" });
  await db().insert(schema.groupMembers).values({ groupId, userId: t1.id, role: "owner", state: "active", memberAs: "teacher", schoolId: school, joinedAt: new Date(now) });
  province = (await db().select().from(schema.regions)).find((r) => r.level === "province")!.id;
  resourceId = await resource((await userByLogin("wuhou-jun.t1")).id, (await userByLogin("wuhou-jun.t1")).schoolId!);
  threadId = randomId();
  await db().insert(schema.groupThreads).values({ id: threadId, groupId, authorId: t1.id, title: "这周的课", lastPostAt: new Date(now) });
  await db().insert(schema.groupPosts).values({ id: randomId(), threadId, groupId, authorId: t1.id, bodyJson: doc("大家好"), bodyHtml: "<p>大家好</p>" });
  const teacherPage = (name: string, path: () => string, loaders: Loader[], params: () => Record<string, string> = () => ({})): Page => ({ name, login: "wuhou-pri.t1", role: "teacher", path, loaders, params });
  pages = [
    teacherPage("class space (teacher)", () => `/classes/${klass}`, [classLoader], () => ({ id: klass })),
    { name: "class space (pupil)", login: "wuhou-pri.s1", role: "student", path: () => `/classes/${klass}`, loaders: [classLoader], params: () => ({ id: klass }) },
    teacherPage("groups directory", () => "/groups", [groupsLoader]),
    teacherPage("feed", () => "/feed", [feedLoader]),
    { name: "parent", login: "wuhou-pri.p1", role: "parent", path: () => "/parent", loaders: [parentLoader], params: () => ({}) },
    { name: "parent's child", login: "wuhou-pri.p1", role: "parent", path: () => `/parent/children/${s1.id}`, loaders: [childLoader], params: () => ({ id: s1.id }) },
    teacherPage("blog", () => `/u/${t1.handle}/blog`, [blogLoader], () => ({ handle: t1.handle })),
    teacherPage("space home", () => `/u/${t1.handle}`, [spaceLoader], () => ({ handle: t1.handle })),
    teacherPage("post", () => `/posts/${postId}`, [postLoader], () => ({ id: postId })),
    teacherPage("group thread", () => `/groups/${groupId}/threads/${threadId}`, [groupLoader, threadLoader], () => ({ id: groupId, threadId })),
    teacherPage("grading queue", () => `/assignments/${assignmentId}/grading`, [gradingLoader], () => ({ id: assignmentId })),
    teacherPage("gradebook", () => `/classes/${klass}/gradebook`, [gradebookLoader], () => ({ id: klass })),
    teacherPage("library search", () => "/library?q=%E5%88%86%E6%95%B0", [libraryLoader]),
    teacherPage("library resource", () => `/library/${resourceId}`, [resourceLoader], () => ({ id: resourceId })),
    { name: "library dashboard", login: "sichuan.edu", role: "region_admin", path: () => "/region/library", loaders: [coverageLoader], params: () => ({}) },
  ];
});

describe("statements per page (issue 17: no query per item shown)", () => {
  const small = new Map<string, number>();
  const large = new Map<string, number>();

  it("measures every page at two data sizes", async () => {
    // Each page once before it is counted: a first visit writes once what later ones only read (last seen, due notices).
    await grow(5);
    for (const page of pages) await statementsOf(page);
    for (const page of pages) small.set(page.name, await statementsOf(page));
    await grow(35);
    for (const page of pages) await statementsOf(page);
    for (const page of pages) large.set(page.name, await statementsOf(page));
    console.log(pages.map((p) => `${p.name}: ${small.get(p.name)} → ${large.get(p.name)}`).join("\n"));
  });

  it.each(Object.keys(CEILING))("%s runs no more statements with 40 more items than with 5", (name) => {
    expect(large.get(name), name).toBeLessThanOrEqual(small.get(name)!);
  });

  it.each(Object.keys(CEILING))("%s runs no more statements than its ceiling (the way down to the budget)", (name) => {
    expect(Math.max(small.get(name)!, large.get(name)!), name).toBeLessThanOrEqual(Math.max(BUDGET, CEILING[name]!));
  });
});
