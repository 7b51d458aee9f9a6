// Groups: who may make which group, who finds it, and every way in or out — with the reach, kind,
// minors and cross-school rules, and each bad input of the issue refused with its message.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { bumpFlagsVersion, FeatureClosedError, type FlagKey } from "~/domain/rollout/flags.server";
import { answerInvitation, cancelRequest, decideRequest, groupMembers, inviteToGroup, joinGroup, leaveGroup, removeMember, setMemberRole } from "~/domain/groups/group-members.server";
import { createGroup, groupAbout, groupAccess, groupDirectory, groupForEdit, myGroups, newGroupForm, requireGroupMember, searchFold, updateGroup } from "~/domain/groups/groups.server";
import { randomId } from "~/domain/foundation/ids.server";
import { refusal, validationRefusal } from "../support/refusal";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { mapInOrder } from "~/lib/in-order";

type Form = Record<string, string>;
const fields = (form: Form) => new Map(Object.entries(form));
const groupForm = (over: Form = {}): Map<string, string> =>
  fields({ name: "初中数学教研组", description: "一起备课、评课", subject: "数学", kind: "research", reach: "platform", joinPolicy: "approval", ...over });

const make = async (login: string, over: Form = {}, role?: "teacher" | "student") => (await createGroup(await actorFor(login, role), groupForm(over))).id;

async function schoolId(prefix: string): Promise<string> {
  return (await first(db().select().from(schema.schools).where(eq(schema.schools.loginPrefix, prefix)).limit(1)))!.id;
}

async function regionId(name: string): Promise<string> {
  return (await first(db().select().from(schema.regions).where(eq(schema.regions.name, name)).limit(1)))!.id;
}

async function setSchoolFlag(prefix: string, flag: FlagKey, enabled: boolean): Promise<void> {
  const scopeId = await schoolId(prefix);
  await db().delete(schema.flagOverrides).where(and(eq(schema.flagOverrides.flagKey, flag), eq(schema.flagOverrides.scopeType, "school"), eq(schema.flagOverrides.scopeId, scopeId)));
  await db().insert(schema.flagOverrides).values({ id: randomId(), flagKey: flag, scopeType: "school", scopeId, enabled });
  await bumpFlagsVersion();
}

async function clearSchoolFlag(prefix: string, flag: FlagKey): Promise<void> {
  await db().delete(schema.flagOverrides).where(and(eq(schema.flagOverrides.flagKey, flag), eq(schema.flagOverrides.scopeId, await schoolId(prefix))));
  await bumpFlagsVersion();
}

const stateOf = async (groupId: string, login: string) =>
  (await first(db()
        .select()
        .from(schema.groupMembers)
        .where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, (await userByLogin(login)).id))).limit(1)))?.state;

/** Invites people chosen in the picker, by their ids (issue 13 item 4: never by typing a login). */
const invite = async (inviter: string, groupId: string, ...invitees: string[]) => inviteToGroup(await actorFor(inviter), groupId, (await mapInOrder(invitees, async (login) => (await userByLogin(login)).id)));

const noticesOf = async (login: string, kind: string) =>
  db()
        .select()
        .from(schema.notifications)
        .where(and(eq(schema.notifications.userId, (await userByLogin(login)).id), eq(schema.notifications.kind, kind as "group_invited")));

beforeAll(async () => {
  await demoWorld();
});

describe("making a group", () => {
  it("a teacher makes a platform-wide research group and owns it", async () => {
    const id = await make("wuhou-jun.t1");
    const { about, access } = await groupAbout(await actorFor("wuhou-jun.t1"), id);
    expect(about).toMatchObject({ name: "初中数学教研组", kind: "research", reach: "platform", memberCount: 1, schools: ["武侯区第一初级中学"] });
    expect(access).toMatchObject({ isMember: true, mayModerate: true, role: "owner" });
  });

  it("refuses a 500-character name, an empty name and a long description, each beside its field", async () => {
    expect((await validationRefusal(async () => make("wuhou-jun.t1", { name: "组".repeat(500) }))).fields.name?.key).toBe("groups:nameTooLong");
    expect((await validationRefusal(async () => make("wuhou-jun.t1", { name: "   " }))).fields.name?.key).toBe("groups:nameRequired");
    expect((await validationRefusal(async () => make("wuhou-jun.t1", { description: "x".repeat(1001) }))).fields.description?.key).toBe("groups:descriptionTooLong");
    expect((await validationRefusal(async () => make("wuhou-jun.t1", { kind: "club" }))).fields.kind?.key).toBe("groups:kindRequired");
  });

  it("a student makes a study group of their school only where the school allows it, never a research group", async () => {
    // Vocational schools allow student-made groups in the demo; a junior school does not.
    expect(await refusal(async () => make("wuhou-jun.s5", { kind: "study", reach: "school" }, "student"))).toMatchObject({ key: "groups:studentsMayNotCreate" });
    expect(await refusal(async () => newGroupForm(await actorFor("wuhou-jun.s5")))).toBeInstanceOf(ForbiddenError);
    expect((await validationRefusal(async () => make("wuhou-voc.s5", { kind: "research", reach: "school" }))).fields.kind?.key).toBe("groups:studentResearch");
    expect((await validationRefusal(async () => make("wuhou-voc.s5", { kind: "study", reach: "platform" }))).fields.reach?.key).toBe("groups:studentReachSchool");
    const id = await make("wuhou-voc.s5", { name: "计算机兴趣小组", kind: "study", reach: "school", joinPolicy: "open" });
    expect((await groupAbout(await actorFor("wuhou-voc.s5"), id)).access.role).toBe("owner");
    // Once the junior school allows it, its students may too.
    await setSchoolFlag("wuhou-jun", "student_groups", true);
    expect((await newGroupForm(await actorFor("wuhou-jun.s5"))).reaches).toEqual(["school"]);
    await clearSchoolFlag("wuhou-jun", "student_groups");
  });

  it("a group beyond the school needs the cross-school capability for the maker's school", async () => {
    await setSchoolFlag("kangding-jun", "cross_school_groups", false);
    expect((await newGroupForm(await actorFor("kangding-jun.t1"))).reaches).toEqual(["school"]);
    expect((await validationRefusal(async () => make("kangding-jun.t1"))).fields.reach?.key).toBe("groups:reachNeedsCrossSchool");
    expect(await make("kangding-jun.t1", { reach: "school" })).toBeTruthy();
    await clearSchoolFlag("kangding-jun", "cross_school_groups");
  });

  it("a region reach names a region on the maker's own path", async () => {
    expect((await validationRefusal(async () => make("wuhou-jun.t1", { reach: "region", regionId: await regionId("凉山彝族自治州") }))).fields.regionId?.key).toBe("groups:regionRequired");
    const id = await make("wuhou-jun.t1", { reach: "region", regionId: await regionId("成都市"), name: "成都物理教研" });
    expect((await groupAbout(await actorFor("wuhou-jun.t1"), id)).about.regionName).toBe("成都市");
  });

  it("refuses parents, admins and anonymous readers", async () => {
    expect(await refusal(async () => newGroupForm(await actorFor("wuhou-pri.p1")))).toMatchObject({ key: "groups:teachersAndStudentsOnly" });
    expect(await refusal(async () => groupDirectory(await actorFor("wuhou-jun.admin")))).toBeInstanceOf(ForbiddenError);
    expect(await refusal(async () => groupDirectory(null))).toMatchObject({ status: 401 });
    expect(await refusal(async () => createGroup(null, groupForm()))).toMatchObject({ status: 401 });
  });

  it("only the owner edits, and an edit made from an older version is refused with nothing lost", async () => {
    const id = await make("wuhou-jun.t1", { name: "待改名的组" });
    const { version } = await groupForEdit(await actorFor("wuhou-jun.t1"), id);
    await updateGroup(await actorFor("wuhou-jun.t1"), id, groupForm({ name: "改过名的组", version: String(version) }));
    expect(await refusal(async () => updateGroup(await actorFor("wuhou-jun.t1"), id, groupForm({ name: "又一个名字", version: String(version) })))).toMatchObject({ key: "groups:editedMeanwhile" });
    expect((await groupAbout(await actorFor("wuhou-jun.t1"), id)).about.name).toBe("改过名的组");
    await joinGroup(await actorFor("wuhou-jun.t2"), id);
    await decideRequest(await actorFor("wuhou-jun.t1"), id, (await userByLogin("wuhou-jun.t2")).id, true);
    expect(await refusal(async () => groupForEdit(await actorFor("wuhou-jun.t2"), id))).toMatchObject({ key: "groups:ownerOnly" });
  });
});

describe("the directory", () => {
  let platformGroup: string;
  let garzeGroup: string;
  let yiGroup: string;
  beforeAll(async () => {
    platformGroup = await make("wuhou-jun.t3", { name: "全省初中数学教研共同体", subject: "数学" });
    garzeGroup = await make("kangding-jun.t1", { name: "བོད་ཡིག་སློབ་ཚན་ཞིབ་འཇུག་ཚོགས་ཆུང་", subject: "藏文", reach: "region", regionId: await regionId("甘孜藏族自治州") });
    yiGroup = await make("zhaojue-jun.t2", { name: "ꆈꌠꁱꂷ ꇬꉼ", subject: "彝文", kind: "study", joinPolicy: "open" });
  });

  it("finds a group by a substring of its name in Chinese, Tibetan or Yi, without word boundaries", async () => {
    const found = async (login: string, q: string) => (await groupDirectory(await actorFor(login), { q })).groups.map((g) => g.id);
    expect(await found("zhaojue-pri.t1", "初中数学")).toContain(platformGroup);
    expect(await found("zhaojue-pri.t1", "数学教研")).toContain(platformGroup);
    expect(await found("kangding-pri.t1", "སློབ་ཚན")).toContain(garzeGroup);
    expect(await found("wuhou-jun.t3", "ꁱꂷ")).toContain(yiGroup);
    expect(await found("zhaojue-pri.t1", "没有这个组")).toEqual([]);
    // Full-width and upper-case letters fold like their plain forms.
    expect(searchFold("ＡＢＣ数学")).toBe("abc数学");
  });

  it("shows member counts and schools, and filters by subject, kind and reach", async () => {
    const dir = await groupDirectory(await actorFor("zhaojue-pri.t1"), { subject: "数学", kind: "research", reach: "platform" });
    const card = dir.groups.find((g) => g.id === platformGroup)!;
    expect(card).toMatchObject({ memberCount: 1, schools: ["武侯区第一初级中学"], joinRefusal: null, myState: null });
    expect(dir.subjects).toContain("数学");
    expect(dir.groups.every((g) => g.subject === "数学" && g.kind === "research" && g.reach === "platform")).toBe(true);
  });

  it("hides groups beyond the reader's reach and research groups from students", async () => {
    expect((await groupDirectory(await actorFor("wuhou-jun.t1"))).groups.map((g) => g.id)).not.toContain(garzeGroup);
    expect((await groupDirectory(await actorFor("kangding-pri.t1"))).groups.map((g) => g.id)).toContain(garzeGroup);
    const student = (await groupDirectory(await actorFor("zhaojue-jun.s5"))).groups;
    expect(student.map((g) => g.id)).toContain(yiGroup);
    expect(student.every((g) => g.kind === "study")).toBe(true);
    // Beyond reach, the group's page does not exist for them.
    expect(await refusal(async () => groupAbout(await actorFor("wuhou-jun.t1"), garzeGroup))).toBeInstanceOf(NotFoundError);
    expect(await refusal(async () => groupAbout(await actorFor("zhaojue-jun.s5"), platformGroup))).toBeInstanceOf(NotFoundError);
  });
});

describe("joining", () => {
  it("an open group takes anyone within reach at once; an approval group waits for its teachers", async () => {
    const open = await make("wuhou-jun.t1", { name: "开放的组", joinPolicy: "open" });
    expect(await joinGroup(await actorFor("zhaojue-pri.t1"), open)).toEqual({ state: "active" });
    expect(await joinGroup(await actorFor("zhaojue-pri.t1"), open)).toEqual({ state: "active" });

    const approval = await make("wuhou-jun.t1", { name: "需要审核的组" });
    expect(await joinGroup(await actorFor("zhaojue-jun.t1"), approval, "我是昭觉的数学老师")).toEqual({ state: "requested" });
    expect((await noticesOf("wuhou-jun.t1", "group_join_request")).length).toBeGreaterThan(0);
    // The owner's "my groups" counts the request waiting; a plain member's would not.
    expect((await myGroups(await actorFor("wuhou-jun.t1"))).active.find((g) => g.id === approval)?.requestsWaiting).toBe(1);
    expect(await refusal(async () => requireGroupMember(await actorFor("zhaojue-jun.t1"), approval))).toMatchObject({ key: "groups:membersOnly" });
    const { requests } = await groupMembers(await actorFor("wuhou-jun.t1"), approval);
    expect(requests.map((r) => [r.realName, r.note, r.schoolName])).toEqual([[(await userByLogin("zhaojue-jun.t1")).realName, "我是昭觉的数学老师", "昭觉县民族中学"]]);
    await decideRequest(await actorFor("wuhou-jun.t1"), approval, (await userByLogin("zhaojue-jun.t1")).id, true);
    expect(await stateOf(approval, "zhaojue-jun.t1")).toBe("active");
    expect((await noticesOf("zhaojue-jun.t1", "group_join_approved")).length).toBe(1);
    expect((await myGroups(await actorFor("wuhou-jun.t1"))).active.find((g) => g.id === approval)?.requestsWaiting).toBe(0);
    expect(await refusal(async () => decideRequest(await actorFor("wuhou-jun.t1"), approval, (await userByLogin("zhaojue-jun.t1")).id, true))).toMatchObject({ key: "groups:noSuchRequest" });
    // Each member sees the others' real names and schools.
    const { members } = await groupMembers(await actorFor("zhaojue-jun.t1"), approval);
    expect(members.map((m) => [m.realName, m.schoolName, m.role])).toEqual([
      [(await userByLogin("wuhou-jun.t1")).realName, "武侯区第一初级中学", "owner"],
      [(await userByLogin("zhaojue-jun.t1")).realName, "昭觉县民族中学", "member"],
    ]);
  });

  it("a declined or withdrawn request leaves the person outside", async () => {
    const id = await make("wuhou-jun.t1", { name: "审核后拒绝" });
    await joinGroup(await actorFor("kangding-jun.t2"), id);
    await cancelRequest(await actorFor("kangding-jun.t2"), id);
    expect(await stateOf(id, "kangding-jun.t2")).toBeUndefined();
    await joinGroup(await actorFor("kangding-jun.t2"), id);
    await decideRequest(await actorFor("wuhou-jun.t1"), id, (await userByLogin("kangding-jun.t2")).id, false);
    expect(await stateOf(id, "kangding-jun.t2")).toBe("declined");
  });

  it("refuses a request to a closed group; an invitation is its only way in", async () => {
    const closed = await make("wuhou-jun.t1", { name: "邀请制的组", joinPolicy: "invitation" });
    expect(await refusal(async () => joinGroup(await actorFor("zhaojue-jun.t3"), closed))).toMatchObject({ key: "groups:closedGroup" });
    expect(await stateOf(closed, "zhaojue-jun.t3")).toBeUndefined();
    expect(await invite("wuhou-jun.t1", closed, "zhaojue-jun.t3")).toEqual([{ userId: (await userByLogin("zhaojue-jun.t3")).id, realName: (await userByLogin("zhaojue-jun.t3")).realName, sent: true }]);
    expect((await noticesOf("zhaojue-jun.t3", "group_invited")).length).toBe(1);
    expect((await myGroups(await actorFor("zhaojue-jun.t3"))).invited.map((g) => g.id)).toContain(closed);
    expect(await answerInvitation(await actorFor("zhaojue-jun.t3"), closed, true)).toEqual({ state: "active" });
    expect(await refusal(async () => answerInvitation(await actorFor("zhaojue-jun.t3"), closed, true))).toMatchObject({ key: "groups:noInvitation" });
    const notPossible = { sent: false, realName: null, reason: "groups:inviteNotPossible" };
    expect(await inviteToGroup(await actorFor("wuhou-jun.t1"), closed, ["no-such-id"])).toEqual([{ userId: "no-such-id", ...notPossible }]);
    // Someone already in, and a student offered a research group, are no candidates at all.
    expect(await invite("wuhou-jun.t1", closed, "zhaojue-jun.t3")).toEqual([{ userId: (await userByLogin("zhaojue-jun.t3")).id, ...notPossible }]);
    expect(await invite("wuhou-jun.t1", closed, "wuhou-jun.s5")).toEqual([{ userId: (await userByLogin("wuhou-jun.s5")).id, ...notPossible }]);
    // A plain member cannot invite.
    expect(await refusal(async () => invite("zhaojue-jun.t3", closed, "kangding-jun.t3"))).toMatchObject({ key: "groups:moderatorsOnly" });
  });

  it("refuses joining beyond the group's reach with a message, and a school group to other schools", async () => {
    const chengdu = await make("wuhou-jun.t1", { name: "成都市教研", reach: "region", regionId: await regionId("成都市"), joinPolicy: "open" });
    expect(await refusal(async () => joinGroup(await actorFor("zhaojue-jun.t2"), chengdu))).toMatchObject({ key: "groups:beyondReach" });
    expect(await joinGroup(await actorFor("wuhou-pri.t3"), chengdu)).toEqual({ state: "active" });
    const ownSchool = await make("wuhou-jun.t1", { name: "本校教研", reach: "school", joinPolicy: "open" });
    expect(await refusal(async () => joinGroup(await actorFor("wuhou-pri.t3"), ownSchool))).toMatchObject({ key: "groups:beyondReach" });
    expect(await refusal(async () => groupAccess(await actorFor("wuhou-pri.t3"), ownSchool))).toBeInstanceOf(NotFoundError);
    expect(await joinGroup(await actorFor("wuhou-jun.t2"), ownSchool)).toEqual({ state: "active" });
  });

  it("students join study groups only", async () => {
    const research = await make("wuhou-jun.t1", { name: "只收教师", joinPolicy: "open" });
    expect(await refusal(async () => joinGroup(await actorFor("wuhou-jun.s5"), research))).toMatchObject({ key: "groups:teachersOnlyGroup" });
    const study = await make("wuhou-jun.t1", { name: "九年级数学学习小组", kind: "study", joinPolicy: "open" });
    expect(await joinGroup(await actorFor("wuhou-jun.s5"), study)).toEqual({ state: "active" });
    // A teacher who is also a parent acts as a parent: refused.
    expect(await refusal(async () => joinGroup(await actorFor("wuhou-pri.t1", "parent"), study))).toMatchObject({ key: "groups:teachersAndStudentsOnly" });
  });

  it("leaving ends access; a removed member cannot come back by themselves, only by a new invitation", async () => {
    const id = await make("wuhou-jun.t1", { name: "进出的组", kind: "study", joinPolicy: "open" });
    await joinGroup(await actorFor("wuhou-jun.s6"), id);
    await leaveGroup(await actorFor("wuhou-jun.s6"), id);
    expect(await refusal(async () => requireGroupMember(await actorFor("wuhou-jun.s6"), id))).toMatchObject({ key: "groups:noLongerMember" });
    expect(await joinGroup(await actorFor("wuhou-jun.s6"), id)).toEqual({ state: "active" });

    await joinGroup(await actorFor("zhaojue-jun.s6"), id);
    expect(await refusal(async () => removeMember(await actorFor("wuhou-jun.s6"), id, (await userByLogin("zhaojue-jun.s6")).id))).toMatchObject({ key: "groups:moderatorsOnly" });
    await removeMember(await actorFor("wuhou-jun.t1"), id, (await userByLogin("zhaojue-jun.s6")).id);
    expect(await refusal(async () => requireGroupMember(await actorFor("zhaojue-jun.s6"), id))).toMatchObject({ key: "groups:noLongerMember" });
    expect(await refusal(async () => joinGroup(await actorFor("zhaojue-jun.s6"), id))).toMatchObject({ key: "groups:removedCannotRejoin" });
    // Back only by a new invitation, from someone who may see them (here: a teacher of their school in the group).
    await joinGroup(await actorFor("zhaojue-jun.t1"), id);
    await setMemberRole(await actorFor("wuhou-jun.t1"), id, (await userByLogin("zhaojue-jun.t1")).id, "moderator");
    expect(await invite("zhaojue-jun.t1", id, "zhaojue-jun.s6")).toMatchObject([{ sent: true }]);
    expect(await answerInvitation(await actorFor("zhaojue-jun.s6"), id, true)).toEqual({ state: "active" });
  });

  it("roles: the owner names moderators and hands the group over; the owner cannot leave before that", async () => {
    const id = await make("wuhou-jun.t1", { name: "交接的组", joinPolicy: "open" });
    await joinGroup(await actorFor("wuhou-jun.t2"), id);
    await joinGroup(await actorFor("kangding-jun.t3"), id);
    expect(await refusal(async () => leaveGroup(await actorFor("wuhou-jun.t1"), id))).toMatchObject({ key: "groups:ownerCannotLeave" });
    expect(await refusal(async () => setMemberRole(await actorFor("wuhou-jun.t2"), id, (await userByLogin("kangding-jun.t3")).id, "moderator"))).toMatchObject({ key: "groups:ownerOnly" });
    await setMemberRole(await actorFor("wuhou-jun.t1"), id, (await userByLogin("wuhou-jun.t2")).id, "moderator");
    expect((await groupAbout(await actorFor("wuhou-jun.t2"), id)).access).toMatchObject({ mayModerate: true, role: "moderator" });
    // A moderator removes members but not another moderator or the owner.
    expect(await refusal(async () => removeMember(await actorFor("wuhou-jun.t2"), id, (await userByLogin("wuhou-jun.t1")).id))).toMatchObject({ key: "groups:ownerCannotBeRemoved" });
    await setMemberRole(await actorFor("wuhou-jun.t1"), id, (await userByLogin("kangding-jun.t3")).id, "owner");
    expect((await groupAbout(await actorFor("kangding-jun.t3"), id)).access.role).toBe("owner");
    await leaveGroup(await actorFor("wuhou-jun.t1"), id);
    expect(await stateOf(id, "wuhou-jun.t1")).toBe("left");
  });
});

describe("minors", () => {
  // 七年级 students (born 2014) are under 14; 九年级 ones (born 2011) are not.
  it("a student under 14 joins only groups whose people all come from their school (issue 13 item 5)", async () => {
    const ledHere = await make("wuhou-jun.t2", { name: "本校老师带的跨校小组", kind: "study", joinPolicy: "open" });
    const ledElsewhere = await make("zhaojue-jun.t2", { name: "昭觉老师带的小组", kind: "study", joinPolicy: "open" });
    const schoolOnly = await make("wuhou-jun.t3", { name: "七年级英语角", kind: "study", reach: "school", joinPolicy: "open" });
    expect(await joinGroup(await actorFor("wuhou-jun.s1"), ledHere)).toEqual({ state: "active" });
    expect(await joinGroup(await actorFor("wuhou-jun.s1"), schoolOnly)).toEqual({ state: "active" });
    expect(await refusal(async () => joinGroup(await actorFor("wuhou-jun.s1"), ledElsewhere))).toMatchObject({ key: "groups:minorRule" });
    // No dead end (issue 16 item 7): the directory does not offer them a group they cannot join; their own groups stay.
    const hers = (await groupDirectory(await actorFor("wuhou-jun.s1"))).groups.map((g) => g.id);
    expect(hers).not.toContain(ledElsewhere);
    expect(hers).toEqual(expect.arrayContaining([ledHere, schoolOnly]));
    // A pupil over 14 of her school, who may join, still finds it.
    expect((await groupDirectory(await actorFor("wuhou-jun.s7"))).groups.map((g) => g.id)).toContain(ledElsewhere);
    // Over 14, the same group is open to them.
    expect(await joinGroup(await actorFor("wuhou-jun.s7"), ledElsewhere)).toEqual({ state: "active" });
    // A stranger of another school cannot even reach them with an invitation.
    expect(await invite("zhaojue-jun.t2", ledElsewhere, "wuhou-jun.s2")).toMatchObject([{ sent: false, realName: null, reason: "groups:inviteNotPossible" }]);
  });

  it("the group's teachers see every member and moderate a study group even without a moderator role", async () => {
    const id = await make("wuhou-jun.t2", { name: "有两位老师的小组", kind: "study", joinPolicy: "approval" });
    await joinGroup(await actorFor("zhaojue-jun.t3"), id);
    await decideRequest(await actorFor("wuhou-jun.t2"), id, (await userByLogin("zhaojue-jun.t3")).id, true);
    await joinGroup(await actorFor("zhaojue-jun.s7"), id);
    // A teacher member (no moderator role) approves a student's request in a study group.
    await decideRequest(await actorFor("zhaojue-jun.t3"), id, (await userByLogin("zhaojue-jun.s7")).id, true);
    expect((await groupAbout(await actorFor("zhaojue-jun.t3"), id)).access).toMatchObject({ isGroupTeacher: true, mayModerate: true, role: "member" });
    // A student member moderates nothing.
    expect((await groupAbout(await actorFor("zhaojue-jun.s7"), id)).access).toMatchObject({ isGroupTeacher: false, mayModerate: false });
    expect(await refusal(async () => decideRequest(await actorFor("zhaojue-jun.s7"), id, (await userByLogin("zhaojue-jun.t3")).id, false))).toMatchObject({ key: "groups:moderatorsOnly" });
  });
});

describe("the cross-school capability", () => {
  it("a group takes members from several schools only where the flag is on for each member's school", async () => {
    const id = await make("wuhou-jun.t1", { name: "跨校开关测试", joinPolicy: "open" });
    await setSchoolFlag("kangding-jun", "cross_school_groups", false);
    expect(await refusal(async () => joinGroup(await actorFor("kangding-jun.t2"), id))).toMatchObject({ key: "groups:crossSchoolClosed", params: { school: "康定市民族中学" } });
    expect(await stateOf(id, "kangding-jun.t2")).toBeUndefined();
    await clearSchoolFlag("kangding-jun", "cross_school_groups");
    expect(await joinGroup(await actorFor("kangding-jun.t2"), id)).toEqual({ state: "active" });

    // Now the group holds a 康定 member: closing the flag at 康定 stops others joining, naming 康定.
    await setSchoolFlag("kangding-jun", "cross_school_groups", false);
    expect(await refusal(async () => joinGroup(await actorFor("zhaojue-jun.t2"), id))).toMatchObject({ key: "groups:crossSchoolClosed", params: { school: "康定市民族中学" } });
    await clearSchoolFlag("kangding-jun", "cross_school_groups");
  });

  it("an approval re-checks the rules when it is given", async () => {
    const id = await make("wuhou-jun.t1", { name: "审核时再查" });
    await joinGroup(await actorFor("kangding-jun.t1"), id);
    await setSchoolFlag("kangding-jun", "cross_school_groups", false);
    expect(await refusal(async () => decideRequest(await actorFor("wuhou-jun.t1"), id, (await userByLogin("kangding-jun.t1")).id, true))).toMatchObject({ key: "groups:crossSchoolClosed" });
    expect(await stateOf(id, "kangding-jun.t1")).toBe("requested");
    await clearSchoolFlag("kangding-jun", "cross_school_groups");
  });

  it("members of one school need no cross-school capability", async () => {
    await setSchoolFlag("wuhou-jun", "cross_school_groups", false);
    const id = await make("wuhou-jun.t1", { name: "一校之内", reach: "school", joinPolicy: "open" });
    expect(await joinGroup(await actorFor("wuhou-jun.t3"), id)).toEqual({ state: "active" });
    await clearSchoolFlag("wuhou-jun", "cross_school_groups");
  });

  it("students' groups follow the study_groups capability of their school", async () => {
    // Primary pupils have no study groups in the demo until their school opens them.
    expect(await refusal(async () => groupDirectory(await actorFor("wuhou-pri.s1")))).toMatchObject({ key: "flags:notYetOpen" });
    expect(await refusal(async () => groupDirectory(await actorFor("wuhou-pri.s1")))).toBeInstanceOf(FeatureClosedError);
  });
});
