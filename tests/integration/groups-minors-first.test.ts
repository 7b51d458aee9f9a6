// Issue 13 ("Minors first, for real"), the group items: invitations chosen from people the inviter
// may already see (item 4), under-14s only in groups of their own school (item 5), group results in
// portfolios keeping the group's audience (item 6), and 404 for every group object an outsider asks
// for (item 9b).
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { beijingLocalTimeOf } from "~/domain/foundation/beijing-time.server";
import { NotFoundError } from "~/domain/foundation/errors.server";
import { addLibraryLink, libraryView } from "~/domain/group-work/group-library.server";
import { endMinorsCrossSchoolMemberships, groupMembers, inviteCandidates, inviteToGroup, joinGroup, leaveGroup } from "~/domain/groups/group-members.server";
import { addResultToPortfolio, createTask, handInResult, taskList, taskView } from "~/domain/group-work/group-tasks.server";
import { startThread, threadList, threadView } from "~/domain/groups/group-threads.server";
import { createGroup, groupAbout, groupDirectory, mayReadGroupFile } from "~/domain/groups/groups.server";
import { randomId } from "~/domain/foundation/ids.server";
import { capGroupResultCopies, portfolioItem, portfolioItemForEdit, updatePortfolioItem } from "~/domain/portfolio/portfolio.server";
import { renderRichText } from "~/domain/foundation/richtext.server";
import { refusal } from "../support/refusal";
import { actorFor, classIdOf, demoWorld, userByLogin } from "../support/world";
import { findInOrder, mapInOrder, someInOrder } from "~/lib/in-order";

type Form = Record<string, string>;

async function makeGroup(owner: string, over: Form = {}): Promise<string> {
  const form: Form = { name: "小组", description: "", subject: "数学", kind: "study", reach: "platform", joinPolicy: "open", ...over };
  if (form.reach === "region" && !form.regionId) {
    form.regionId = (await first(db().select().from(schema.regions).where(eq(schema.regions.name, "成都市")).limit(1)))!.id;
  }
  return (await createGroup(await actorFor(owner), new Map(Object.entries(form)))).id;
}

const fields = (form: Form) => new Map(Object.entries(form));
const idOf = async (login: string) => (await userByLogin(login)).id;
const nameOf = async (login: string) => (await userByLogin(login)).realName;
const found = async (inviter: string, groupId: string, login: string) => (someInOrder((await inviteCandidates(await actorFor(inviter), groupId, await nameOf(login))), async (c) => c.userId === await idOf(login)));
const invite = async (inviter: string, groupId: string, ...logins: string[]) => inviteToGroup(await actorFor(inviter), groupId, await mapInOrder(logins, idOf));

const stateOf = async (groupId: string, login: string) =>
  (await first(db()
        .select()
        .from(schema.groupMembers)
        .where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, await idOf(login)))).limit(1)))?.state;

const noticesOf = async (login: string, kind: string, groupId: string) =>
  db()
        .select()
        .from(schema.notifications)
        .where(and(eq(schema.notifications.userId, await idOf(login)), eq(schema.notifications.kind, kind as "group_invited"), eq(schema.notifications.subjectId, groupId)));

beforeAll(async () => {
  await demoWorld();
});

describe("issue 13 item 4: invitations are chosen from people the inviter may already see", () => {
  it("the picker finds people of the inviter's school, members of a group they share, and teachers within reach; no one else", async () => {
    const id = await makeGroup("wuhou-jun.t1", { name: "邀请候选", joinPolicy: "invitation" });
    expect(await inviteCandidates(await actorFor("wuhou-jun.t1"), id, "")).toEqual([]);
    expect(await found("wuhou-jun.t1", id, "wuhou-jun.s5")).toBe(true);
    expect(await found("wuhou-jun.t1", id, "zhaojue-jun.t1")).toBe(true);
    // A pupil of another school, in no group with the inviter: not found, whatever is typed.
    expect(await found("wuhou-jun.t1", id, "zhaojue-jun.s7")).toBe(false);
    // Once they share a group, the inviter sees them already (its member list): now a candidate.
    const shared = await makeGroup("wuhou-jun.t1", { name: "共同的小组" });
    await joinGroup(await actorFor("zhaojue-jun.s7"), shared);
    expect(await found("wuhou-jun.t1", id, "zhaojue-jun.s7")).toBe(true);
    // A fragment of a name in the middle finds them; each choice carries name, school and role only.
    const fragment = (await nameOf("wuhou-jun.s5")).slice(1);
    const hit = (await findInOrder((await inviteCandidates(await actorFor("wuhou-jun.t1"), id, fragment)), async (c) => c.userId === await idOf("wuhou-jun.s5")));
    expect(hit).toEqual({ userId: await idOf("wuhou-jun.s5"), realName: await nameOf("wuhou-jun.s5"), schoolName: "武侯区第一初级中学", as: "student" });
  });

  it("an id the inviter may not see answers exactly as an unknown id: not possible, no name, no notice", async () => {
    const id = await makeGroup("kangding-jun.t1", { name: "甘孜的跨校小组", joinPolicy: "invitation" });
    const [stranger, unknown] = await inviteToGroup(await actorFor("kangding-jun.t1"), id, [await idOf("wuhou-jun.s1"), "0000000000000000"]);
    const { userId: _a, ...strangerAnswer } = stranger!;
    const { userId: _b, ...unknownAnswer } = unknown!;
    expect(strangerAnswer).toEqual({ sent: false, realName: null, reason: "groups:inviteNotPossible" });
    expect(unknownAnswer).toEqual(strangerAnswer);
    // A pupil receives no invitation from a stranger of another prefecture.
    expect(await stateOf(id, "wuhou-jun.s1")).toBeUndefined();
    expect(await noticesOf("wuhou-jun.s1", "group_invited", id)).toEqual([]);
    expect(await invite("kangding-jun.t1", id, "wuhou-jun.s5")).toMatchObject([{ sent: false, realName: null }]);
  });

  it("a candidate the join rules refuse hears the rule, never that the pupil is under 14", async () => {
    const id = await makeGroup("wuhou-jun.t2", { name: "已有外校成员", joinPolicy: "invitation" });
    expect(await invite("wuhou-jun.t2", id, "zhaojue-jun.t2")).toMatchObject([{ sent: true, realName: await nameOf("zhaojue-jun.t2") }]);
    expect(await invite("wuhou-jun.t2", id, "wuhou-jun.s1")).toEqual([{ userId: await idOf("wuhou-jun.s1"), realName: await nameOf("wuhou-jun.s1"), sent: false, reason: "groups:oneSchoolForNow" }]);
    expect(await invite("wuhou-jun.t2", id, "wuhou-jun.s6")).toMatchObject([{ sent: true }]);
    expect(await noticesOf("wuhou-jun.s6", "group_invited", id)).toHaveLength(1);
  });

  it("only moderators search and invite; nobody chooses nobody", async () => {
    const id = await makeGroup("wuhou-jun.t1", { name: "只有管理员邀请" });
    await joinGroup(await actorFor("wuhou-jun.s7"), id);
    expect(await refusal(async () => inviteCandidates(await actorFor("wuhou-jun.s7"), id, "王"))).toMatchObject({ key: "groups:moderatorsOnly" });
    expect(await refusal(async () => invite("wuhou-jun.s7", id, "wuhou-jun.s6"))).toMatchObject({ key: "groups:moderatorsOnly" });
    expect(await refusal(async () => inviteToGroup(await actorFor("wuhou-jun.t1"), id, []))).toMatchObject({ key: "errors:invalidInput", fields: { invitee: { key: "groups:chooseInvitees" } } });
  });
});

describe("issue 13 item 5: a pupil under 14 is only in groups whose people all come from their school", () => {
  it("a 13-year-old cannot join a region-wide group of her own teacher once it holds a pupil of another school", async () => {
    const id = await makeGroup("wuhou-jun.t2", { name: "成都七年级数学", reach: "region" });
    expect(await joinGroup(await actorFor("wuhou-voc.s5"), id)).toEqual({ state: "active" });
    expect(await refusal(async () => joinGroup(await actorFor("wuhou-jun.s1"), id))).toMatchObject({ key: "groups:minorRule" });
    // The directory does not offer it to her (issue 16 item 7: no dead ends); the server still refuses her.
    expect((await groupDirectory(await actorFor("wuhou-jun.s1"))).groups.map((g) => g.id)).not.toContain(id);
    // An adult of her school still finds it, with the reason.
    expect((await groupDirectory(await actorFor("wuhou-jun.t1"))).groups.find((g) => g.id === id)?.joinRefusal).toBeNull();
  });

  it("while a group holds an under-14 pupil, nobody of another school joins, asks or is invited; the reason names no one", async () => {
    const open = await makeGroup("wuhou-jun.t2", { name: "有七年级学生的小组", reach: "region" });
    expect(await joinGroup(await actorFor("wuhou-jun.s1"), open)).toEqual({ state: "active" });
    const held = await refusal(async () => joinGroup(await actorFor("wuhou-voc.s6"), open));
    expect(held).toMatchObject({ key: "groups:oneSchoolForNow", params: {} });
    expect(await refusal(async () => joinGroup(await actorFor("wuhou-voc.t1"), open))).toMatchObject({ key: "groups:oneSchoolForNow" });
    // A pupil is not offered it; an adult of that school sees it with the reason.
    expect((await groupDirectory(await actorFor("wuhou-voc.s6"))).groups.map((g) => g.id)).not.toContain(open);
    expect((await groupDirectory(await actorFor("wuhou-voc.t1"))).groups.find((g) => g.id === open)?.joinRefusal).toBe("groups:oneSchoolForNow");
    expect(await invite("wuhou-jun.t2", open, "wuhou-voc.t1")).toMatchObject([{ sent: false, reason: "groups:oneSchoolForNow" }]);
    // People of her school still come in.
    expect(await joinGroup(await actorFor("wuhou-jun.s6"), open)).toEqual({ state: "active" });

    // A request waiting counts as much as a member: asking holds the group too.
    const approval = await makeGroup("wuhou-jun.t2", { name: "需审核的七年级小组", reach: "region", joinPolicy: "approval" });
    expect(await joinGroup(await actorFor("wuhou-jun.s1"), approval)).toEqual({ state: "requested" });
    expect(await refusal(async () => joinGroup(await actorFor("wuhou-voc.s6"), approval))).toMatchObject({ key: "groups:oneSchoolForNow" });
  });

  it("memberships made before the rule are ended, the pupil's class teachers told, and running it again changes nothing", async () => {
    const id = await makeGroup("wuhou-jun.t3", { name: "规则之前的跨校小组" });
    // Written directly, as the old rule let them in: an under-14 pupil beside a pupil of another school.
    for (const login of ["wuhou-jun.s3", "zhaojue-jun.s7"]) {
      await db().insert(schema.groupMembers).values({ groupId: id, userId: await idOf(login), role: "member", state: "active", memberAs: "student", schoolId: (await userByLogin(login)).schoolId, joinedAt: new Date() });
    }
    expect(await endMinorsCrossSchoolMemberships()).toBeGreaterThanOrEqual(1);
    expect(await stateOf(id, "wuhou-jun.s3")).toBe("left");
    expect(await stateOf(id, "zhaojue-jun.s7")).toBe("active");
    const teachers = await db()
          .select({ userId: schema.classMemberships.userId })
          .from(schema.classMemberships)
          .where(and(eq(schema.classMemberships.classId, await classIdOf("wuhou-jun", "七年级（3）班")), eq(schema.classMemberships.role, "teacher")));
    expect(teachers.length).toBeGreaterThan(0);
    for (const t of teachers) {
      const notices = await db().select().from(schema.notifications).where(and(eq(schema.notifications.userId, t.userId), eq(schema.notifications.kind, "group_minor_left")));
      // The notice names the pupil (their own), never the other school's people.
      expect(notices.map((n) => n.actorId)).toEqual([await idOf("wuhou-jun.s3")]);
    }
    expect(await endMinorsCrossSchoolMemberships()).toBe(0);
  });
});

describe("issue 13 item 9b: every group object answers 404 to someone who may not see it, as an unknown id does", () => {
  it("walks a thread, its posts, the library, a task, its result and the member list as each kind of outsider", async () => {
    const id = await makeGroup("wuhou-jun.t1", { name: "外人看不到的小组" });
    const farId = await makeGroup("wuhou-jun.t1", { name: "只在成都的小组", reach: "region" });
    for (const g of [id, farId]) {
      await joinGroup(await actorFor("wuhou-jun.s5"), g);
      await joinGroup(await actorFor("wuhou-jun.t3"), g);
      await leaveGroup(await actorFor("wuhou-jun.t3"), g);
    }
    const objects = async (groupId: string) => {
      const threadId = (await startThread(await actorFor("wuhou-jun.t1"), groupId, fields({ title: "第一帖", body: "大家好" }))).threadId;
      await addLibraryLink(await actorFor("wuhou-jun.t1"), groupId, fields({ title: "课标", url: "https://example.org/kb", folderId: "" }));
      const dueAt = beijingLocalTimeOf(new Date(Date.now() + 24 * 3_600_000));
      const taskId = (await createTask(await actorFor("wuhou-jun.t1"), groupId, fields({ id: randomId(), title: "小组任务", body: "交一份报告", dueAt }))).id;
      await handInResult(await actorFor("wuhou-jun.s5"), groupId, taskId, fields({ version: "0", body: "我们的报告" }));
      return { threadId, taskId };
    };
    const near = await objects(id);
    const far = await objects(farId);
    const reads = (groupId: string, o: { threadId: string; taskId: string }) => ({
      threadList: async () => threadList(actor, groupId),
      thread: async () => threadView(actor, groupId, o.threadId),
      unknownThread: async () => threadView(actor, groupId, "0000000000000000"),
      library: async () => libraryView(actor, groupId),
      tasks: async () => taskList(actor, groupId),
      task: async () => taskView(actor, groupId, o.taskId),
      unknownTask: async () => taskView(actor, groupId, "0000000000000000"),
      members: async () => groupMembers(actor, groupId),
    });
    let actor = await actorFor("wuhou-jun.s5");
    // Members read everything.
    for (const [what, read] of Object.entries(reads(id, near))) if (!what.startsWith("unknown")) await read();
    expect(await mayReadGroupFile(actor, "group_result", near.taskId)).toBe(true);

    const outsiders = {
      "a teacher within reach, not a member": ["zhaojue-jun.t1", undefined],
      "a member who left": ["wuhou-jun.t3", undefined],
      "a pupil of another school": ["zhaojue-jun.s7", undefined],
      "a parent": ["wuhou-pri.t1", "parent"],
      "a school admin of the owner's school": ["wuhou-jun.admin", undefined],
      "a region admin": ["sichuan.edu", undefined],
    } as const;
    for (const [who, [login, role]] of Object.entries(outsiders)) {
      actor = await actorFor(login, role);
      for (const [groupId, o] of [[id, near], [farId, far]] as const) {
        const answers = await mapInOrder(Object.entries(reads(groupId, o)), async ([what, read]) => {
          const error = await refusal(read);
          expect(error, `${who}: ${what}`).toBeInstanceOf(NotFoundError);
          return error.key;
        });
        // A real thread or task and an unknown id get the same answer.
        expect(new Set(answers).size, who).toBe(1);
        expect(await mayReadGroupFile(actor, "group_result", o.taskId), who).toBe(false);
      }
    }
    // Beyond the group's reach (凉山 for a 成都 group) the group itself does not exist.
    expect(await refusal(async () => groupAbout(await actorFor("zhaojue-jun.t1"), farId))).toBeInstanceOf(NotFoundError);
    expect((await refusal(async () => threadView(await actorFor("zhaojue-jun.t1"), farId, far.threadId))).key).toBe("errors:notFound");
  });
});

describe("issue 13 item 6: a group result copied into a portfolio keeps the group's audience at most", () => {
  async function copiedResult(title: string) {
    const id = await makeGroup("wuhou-jun.t2", { name: `成果小组 ${title}` });
    await joinGroup(await actorFor("wuhou-jun.s6"), id);
    await joinGroup(await actorFor("zhaojue-jun.s5"), id);
    const dueAt = beijingLocalTimeOf(new Date(Date.now() + 24 * 3_600_000));
    const taskId = (await createTask(await actorFor("wuhou-jun.t2"), id, fields({ id: randomId(), title, body: "每组交一份", dueAt }))).id;
    await handInResult(await actorFor("zhaojue-jun.s5"), id, taskId, fields({ version: "0", body: "我们的调查报告" }));
    return (await addResultToPortfolio(await actorFor("wuhou-jun.t2"), id, taskId)).id;
  }
  const saveAs = async (itemId: string, visibility: string) => {
    const { version, values } = await portfolioItemForEdit(await actorFor("wuhou-jun.t2"), itemId);
    return async () => updatePortfolioItem(await actorFor("wuhou-jun.t2"), itemId, fields({ title: values.title, kind: values.kind, occurredOn: values.occurredOn, description: values.description, visibility, version: String(version) }));
  };

  it("a teacher's copy can never be made public: the choice is not offered and is refused if sent", async () => {
    const itemId = await copiedResult("家乡调查");
    expect((await portfolioItemForEdit(await actorFor("wuhou-jun.t2"), itemId)).choices).toEqual(["private", "classes", "school"]);
    expect(await refusal(await saveAs(itemId, "public"))).toMatchObject({ fields: { visibility: { key: "portfolio:groupResultNotPublic" } } });
    await (await saveAs(itemId, "school"))();
    expect((await portfolioItem(await actorFor("wuhou-jun.t2"), itemId)).visibility).toBe("school");
  });

  it("readers: anonymous and another school's reader get nothing; a same-school reader outside the group sees no names; one in the group does", async () => {
    const itemId = await copiedResult("河流调查");
    await (await saveAs(itemId, "school"))();
    const pupilOfElsewhere = await nameOf("zhaojue-jun.s5");
    // Anonymous readers are sent to sign in (401), as for any item not public.
    expect((await refusal(async () => portfolioItem(null, itemId))).status).toBe(401);
    expect(await refusal(async () => portfolioItem(await actorFor("zhaojue-jun.t1"), itemId))).toBeInstanceOf(NotFoundError);
    const sameSchool = await portfolioItem(await actorFor("wuhou-jun.t1"), itemId);
    expect(sameSchool.groupCredit).toEqual({ groupName: "成果小组 河流调查", memberNames: null });
    expect(JSON.stringify(sameSchool)).not.toContain(pupilOfElsewhere);
    expect((await portfolioItem(await actorFor("wuhou-jun.s6"), itemId)).groupCredit?.memberNames).toContain(pupilOfElsewhere);
  });

  it("copies made public before the rule are capped to the school, and the names written into them taken out", async () => {
    const itemId = await copiedResult("旧的公开副本");
    const groupName = "成果小组 旧的公开副本";
    const doc = { type: "doc" as const, content: [{ type: "paragraph", content: [{ type: "text", text: "报告" }] }, { type: "paragraph", content: [{ type: "text", text: `${groupName} · ${await nameOf("wuhou-jun.s6")}、${await nameOf("zhaojue-jun.s5")}` }] }] };
    await db().update(schema.portfolioItems).set({ visibility: "public", descriptionJson: doc, descriptionHtml: renderRichText(doc) }).where(eq(schema.portfolioItems.id, itemId));
    expect((await portfolioItem(null, itemId)).descriptionHtml).toContain(await nameOf("zhaojue-jun.s5"));
    expect(await capGroupResultCopies()).toBeGreaterThanOrEqual(1);
    expect((await refusal(async () => portfolioItem(null, itemId))).status).toBe(401);
    const capped = await portfolioItem(await actorFor("wuhou-jun.t2"), itemId);
    expect(capped.visibility).toBe("school");
    expect(capped.descriptionHtml).toContain(groupName);
    expect(capped.descriptionHtml).not.toContain(await nameOf("zhaojue-jun.s5"));
    expect(await capGroupResultCopies()).toBe(0);
  });
});
